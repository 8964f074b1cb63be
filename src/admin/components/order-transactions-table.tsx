import { EllipsisHorizontal } from "@medusajs/icons"
import { DropdownMenu, IconButton, StatusBadge, Table, Text, clx, toast } from "@medusajs/ui"
import { useUpdateTransactionStatus } from "../hooks/order-ledger"
import { errorMessage } from "../lib/errors"
import { KIND_LABELS, METHOD_LABELS, STATUS_COLORS, STATUS_LABELS, formatCard, formatDay, formatTime } from "../lib/format"
import type { LedgerTransaction, TransactionStatus } from "../lib/types"

/** A transaction and how deep it sits under its parent payment. */
interface TreeRow {
  transaction: LedgerTransaction
  depth: number
}

/**
 * Orders the rows so that refunds, chargebacks, voids and captures follow the transaction they
 * point at, indented; everything else stays in date order.
 */
export function transactionTree(transactions: LedgerTransaction[]): TreeRow[] {
  const ids = new Set(transactions.map((t) => t.id))
  const children = new Map<string, LedgerTransaction[]>()
  const roots: LedgerTransaction[] = []
  for (const t of transactions) {
    if (t.parent_id && ids.has(t.parent_id) && t.parent_id !== t.id) {
      children.set(t.parent_id, [...(children.get(t.parent_id) ?? []), t])
    } else {
      roots.push(t)
    }
  }
  const rows: TreeRow[] = []
  const seen = new Set<string>()
  const visit = (t: LedgerTransaction, depth: number) => {
    if (seen.has(t.id)) {
      return
    }
    seen.add(t.id)
    rows.push({ transaction: t, depth })
    for (const child of children.get(t.id) ?? []) {
      visit(child, depth + 1)
    }
  }
  roots.forEach((t) => visit(t, 0))
  return rows
}

/** Status moves the widget offers: a pending or requires-action transaction settles either way. */
const NEXT_STATUSES: Partial<Record<TransactionStatus, TransactionStatus[]>> = {
  pending: ["succeeded", "failed"],
  requires_action: ["succeeded", "failed"],
}

/** A cell's main text with a muted second line (card, external id) when there is one. */
function TwoLines({ top, bottom, testId }: { top: string; bottom?: string | null; testId?: string }) {
  return (
    <div className="flex flex-col">
      <span className="truncate">{top}</span>
      {bottom && (
        <span className="text-ui-fg-muted txt-compact-xsmall truncate" title={bottom} data-testid={testId}>
          {bottom}
        </span>
      )}
    </div>
  )
}

