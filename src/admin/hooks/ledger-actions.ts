import { FetchError } from "@medusajs/js-sdk"
import { useMutation } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { CaptureInput, ReversalInput, TransactionWithBalanceResponse } from "../lib/types"
import { useInvalidateOrder } from "./order-ledger"

/**
 * The provider actions and reversals of one ledger row. Each refreshes what a refund refreshes
 * (the ledger's queries and Medusa's own order) when it succeeds, and also when it fails: a
 * failure is often someone else's change (a capture from Medusa's own page, a 409), and the
 * widget should then show the fresh figures.
 */
function useRowAction<Body>(orderId: string, path: (id: string) => string) {
  const invalidate = useInvalidateOrder()
  return useMutation<TransactionWithBalanceResponse, FetchError, { id: string; body?: Body }>({
    mutationFn: ({ id, body }) =>
      sdk.client.fetch<TransactionWithBalanceResponse>(path(id), { method: "POST", ...(body !== undefined && { body }) }),
    onSettled: () => invalidate(orderId),
  })
}

/** Captures a Medusa checkout authorization with its provider (`POST /admin/order-transactions/:id/capture`). */
export function useCaptureAuthorization(orderId: string) {
  return useRowAction<CaptureInput>(orderId, (id) => `/admin/order-transactions/${id}/capture`)
}

/** Cancels a Medusa checkout authorization with its provider (`POST /admin/order-transactions/:id/void`). */
export function useVoidAuthorization(orderId: string) {
  return useRowAction<never>(orderId, (id) => `/admin/order-transactions/${id}/void`)
}

/** Turns back a succeeded refund or chargeback (`POST /admin/order-transactions/:id/reversals`). */
export function useReverseTransaction(orderId: string) {
  return useRowAction<ReversalInput>(orderId, (id) => `/admin/order-transactions/${id}/reversals`)
}
