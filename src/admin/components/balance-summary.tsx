import { StatusBadge, Text, clx } from "@medusajs/ui"
import { BALANCE_STATUS_COLORS, BALANCE_STATUS_LABELS } from "../lib/format"
import type { LedgerBalance } from "../lib/types"

/** The balance's status as a badge: settled, customer owes, merchant owes. */
export function BalanceStatusBadge({ status }: { status: LedgerBalance["status"] }) {
  return (
    <StatusBadge color={BALANCE_STATUS_COLORS[status] ?? "grey"} data-testid="ledger-balance-status" data-status={status}>
      {BALANCE_STATUS_LABELS[status] ?? status}
    </StatusBadge>
  )
}

const FIGURES: { key: keyof LedgerBalance; label: string; testId: string }[] = [
  { key: "formatted_order_total", label: "Order total", testId: "ledger-order-total" },
  { key: "formatted_paid_total", label: "Paid", testId: "ledger-paid-total" },
  { key: "formatted_refunded_total", label: "Refunded", testId: "ledger-refunded-total" },
  { key: "formatted_chargeback_total", label: "Chargebacks", testId: "ledger-chargeback-total" },
  { key: "formatted_authorized_total", label: "Authorized", testId: "ledger-authorized-total" },
  { key: "formatted_pending_total", label: "Pending", testId: "ledger-pending-total" },
]

/** The order's balance: what was paid, refunded, held and pending, and what is still owed. */
export function BalanceSummary({ balance }: { balance: LedgerBalance }) {
  const owed =
    balance.status === "customer_owes"
      ? "Customer owes"
      : balance.status === "merchant_owes"
        ? "Merchant owes the customer"
        : "Outstanding"
  return (
    <div className="px-6 py-4" data-testid="ledger-balance">
      <div className="grid grid-cols-3 gap-x-4 gap-y-3 sm:grid-cols-6">
        {FIGURES.map(({ key, label, testId }) => (
          <div key={key} className="flex flex-col">
            <Text size="xsmall" className="text-ui-fg-muted">
              {label}
            </Text>
            <Text size="small" weight="plus" className="tabular-nums" data-testid={testId}>
              {String(balance[key] ?? "-")}
            </Text>
          </div>
        ))}
      </div>
      <div
        className={clx(
          "mt-4 flex items-center justify-between rounded-lg px-3 py-2",
          balance.status === "settled" ? "bg-ui-bg-subtle" : "bg-ui-bg-component"
        )}
      >
        <Text size="small" weight="plus">
          {owed}
        </Text>
        <Text size="base" weight="plus" className="tabular-nums" data-testid="ledger-outstanding">
          {balance.formatted_outstanding_amount.replace(/^-/, "")}
        </Text>
      </div>
    </div>
  )
}