/** The order's transactions, reversals under their payment, with per-row actions. */
export function LedgerTransactionsTable({
  orderId,
  transactions,
  onRefund,
}: {
  orderId: string
  transactions: LedgerTransaction[]
  onRefund: (payment: LedgerTransaction) => void
}) {
  const updateStatus = useUpdateTransactionStatus(orderId)

  const moveStatus = (t: LedgerTransaction, status: TransactionStatus) =>
    updateStatus.mutate(
      { id: t.id, status },
      {
        onSuccess: () => toast.success(`${KIND_LABELS[t.kind]} marked as ${STATUS_LABELS[status].toLowerCase()}`),
        onError: (e) => toast.error("Could not change the status", { description: errorMessage(e) }),
      }
    )

  if (!transactions.length) {
    return (
      <div className="px-6 py-8 text-center" data-testid="ledger-no-transactions">
        <Text size="small" className="text-ui-fg-subtle">
          No transactions yet. Payments captured through Medusa appear here; record one made elsewhere with
          "Record payment".
        </Text>
      </div>
    )
  }

  return (
    <div className="overflow-x-auto">
      <Table data-testid="ledger-transactions-table">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell className="pr-4 whitespace-nowrap">Kind</Table.HeaderCell>
            <Table.HeaderCell className="pr-4 whitespace-nowrap">Status</Table.HeaderCell>
            <Table.HeaderCell className="pr-4 whitespace-nowrap text-right">Amount</Table.HeaderCell>
            <Table.HeaderCell className="pr-4 whitespace-nowrap">Method / card</Table.HeaderCell>
            <Table.HeaderCell className="pr-4 whitespace-nowrap">Gateway / external ID</Table.HeaderCell>
            <Table.HeaderCell className="pr-4 whitespace-nowrap">Date</Table.HeaderCell>
            <Table.HeaderCell className="pr-4" />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {transactionTree(transactions).map(({ transaction: t, depth }) => {
            const refundable = t.kind === "payment" && t.status === "succeeded" && (t.refundable_amount ?? 0) > 0
            const nextStatuses = NEXT_STATUSES[t.status] ?? []
            return (
              <Table.Row
                key={t.id}
                data-testid="ledger-transaction-row"
                data-transaction-id={t.id}
                data-kind={t.kind}
                data-status={t.status}
                data-parent-id={t.parent_id ?? ""}
                data-depth={depth}
              >
                <Table.Cell className="pr-4">
                  <span className={clx("flex items-center gap-x-1 whitespace-nowrap", depth > 0 && "text-ui-fg-subtle")} style={{ paddingLeft: depth * 20 }}>
                    {depth > 0 && <span aria-hidden>↳</span>}
                    {KIND_LABELS[t.kind] ?? t.kind}
                  </span>
                </Table.Cell>
                <Table.Cell className="pr-4">
                  <StatusBadge color={STATUS_COLORS[t.status] ?? "grey"} className="whitespace-nowrap">
                    {STATUS_LABELS[t.status] ?? t.status}
                  </StatusBadge>
                </Table.Cell>
                <Table.Cell className="pr-4 whitespace-nowrap text-right tabular-nums" data-testid="ledger-transaction-amount">
                  {t.formatted_amount}
                </Table.Cell>
                <Table.Cell className="pr-4 whitespace-nowrap">
                  <TwoLines
                    top={t.payment_method ? METHOD_LABELS[t.payment_method] ?? t.payment_method : "-"}
                    bottom={t.card_brand || t.card_last4 ? formatCard(t.card_brand, t.card_last4) : null}
                    testId="ledger-transaction-card"
                  />
                </Table.Cell>
                <Table.Cell className="pr-4 max-w-[180px]">
                  <TwoLines top={t.gateway ?? "-"} bottom={t.external_id} testId="ledger-transaction-external-id" />
                </Table.Cell>
                <Table.Cell className="pr-4 whitespace-nowrap">
                  <TwoLines top={formatDay(t.occurred_at)} bottom={formatTime(t.occurred_at)} />
                </Table.Cell>
                <Table.Cell className="pr-4 w-8">
                  {(refundable || nextStatuses.length > 0) && (
                    <DropdownMenu>
                      <DropdownMenu.Trigger asChild>
                        <IconButton size="small" variant="transparent" data-testid="ledger-transaction-actions" aria-label="Actions">
                          <EllipsisHorizontal />
                        </IconButton>
                      </DropdownMenu.Trigger>
                      <DropdownMenu.Content align="end">
                        {refundable && (
                          <DropdownMenu.Item onClick={() => onRefund(t)} data-testid="ledger-action-refund">
                            Refund
                          </DropdownMenu.Item>
                        )}
                        {nextStatuses.map((status) => (
                          <DropdownMenu.Item
                            key={status}
                            onClick={() => moveStatus(t, status)}
                            data-testid={`ledger-action-mark-${status}`}
                          >
                            Mark as {STATUS_LABELS[status].toLowerCase()}
                          </DropdownMenu.Item>
                        ))}
                      </DropdownMenu.Content>
                    </DropdownMenu>
                  )}
                </Table.Cell>
              </Table.Row>
            )
          })}
        </Table.Body>
      </Table>
    </div>
  )
}
