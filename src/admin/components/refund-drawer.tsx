import { Alert, Drawer, Heading, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { fetchTransaction, useRefundTransaction } from "../hooks/order-ledger"
import { amountInputValue, amountToSend, normalizeAmountInput, roundsToZero } from "../lib/amounts"
import { errorStatus } from "../lib/errors"
import { formatCard, formatDate, METHOD_LABELS, moneyText } from "../lib/format"
import type { LedgerTransaction } from "../lib/types"
import { ErrorAlert } from "./error-alert"
import { Figure, FigureGrid } from "./figures"
import { TextField } from "./text-field"
import { DrawerFormFooter } from "./drawer-form-footer"

/** The refund figures of a payment the merchant is looking at. */
interface Figures {
  refunded_amount: number
  formatted_refunded_amount: string
  refundable_amount: number
  formatted_refundable_amount: string
}

function figuresOf(payment: LedgerTransaction): Figures {
  const currency = payment.currency_code
  return {
    refunded_amount: payment.refunded_amount ?? 0,
    formatted_refunded_amount: moneyText(payment.refunded_amount, payment.formatted_refunded_amount, currency),
    refundable_amount: payment.refundable_amount ?? 0,
    formatted_refundable_amount: moneyText(payment.refundable_amount, payment.formatted_refundable_amount, currency),
  }
}

/**
 * Refunds a payment in full or in part. It sends the `previously_refunded_amount` it showed; when
 * someone refunded the same payment meanwhile the API answers 409, and the drawer shows the fresh
 * figures and asks the merchant to confirm again.
 */
export function RefundDrawer({
  orderId,
  payment,
  onClose,
}: {
  orderId: string
  payment: LedgerTransaction
  onClose: () => void
}) {
  const [figures, setFigures] = useState<Figures>(() => figuresOf(payment))
  const [amount, setAmount] = useState(() => amountInputValue(payment.refundable_amount, payment.currency_code))
  const [reason, setReason] = useState("")
  const [note, setNote] = useState("")
  const [conflict, setConflict] = useState<{ before: Figures; after: Figures } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const refund = useRefundTransaction(orderId, payment.id)
  const currency = payment.currency_code.toUpperCase()
  const nothingLeft = roundsToZero(figures.refundable_amount, payment.currency_code)

  /** After a 409: are the figures we sent stale? Then show the fresh ones and ask again. */
  const handleConflict = async (cause: unknown) => {
    try {
      const { transaction: fresh } = await fetchTransaction(payment.id)
      const after = figuresOf(fresh)
      if (after.refunded_amount === figures.refunded_amount) {
        setError(cause)
        return
      }
      setConflict({ before: figures, after })
      setFigures(after)
      // The merchant asked for everything that was left: offer what is left now.
      if (normalizeAmountInput(amount) === amountInputValue(figures.refundable_amount, payment.currency_code)) {
        setAmount(amountInputValue(after.refundable_amount, payment.currency_code))
      }
    } catch (refetchError) {
      setError(cause ?? refetchError)
    }
  }

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    setError(null)
    refund.mutate(
      {
        // Left as prefilled: refund all that is left, exactly (Medusa's extra decimals included).
        amount: amountToSend(amount, amountInputValue(figures.refundable_amount, payment.currency_code)),
        previously_refunded_amount: figures.refunded_amount,
        reason: reason.trim() || undefined,
        note: note.trim() || undefined,
      },
      {
        onSuccess: ({ transaction }) => {
          toast.success(`Refund of ${transaction.formatted_amount.replace(/^-/, "")} recorded`)
          onClose()
        },
        onError: (cause) => {
          setConflict(null)
          if (errorStatus(cause) === 409) {
            void handleConflict(cause)
          } else {
            setError(cause)
          }
        },
      }
    )
  }

  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="ledger-refund-drawer" aria-describedby={undefined}>
        <form onSubmit={submit} className="flex flex-1 flex-col overflow-hidden">
          <Drawer.Header>
            <Heading>Refund payment</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {payment.formatted_amount} by {payment.payment_method ? METHOD_LABELS[payment.payment_method] : "payment"}
              {payment.card_last4 ? ` (${formatCard(payment.card_brand, payment.card_last4)})` : ""} on{" "}
              {formatDate(payment.occurred_at)}
            </Text>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <FigureGrid testId="ledger-refund-figures">
              <Figure label="Paid" value={payment.formatted_amount} />
              <Figure label="Refunded so far" value={figures.formatted_refunded_amount} testId="ledger-refund-refunded" />
              <Figure
                label="Refundable"
                value={figures.formatted_refundable_amount}
                testId="ledger-refund-refundable"
              />
            </FigureGrid>
            {conflict && (
              <Alert variant="warning" data-testid="ledger-refund-conflict">
                This payment was refunded elsewhere while this form was open. Refunded so far is now{" "}
                <strong>{conflict.after.formatted_refunded_amount}</strong> (you saw{" "}
                {conflict.before.formatted_refunded_amount}); <strong>{conflict.after.formatted_refundable_amount}</strong>{" "}
                can still be refunded. Check the amount and confirm again.
              </Alert>
            )}
            {nothingLeft && <Alert variant="info">Nothing is left to refund on this payment.</Alert>}
            <TextField
              name="refund_amount"
              label={`Amount (${currency})`}
              value={amount}
              onChange={setAmount}
              inputMode="decimal"
              hint={`Up to ${figures.formatted_refundable_amount}`}
              autoFocus
            />
            <TextField name="reason" label="Reason" value={reason} onChange={setReason} optional />
            <TextField name="refund_note" label="Note" value={note} onChange={setNote} multiline optional />
            <ErrorAlert error={error} testId="ledger-refund-error" />
          </Drawer.Body>
          <DrawerFormFooter isLoading={refund.isPending} disabled={nothingLeft} testId="ledger-refund-submit">
            {conflict ? "Confirm refund" : "Refund"}
          </DrawerFormFooter>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
