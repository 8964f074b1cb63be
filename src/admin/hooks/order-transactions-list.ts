import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { ledgerQueryKeys } from "../lib/query-keys"
import { sdk } from "../lib/sdk"
import type { BalanceStatus, BalancesResponse, TransactionFilters, TransactionsResponse } from "../lib/types"

/** Query of the transactions page: filters plus paging. */
export interface TransactionsListQuery extends TransactionFilters {
  limit: number
  offset: number
}

/** Transactions across orders (`GET /admin/order-transactions`), newest first, with each order's number. */
export function useTransactionsList(query: TransactionsListQuery) {
  return useQuery({
    queryKey: ledgerQueryKeys.transactions(query),
    queryFn: () =>
      sdk.client.fetch<TransactionsResponse>("/admin/order-transactions", {
        query: { ...query, order: "-occurred_at", fields: "+order.display_id" },
      }),
    placeholderData: keepPreviousData,
  })
}

/** Query of the outstanding balances tab. */
export interface BalancesListQuery {
  status: BalanceStatus[]
  limit: number
  offset: number
}

/** Orders that owe or are owed money (`GET /admin/order-balances`), largest amount first. */
export function useBalancesList(query: BalancesListQuery) {
  return useQuery({
    queryKey: ledgerQueryKeys.balances(query),
    queryFn: () =>
      sdk.client.fetch<BalancesResponse>("/admin/order-balances", {
        query: { ...query, order: "-outstanding_amount", fields: "+order.display_id,+order.email" },
      }),
    placeholderData: keepPreviousData,
  })
}

/**
 * Downloads the CSV of the transactions matching `filters`
 * (`GET /admin/order-transactions/export`), as the browser's own file download.
 */
export async function downloadTransactionsCsv(filters: TransactionFilters): Promise<string> {
  const response = await sdk.client.fetch<Response>("/admin/order-transactions/export", {
    query: { ...filters },
    headers: { accept: "text/csv" },
  })
  const blob = await response.blob()
  const disposition = response.headers.get("content-disposition") ?? ""
  const fileName =
    /filename="?([^";]+)"?/i.exec(disposition)?.[1] ??
    `order-transactions-${new Date().toISOString().slice(0, 10)}.csv`
  const url = URL.createObjectURL(blob)
  const link = document.createElement("a")
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
  return fileName
}
