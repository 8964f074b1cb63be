import { EllipsisHorizontal } from "@medusajs/icons"
import { DropdownMenu, IconButton, toast, usePrompt } from "@medusajs/ui"
import { useVoidAuthorization } from "../hooks/ledger-actions"
import { useUpdateTransactionStatus } from "../hooks/order-ledger"
import { errorMessage } from "../lib/errors"
import { KIND_LABELS, METHOD_LABELS, STATUS_LABELS, formatMoney } from "../lib/format"
import type { RowActions } from "../lib/ledger-actions"
import type { LedgerTransaction, TransactionStatus } from "../lib/types"

/** Actions that open a drawer; the widget holds which one is open. */
export type DrawerAction = "refund" | "capture" | "reverse" | "history"

/** Status moves the widget offers: a pending or requires-action transaction settles either way. */
const NEXT_STATUSES: Partial<Record<TransactionStatus, TransactionStatus[]>> = {
  pending: ["succeeded", "failed"],
  requires_action: ["succeeded", "failed"],
}

/**
 * A row's "…" menu: refund a payment, capture or void a Medusa checkout authorization (with its
 * provider), reverse a refund or chargeback, settle a pending row, and see its history.
 */
export function TransactionActions({
  orderId,
  transaction: t,
  actions,
  onOpen,
}: {
  orderId: string
  transaction: LedgerTransaction
  actions: RowActions
  onOpen: (action: DrawerAction, transaction: LedgerTransaction) => void
}) {
  const prompt = usePrompt()
  const updateStatus = useUpdateTransactionStatus(orderId)
  const voidAuthorization = useVoidAuthorization(orderId)
  const nextStatuses = NEXT_STATUSES[t.status] ?? []
  const label = `${KIND_LABELS[t.kind] ?? t.kind} ${formatMoney(t.amount, t.currency_code)}`

  const moveStatus = (status: TransactionStatus) =>
    updateStatus.mutate(
      { id: t.id, status },
      {
        onSuccess: () => toast.success(`${KIND_LABELS[t.kind]} marked as ${STATUS_LABELS[status].toLowerCase()}`),
        onError: (e) => toast.error("Could not change the status", { description: errorMessage(e) }),
      }
    )

  const confirmVoid = async () => {
    const confirmed = await prompt({
      title: "Void this authorization?",
      description:
        `${t.gateway ?? "The payment provider"} releases the ${formatMoney(t.amount, t.currency_code)} held` +
        `${t.payment_method ? ` on the customer's ${METHOD_LABELS[t.payment_method].toLowerCase()}` : ""}. ` +
        "Nothing can be captured on it afterwards.",
      confirmText: "Void authorization",
      cancelText: "Keep it",
      variant: "danger",
    })
    if (!confirmed) {
      return
    }
    voidAuthorization.mutate(
      { id: t.id },
      {
        onSuccess: () => toast.success(`Authorization of ${formatMoney(t.amount, t.currency_code)} voided`),
        onError: (e) => toast.error("Could not void the authorization", { description: errorMessage(e) }),
      }
    )
  }

  const money = actions.refund || actions.capture || actions.void || actions.reverse
  return (
    <DropdownMenu>
      <DropdownMenu.Trigger asChild>
        <IconButton
          size="small"
          variant="transparent"
          data-testid="ledger-transaction-actions"
          aria-label={`Actions for ${label}`}
          isLoading={voidAuthorization.isPending || updateStatus.isPending}
        >
          <EllipsisHorizontal />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content align="end">
        {actions.refund && (
          <DropdownMenu.Item onClick={() => onOpen("refund", t)} data-testid="ledger-action-refund">
            Refund
          </DropdownMenu.Item>
        )}
        {actions.capture && (
          <DropdownMenu.Item onClick={() => onOpen("capture", t)} data-testid={`ledger-capture-${t.id}`}>
            Capture
          </DropdownMenu.Item>
        )}
        {actions.void && (
          <DropdownMenu.Item onClick={confirmVoid} data-testid={`ledger-void-${t.id}`}>
            Void authorization
          </DropdownMenu.Item>
        )}
        {actions.reverse && (
          <DropdownMenu.Item onClick={() => onOpen("reverse", t)} data-testid={`ledger-reverse-${t.id}`}>
            Reverse {KIND_LABELS[t.kind].toLowerCase()}
          </DropdownMenu.Item>
        )}
        {money && nextStatuses.length > 0 && <DropdownMenu.Separator />}
        {nextStatuses.map((status) => (
          <DropdownMenu.Item
            key={status}
            onClick={() => moveStatus(status)}
            data-testid={`ledger-action-mark-${status}`}
          >
            Mark as {STATUS_LABELS[status].toLowerCase()}
          </DropdownMenu.Item>
        ))}
        {(money || nextStatuses.length > 0) && <DropdownMenu.Separator />}
        <DropdownMenu.Item onClick={() => onOpen("history", t)} data-testid={`ledger-history-${t.id}`}>
          History
        </DropdownMenu.Item>
      </DropdownMenu.Content>
    </DropdownMenu>
  )
}
