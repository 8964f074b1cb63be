import { Alert, Drawer, Heading, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useReverseTransaction } from "../hooks/ledger-actions"
import { amountInputValue, amountToSend, roundsToZero } from "../lib/amounts"
import { formatDate, formatMoney, KIND_LABELS } from "../lib/format"
import { reversalFigures } from "../lib/ledger-actions"
import type { LedgerTransaction } from "../lib/types"
import { ErrorAlert } from "./error-alert"
import { Figure, FigureGrid } from "./figures"
import { TextField } from "./text-field"
import { DrawerFormFooter } from "./drawer-form-footer"

/** What turning back each kind means to the merchant. */
const WHAT_HAPPENED: Partial<Record<LedgerTransaction["kind"], string>> = {
  chargeback: "The merchant won the chargeback: the money comes back to the merchant.",
  refund: "The refund bounced: the money came back to the merchant and the customer is owed it again.",
}

/**
 * Records the reversal of a succeeded refund or chargeback (a chargeback won, a refund that
 * bounced) as its own row under it, in full or in part; the original row is never edited. The
 * amount shows all that is left to reverse; left as it is, no amount is sent and the server
 * reverses exactly that.
 */
export function ReverseDrawer({
  orderId,
  reversed,
  transactions,
  onClose,
}: {
  orderId: string
  reversed: LedgerTransaction
  transactions: LedgerTransaction[]
  onClose: () => void
}) {
  const currency = reversed.currency_code
  const figures = reversalFigures(reversed, transactions)
  const prefilled = amountInputValue(figures.left, currency)
  // Null until the merchant types: "all that is left", whatever that is by the time they submit.
  const [amount, setAmount] = useState<string | null>(null)
  const [reason, setReason] = useState("")
  const [note, setNote] = useState("")
  const reverse = useReverseTransaction(orderId)
  const nothingLeft = roundsToZero(figures.left, currency)
  const kind = KIND_LABELS[reversed.kind] ?? reversed.kind

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    reverse.mutate(
      {
        id: reversed.id,
        body: {
          amount: amount === null ? undefined : amountToSend(amount, prefilled),
          reason: reason.trim() || undefined,
          note: note.trim() || undefined,
        },
      },
      {
        onSuccess: ({ transaction }) => {
          toast.success(`Reversal of ${transaction.formatted_amount} recorded`)
          onClose()
        },
      }
    )
  }

  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="ledger-reverse-drawer" aria-describedby={undefined}>
        <form onSubmit={submit} className="flex flex-1 flex-col overflow-hidden">
          <Drawer.Header>
            <Heading>Reverse {kind.toLowerCase()}</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {kind} of {formatMoney(Math.abs(reversed.amount), currency)} on {formatDate(reversed.occurred_at)}
              {reversed.reason ? ` (${reversed.reason})` : ""}. {WHAT_HAPPENED[reversed.kind] ?? ""}
            </Text>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <FigureGrid testId="ledger-reverse-figures">
              <Figure label={kind} value={formatMoney(Math.abs(reversed.amount), currency)} />
              <Figure label="Reversed so far" value={formatMoney(figures.reversed, currency)} testId="ledger-reverse-reversed" />
              <Figure label="Left to reverse" value={formatMoney(figures.left, currency)} testId="ledger-reverse-left" />
            </FigureGrid>
            {nothingLeft && <Alert variant="info">Nothing is left to reverse on this {kind.toLowerCase()}.</Alert>}
            <TextField
              name="reversal_amount"
              label={`Amount (${currency.toUpperCase()})`}
              value={amount ?? prefilled}
              onChange={setAmount}
              inputMode="decimal"
              hint={`Up to ${formatMoney(figures.left, currency)}`}
              autoFocus
            />
            <TextField name="reversal_reason" label="Reason" value={reason} onChange={setReason} optional />
            <TextField name="reversal_note" label="Note" value={note} onChange={setNote} multiline optional />
            <ErrorAlert error={reverse.error} testId="ledger-reverse-error" />
          </Drawer.Body>
          <DrawerFormFooter isLoading={reverse.isPending} disabled={nothingLeft} testId="ledger-reverse-submit">
            Reverse
          </DrawerFormFooter>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
