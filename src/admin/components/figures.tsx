import { Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/** The figures at the top of an action drawer (paid, refunded, what is left), on a subtle panel. */
export function FigureGrid({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="bg-ui-bg-subtle grid grid-cols-3 gap-2 rounded-lg p-3" data-testid={testId}>
      {children}
    </div>
  )
}

/** One labelled money figure. */
export function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex flex-col">
      <Text size="xsmall" className="text-ui-fg-muted">
        {label}
      </Text>
      <Text size="small" weight="plus" className="tabular-nums" data-testid={testId}>
        {value}
      </Text>
    </div>
  )
}
