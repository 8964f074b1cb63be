import { FetchError } from "@medusajs/js-sdk"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { ledgerQueryKeys, medusaOrderDetailKey } from "../lib/query-keys"
import { sdk } from "../lib/sdk"
import type {
  BalanceResponse,
  HistoryResponse,
  RecordTransactionInput,
  RecordTransactionsResponse,
  RefundInput,
  TransactionResponse,
  TransactionsResponse,
  TransactionStatus,
  TransactionWithBalanceResponse,
} from "../lib/types"

/** The most transactions the widget loads for one order. */
export const ORDER_TRANSACTIONS_LIMIT = 200

/** One order's ledger transactions, oldest first. */
export function useLedgerTransactions(orderId: string) {
  return useQuery({
    queryKey: ledgerQueryKeys.orderTransactions(orderId),
    queryFn: () =>
      sdk.client.fetch<TransactionsResponse>(`/admin/orders/${orderId}/transactions`, {
        query: { limit: ORDER_TRANSACTIONS_LIMIT, order: "occurred_at" },
      }),
  })
}

/** One order's balance. */
export function useOrderBalance(orderId: string) {
  return useQuery({
    queryKey: ledgerQueryKeys.orderBalance(orderId),
    queryFn: () => sdk.client.fetch<BalanceResponse>(`/admin/orders/${orderId}/balance`),
  })
}

/** One transaction's changes, oldest first: who recorded it, who moved it, and when. */
export function useTransactionHistory(id: string) {
  return useQuery({
    queryKey: ledgerQueryKeys.history(id),
    queryFn: () => sdk.client.fetch<HistoryResponse>(`/admin/order-transactions/${id}/history`),
  })
}

/** Admin users by id (their email and name), for naming who acted in a history. */
export function useAdminUsers(ids: string[]) {
  return useQuery({
    queryKey: ["order_ledger", "users", ids],
    enabled: ids.length > 0,
    queryFn: () =>
      sdk.client.fetch<{ users: { id: string; email: string; first_name: string | null; last_name: string | null }[] }>(
        "/admin/users",
        { query: { id: ids, fields: "id,email,first_name,last_name", limit: ids.length } }
      ),
  })
}

/** Fetches one transaction fresh from the server (refund figures included). */
export function fetchTransaction(id: string) {
  return sdk.client.fetch<TransactionResponse>(`/admin/order-transactions/${id}`)
}

/** Refreshes the ledger's queries and Medusa's own order (its paid and outstanding amounts). */
export function useInvalidateOrder() {
  const queryClient = useQueryClient()
  return async (orderId: string) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ledgerQueryKeys.all }),
      queryClient.invalidateQueries({ queryKey: medusaOrderDetailKey(orderId) }),
    ])
  }
}

/** Records one transaction on an order (`POST /admin/orders/:id/transactions`). */
export function useRecordTransaction(orderId: string) {
  const invalidate = useInvalidateOrder()
  return useMutation<RecordTransactionsResponse, FetchError, RecordTransactionInput>({
    mutationFn: (transaction) =>
      sdk.client.fetch<RecordTransactionsResponse>(`/admin/orders/${orderId}/transactions`, {
        method: "POST",
        body: { transactions: [transaction] },
      }),
    onSuccess: () => invalidate(orderId),
  })
}

/** Refunds a payment (`POST /admin/order-transactions/:id/refunds`). */
export function useRefundTransaction(orderId: string, transactionId: string) {
  const invalidate = useInvalidateOrder()
  return useMutation<TransactionWithBalanceResponse, FetchError, RefundInput>({
    mutationFn: (body) =>
      sdk.client.fetch<TransactionWithBalanceResponse>(`/admin/order-transactions/${transactionId}/refunds`, {
        method: "POST",
        body,
      }),
    onSuccess: () => invalidate(orderId),
  })
}

/** Moves a transaction's status forward (`POST /admin/order-transactions/:id`). */
export function useUpdateTransactionStatus(orderId: string) {
  const invalidate = useInvalidateOrder()
  return useMutation<TransactionWithBalanceResponse, FetchError, { id: string; status: TransactionStatus }>({
    mutationFn: ({ id, status }) =>
      sdk.client.fetch<TransactionWithBalanceResponse>(`/admin/order-transactions/${id}`, {
        method: "POST",
        body: { status },
      }),
    onSuccess: () => invalidate(orderId),
  })
}
