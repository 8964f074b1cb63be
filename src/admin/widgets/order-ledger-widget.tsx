import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading, Skeleton, Text } from "@medusajs/ui"
import { useState } from "react"
import { BalanceStatusBadge, BalanceSummary } from "../components/balance-summary"
import { ErrorAlert } from "../components/error-alert"
import { LedgerTransactionsTable } from "../components/order-transactions-table"
import { RecordTransactionDrawer } from "../components/record-transaction-drawer"
import { RefundDrawer } from "../components/refund-drawer"
import { useOrderBalance, useLedgerTransactions } from "../hooks/order-ledger"
import type { LedgerTransaction } from "../lib/types"

/**
 * The order's money ledger on the order details page: the balance (who owes whom), every
 * transaction with refunds under their payment, "Record payment", and per-payment "Refund".
 */
const OrderLedgerWidget = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const balance = useOrderBalance(order.id)
  const transactions = useLedgerTransactions(order.id)
  const [refunding, setRefunding] = useState<LedgerTransaction | null>(null)
  const rows = transactions.data?.transactions ?? []

  return (
    <Container className="divide-y p-0" data-testid="ledger-widget">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="flex flex-col">
          <div className="flex items-center gap-x-2">
            <Heading level="h2">Ledger</Heading>
            {balance.data && <BalanceStatusBadge status={balance.data.balance.status} />}
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
        <LedgerTransactionsTable orderId={order.id} transactions={rows} onRefund={setRefunding} />
      )}

      {refunding && <RefundDrawer key={refunding.id} orderId={order.id} payment={refunding} onClose={() => setRefunding(null)} />}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.after",
})

export default OrderLedgerWidget
