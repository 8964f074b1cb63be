import { Alert, Drawer, Heading, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useCaptureAuthorization } from "../hooks/ledger-actions"
import { amountInputValue, amountToSend, roundsToZero } from "../lib/amounts"
import { formatCard, formatDate, formatMoney, METHOD_LABELS } from "../lib/format"
import { captureFigures } from "../lib/ledger-actions"
import type { LedgerTransaction } from "../lib/types"
import { ErrorAlert } from "./error-alert"
import { Figure, FigureGrid } from "./figures"
import { TextField } from "./text-field"
import { DrawerFormFooter } from "./drawer-form-footer"

/**
 * Captures a Medusa checkout authorization with its payment provider, in full or in part. The
 * amount shows everything that is left; left as it is, no amount is sent and the server captures
 * exactly what is left (Medusa's extra decimals included). A partial capture leaves the rest
 * authorized. The figures follow the order's rows, so a capture made elsewhere meanwhile shows
 * here as soon as a refresh (or the failed request's) brings it in.
 */
export function CaptureDrawer({
  orderId,
  authorization,
  transactions,
  onClose,
}: {
  orderId: string
  authorization: LedgerTransaction
  transactions: LedgerTransaction[]
  onClose: () => void
}) {
  const currency = authorization.currency_code
  const figures = captureFigures(authorization, transactions)
  const prefilled = amountInputValue(figures.left, currency)
  // Null until the merchant types: "all that is left", whatever that is by the time they submit.
  const [amount, setAmount] = useState<string | null>(null)
  const capture = useCaptureAuthorization(orderId)
  const nothingLeft = roundsToZero(figures.left, currency)

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    capture.mutate(
      { id: authorization.id, body: { amount: amount === null ? undefined : amountToSend(amount, prefilled) } },
      {
        onSuccess: ({ transaction }) => {
          toast.success(`Captured ${transaction.formatted_amount}`)
          onClose()
        },
      }
    )
  }

  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="ledger-capture-drawer" aria-describedby={undefined}>
        <form onSubmit={submit} className="flex flex-1 flex-col overflow-hidden">
          <Drawer.Header>
            <Heading>Capture payment</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {authorization.formatted_amount} authorized
              {authorization.payment_method ? ` by ${METHOD_LABELS[authorization.payment_method]}` : ""}
              {authorization.card_last4 ? ` (${formatCard(authorization.card_brand, authorization.card_last4)})` : ""}
              {authorization.gateway ? ` through ${authorization.gateway}` : ""} on {formatDate(authorization.occurred_at)}
            </Text>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <FigureGrid testId="ledger-capture-figures">
              <Figure label="Authorized" value={formatMoney(authorization.amount, currency)} />
              <Figure label="Captured so far" value={formatMoney(figures.captured, currency)} testId="ledger-capture-captured" />
              <Figure label="Left to capture" value={formatMoney(figures.left, currency)} testId="ledger-capture-left" />
            </FigureGrid>
            {nothingLeft && <Alert variant="info">Nothing is left to capture on this authorization.</Alert>}
            <TextField
              name="capture_amount"
              label={`Amount (${currency.toUpperCase()})`}
              value={amount ?? prefilled}
              onChange={setAmount}
              inputMode="decimal"
              hint={`Up to ${formatMoney(figures.left, currency)}. A smaller amount leaves the rest authorized.`}
              autoFocus
            />
            <ErrorAlert error={capture.error} testId="ledger-capture-error" />
          </Drawer.Body>
          <DrawerFormFooter isLoading={capture.isPending} disabled={nothingLeft} testId="ledger-capture-submit">
            Capture
          </DrawerFormFooter>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
