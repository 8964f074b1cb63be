import { StatusBadge, Text, clx } from "@medusajs/ui"
import { roundsToZero } from "../lib/amounts"
import { BALANCE_STATUS_COLORS, BALANCE_STATUS_LABELS, balanceStatusOf, moneyText } from "../lib/format"
import type { LedgerBalance } from "../lib/types"

/** The balance's status as a badge: settled, customer owes, merchant owes. */
export function BalanceStatusBadge({ status }: { status: LedgerBalance["status"] }) {
  return (
    <StatusBadge color={BALANCE_STATUS_COLORS[status] ?? "grey"} data-testid="ledger-balance-status" data-status={status}>
      {BALANCE_STATUS_LABELS[status] ?? status}
    </StatusBadge>
  )
}

type MoneyField =
  | "order_total"
  | "paid_total"
  | "refunded_total"
  | "net_paid"
  | "chargeback_total"
  | "reversed_total"
  | "authorized_total"
  | "pending_total"

/** The figures shown; `optional` ones only when they are not zero. */
const FIGURES: { field: MoneyField; label: string; testId: string; optional?: boolean }[] = [
  { field: "order_total", label: "Order total", testId: "ledger-order-total" },
  { field: "paid_total", label: "Paid", testId: "ledger-paid-total" },
  { field: "refunded_total", label: "Refunded", testId: "ledger-refunded-total" },
  { field: "chargeback_total", label: "Chargebacks", testId: "ledger-chargeback-total" },
  { field: "reversed_total", label: "Reversed", testId: "ledger-reversed-total", optional: true },
  { field: "net_paid", label: "Net paid", testId: "ledger-net-paid" },
  { field: "authorized_total", label: "Authorized", testId: "ledger-authorized-total" },
  { field: "pending_total", label: "Pending", testId: "ledger-pending-total" },
]

/**
 * The order's balance: what was paid, refunded (and reversed), held and pending, and what is
 * still owed. An outstanding amount that rounds to zero in the currency reads as settled.
 */
export function BalanceSummary({ balance }: { balance: LedgerBalance }) {
  const status = balanceStatusOf(balance)
  const owed =
    status === "customer_owes" ? "Customer owes" : status === "merchant_owes" ? "Merchant owes the customer" : "Outstanding"
  const text = (field: MoneyField | "outstanding_amount") =>
    moneyText(balance[field], balance[`formatted_${field}`], balance.currency_code)
  const figures = FIGURES.filter(
    ({ field, optional }) => !optional || !roundsToZero(balance[field] ?? 0, balance.currency_code)
  )
  return (
    <div className="px-6 py-4" data-testid="ledger-balance">
      <div className={clx("grid grid-cols-3 gap-x-4 gap-y-3", figures.length > 7 ? "sm:grid-cols-8" : "sm:grid-cols-7")}>
        {figures.map(({ field, label, testId }) => (
          <div key={field} className="flex flex-col">
            <Text size="xsmall" className="text-ui-fg-muted">
              {label}
            </Text>
            <Text size="small" weight="plus" className="tabular-nums" data-testid={testId}>
              {text(field)}
            </Text>
          </div>
        ))}
      </div>
      <div
        className={clx(
          "mt-4 flex items-center justify-between rounded-lg px-3 py-2",
          status === "settled" ? "bg-ui-bg-subtle" : "bg-ui-bg-component"
        )}
      >
        <Text size="small" weight="plus">
          {owed}
        </Text>
        <Text size="base" weight="plus" className="tabular-nums" data-testid="ledger-outstanding">
          {text("outstanding_amount").replace(/^-/, "")}
        </Text>
      </div>
    </div>
  )
}
