/** React Query keys of the ledger's admin data; every write invalidates `all`. */
export const ledgerQueryKeys = {
  all: ["order_ledger"] as const,
  orderTransactions: (orderId: string) => ["order_ledger", "order", orderId, "transactions"] as const,
  orderBalance: (orderId: string) => ["order_ledger", "order", orderId, "balance"] as const,
  transaction: (id: string) => ["order_ledger", "transaction", id] as const,
  history: (id: string) => ["order_ledger", "transaction", id, "history"] as const,
  transactions: (query: object) => ["order_ledger", "transactions", "list", query] as const,
  balances: (query: object) => ["order_ledger", "balances", "list", query] as const,
}

/** The key prefix of Medusa's own order queries (the dashboard's `ordersQueryKeys.detail(id)`). */
export const medusaOrderDetailKey = (orderId: string) => ["orders", "detail", orderId] as const
