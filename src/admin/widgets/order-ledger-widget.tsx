import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading, Skeleton, Text } from "@medusajs/ui"
import { useState } from "react"
import { BalanceStatusBadge, BalanceSummary } from "../components/balance-summary"
import { CaptureDrawer } from "../components/capture-drawer"
import { ErrorAlert } from "../components/error-alert"
import { HistoryDrawer } from "../components/history-drawer"
import { LedgerTransactionsTable } from "../components/order-transactions-table"
import { RecordTransactionDrawer } from "../components/record-transaction-drawer"
import { RefundDrawer } from "../components/refund-drawer"
import { ReverseDrawer } from "../components/reverse-drawer"
import type { DrawerAction } from "../components/transaction-actions"
import { useOrderBalance, useLedgerTransactions } from "../hooks/order-ledger"
import { balanceStatusOf } from "../lib/format"

/**
 * The order's money ledger on the order details page: the balance (who owes whom), every
 * transaction with refunds under their payment, "Record payment", and per-row actions: refund a
 * payment, capture or void a Medusa checkout authorization, reverse a refund or chargeback, and
 * the row's history (who did what, and when).
 */
const OrderLedgerWidget = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const balance = useOrderBalance(order.id)
  const transactions = useLedgerTransactions(order.id)
  // The open drawer and the row it acts on, by id: the drawer reads the row fresh on every refresh.
  const [open, setOpen] = useState<{ action: DrawerAction; id: string } | null>(null)
  const rows = transactions.data?.transactions ?? []
  const target = open && rows.find((t) => t.id === open.id)
  const close = () => setOpen(null)

  return (
    <Container className="divide-y p-0" data-testid="ledger-widget">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="flex flex-col">
          <div className="flex items-center gap-x-2">
            <Heading level="h2">Ledger</Heading>
            {balance.data && <BalanceStatusBadge status={balanceStatusOf(balance.data.balance)} />}
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            Every payment, refund and chargeback of this order
          </Text>
        </div>
        <RecordTransactionDrawer orderId={order.id} currencyCode={order.currency_code} transactions={rows} />
      </div>

      {balance.isPending ? (
        <div className="px-6 py-4">
          <Skeleton className="h-16 w-full" />
        </div>
      ) : balance.error ? (
        <div className="px-6 py-4">
          <ErrorAlert error={balance.error} testId="ledger-balance-error" />
        </div>
      ) : (
        <BalanceSummary balance={balance.data.balance} />
      )}

      {transactions.isPending ? (
        <div className="px-6 py-4">
          <Skeleton className="h-24 w-full" />
        </div>
      ) : transactions.error ? (
        <div className="px-6 py-4">
          <ErrorAlert error={transactions.error} testId="ledger-transactions-error" />
        </div>
      ) : (
        <LedgerTransactionsTable
          orderId={order.id}
          transactions={rows}
          onOpen={(action, t) => setOpen({ action, id: t.id })}
        />
      )}

      {target && open.action === "refund" && (
        <RefundDrawer key={target.id} orderId={order.id} payment={target} onClose={close} />
      )}
      {target && open.action === "capture" && (
        <CaptureDrawer key={target.id} orderId={order.id} authorization={target} transactions={rows} onClose={close} />
      )}
      {target && open.action === "history" && <HistoryDrawer key={target.id} transaction={target} onClose={close} />}
      {target && open.action === "reverse" && (
        <ReverseDrawer key={target.id} orderId={order.id} reversed={target} transactions={rows} onClose={close} />
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.after",
})

export default OrderLedgerWidget
