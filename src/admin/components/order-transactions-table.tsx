import { StatusBadge, Table, Text, clx } from "@medusajs/ui"
import { KIND_LABELS, METHOD_LABELS, STATUS_COLORS, STATUS_LABELS, formatCard, formatDay, formatTime, moneyText } from "../lib/format"
import { rowActions } from "../lib/ledger-actions"
import type { LedgerTransaction } from "../lib/types"
import { TransactionActions, type DrawerAction } from "./transaction-actions"

/** A transaction and how deep it sits under its parent payment. */
interface TreeRow {
  transaction: LedgerTransaction
  depth: number
}

/**
 * Orders the rows so that refunds, chargebacks, voids and captures follow the transaction they
 * point at, and reversals the refund or chargeback they turn back, indented; everything else
 * stays in date order.
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

/** A cell's main text with a muted second line (card, external id) when there is one. */
function TwoLines({ top, bottom, testId, title }: { top: string; bottom?: string | null; testId?: string; title?: string }) {
  return (
    <div className="flex flex-col">
      <span className="truncate" title={title}>
        {top}
      </span>
      {bottom && (
        <span className="text-ui-fg-muted txt-compact-xsmall truncate" title={bottom} data-testid={testId}>
          {bottom}
        </span>
      )}
    </div>
  )
}

/** The order's transactions, refunds and captures under their payment, with per-row actions. */
export function LedgerTransactionsTable({
  orderId,
  transactions,
  onOpen,
}: {
  orderId: string
  transactions: LedgerTransaction[]
  onOpen: (action: DrawerAction, transaction: LedgerTransaction) => void
}) {
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
          {transactionTree(transactions).map(({ transaction: t, depth }) => (
            <Table.Row
              key={t.id}
              data-testid="ledger-transaction-row"
              data-transaction-id={t.id}
              data-kind={t.kind}
              data-status={t.status}
              data-parent-id={t.parent_id ?? ""}
              data-depth={depth}
              data-medusa-payment-id={t.medusa_payment_id ?? undefined}
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
                {moneyText(t.amount, t.formatted_amount, t.currency_code)}
              </Table.Cell>
              <Table.Cell className="pr-4 whitespace-nowrap">
                <TwoLines
                  top={t.payment_method ? METHOD_LABELS[t.payment_method] ?? t.payment_method : "-"}
                  bottom={t.card_brand || t.card_last4 ? formatCard(t.card_brand, t.card_last4) : null}
                  testId="ledger-transaction-card"
                />
              </Table.Cell>
              <Table.Cell className="pr-4 max-w-[180px]">
                <TwoLines
                  top={t.gateway ?? "-"}
                  bottom={t.external_id}
                  testId="ledger-transaction-external-id"
                  title={t.medusa_payment_id ? `In Medusa's payments as ${t.medusa_payment_id}` : undefined}
                />
              </Table.Cell>
              <Table.Cell className="pr-4 whitespace-nowrap">
                <TwoLines top={formatDay(t.occurred_at)} bottom={formatTime(t.occurred_at)} />
              </Table.Cell>
              <Table.Cell className="pr-4 w-8">
                <TransactionActions
                  orderId={orderId}
                  transaction={t}
                  actions={rowActions(t, transactions)}
                  onOpen={onOpen}
                />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
