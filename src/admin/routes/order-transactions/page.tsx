import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CurrencyDollar } from "@medusajs/icons"
import { Container, Heading, Tabs, Text } from "@medusajs/ui"
import { useSearchParams } from "react-router-dom"
import { BalancesTab } from "./components/balances-tab"
import { TransactionsTab } from "./components/transactions-tab"

type Tab = "transactions" | "balances"

/**
 * The "Transactions" page: every ledger transaction across orders (filters, paging, CSV export)
 * and the orders that still owe or are owed money.
 */
const LedgerTransactionsPage = () => {
  const [params, setParams] = useSearchParams()
  const tab: Tab = params.get("tab") === "balances" ? "balances" : "transactions"

  const setTab = (value: string) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev)
      if (value === "balances") {
        next.set("tab", "balances")
      } else {
        next.delete("tab")
      }
      return next
    })

  return (
    <Container className="divide-y p-0" data-testid="ledger-transactions-page">
      <div className="px-6 py-4">
        <Heading>Transactions</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Payments, refunds and chargebacks of every order, and who still owes whom
        </Text>
      </div>
      <Tabs value={tab} onValueChange={setTab}>
        <Tabs.List className="px-6 py-3">
          <Tabs.Trigger value="transactions" data-testid="ledger-tab-transactions">
            Transactions
          </Tabs.Trigger>
          <Tabs.Trigger value="balances" data-testid="ledger-tab-balances">
            Outstanding balances
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="transactions" className="border-t">
          <TransactionsTab />
        </Tabs.Content>
        <Tabs.Content value="balances" className="border-t">
          <BalancesTab />
        </Tabs.Content>
      </Tabs>
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Transactions",
  icon: CurrencyDollar,
})

export default LedgerTransactionsPage
