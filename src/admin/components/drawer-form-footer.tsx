import { Button, Drawer } from "@medusajs/ui"
import type { ReactNode } from "react"

/** The footer of the ledger's form drawers: Cancel, and the submit button. */
export function DrawerFormFooter({
  children,
  isLoading,
  disabled,
  testId,
}: {
  /** The submit button's label. */
  children: ReactNode
  isLoading: boolean
  disabled?: boolean
  testId: string
}) {
  return (
    <Drawer.Footer>
      <Drawer.Close asChild>
        <Button size="small" variant="secondary" type="button">
          Cancel
        </Button>
      </Drawer.Close>
      <Button size="small" type="submit" isLoading={isLoading} disabled={disabled} data-testid={testId}>
        {children}
      </Button>
    </Drawer.Footer>
  )
}
