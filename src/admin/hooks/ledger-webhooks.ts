import type { FetchError } from "@medusajs/js-sdk"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { ledgerQueryKeys } from "../lib/query-keys"
import { sdk } from "../lib/sdk"

/** The change types an endpoint can receive. */
export const WEBHOOK_EVENTS = ["order_transaction.created", "order_transaction.updated", "order_balance.updated"] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** A webhook endpoint as `GET /admin/ledger-webhooks` answers it (never with its secret). */
export interface LedgerWebhook {
  id: string
  url: string
  events: WebhookEvent[] | null
  description: string | null
  enabled: boolean
  status: "active" | "failing"
  failing_since: string | null
  created_at: string
  updated_at: string
}

/** One change to one endpoint, and how its attempts went. */
export interface LedgerWebhookDelivery {
  id: string
  endpoint_id: string
  change_id: string
  change_type: WebhookEvent
  status: "pending" | "succeeded" | "failed"
  attempts: number
  last_status_code: number | null
  last_error: string | null
  last_duration_ms: number | null
  last_attempted_at: string | null
  next_attempt_at: string | null
  delivered_at: string | null
  created_at: string
}

interface ListAnswer {
  count: number
  offset: number
  limit: number
}

/** React Query keys of the webhooks, under the ledger's prefix (every ledger write invalidates them too). */
export const webhookQueryKeys = {
  all: [...ledgerQueryKeys.all, "webhooks"] as const,
  list: (query: object) => [...ledgerQueryKeys.all, "webhooks", "list", query] as const,
  deliveries: (id: string, query: object) => [...ledgerQueryKeys.all, "webhooks", id, "deliveries", query] as const,
}

/** The endpoints, newest first (`GET /admin/ledger-webhooks`). */
export function useLedgerWebhooks(query: { limit: number; offset: number }) {
  return useQuery({
    queryKey: webhookQueryKeys.list(query),
    queryFn: () => sdk.client.fetch<ListAnswer & { webhooks: LedgerWebhook[] }>("/admin/ledger-webhooks", { query }),
    placeholderData: keepPreviousData,
  })
}

/** One endpoint's deliveries, newest change first, refreshed every 3 s while shown (retries move on their own). */
export function useLedgerWebhookDeliveries(id: string, query: { limit: number; offset: number }) {
  return useQuery({
    queryKey: webhookQueryKeys.deliveries(id, query),
    queryFn: () =>
      sdk.client.fetch<ListAnswer & { deliveries: LedgerWebhookDelivery[] }>(`/admin/ledger-webhooks/${id}/deliveries`, {
        query,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: 3000,
  })
}

function useWebhookMutation<Input, Answer>(fn: (input: Input) => Promise<Answer>) {
  const client = useQueryClient()
  return useMutation<Answer, FetchError, Input>({
    mutationFn: fn,
    onSettled: () => client.invalidateQueries({ queryKey: webhookQueryKeys.all }),
  })
}

/** Registers an endpoint; the answer carries its secret, the only time it is shown. */
export function useCreateLedgerWebhook() {
  return useWebhookMutation((body: { url: string; events?: WebhookEvent[] | null; description?: string | null }) =>
    sdk.client.fetch<{ webhook: LedgerWebhook & { secret: string } }>("/admin/ledger-webhooks", { method: "POST", body })
  )
}

/** Enables or disables an endpoint, or changes its url, events or description. */
export function useUpdateLedgerWebhook() {
  return useWebhookMutation(
    ({ id, ...body }: { id: string; enabled?: boolean; url?: string; events?: WebhookEvent[] | null; description?: string | null }) =>
      sdk.client.fetch<{ webhook: LedgerWebhook }>(`/admin/ledger-webhooks/${id}`, { method: "POST", body })
  )
}

/** Deletes an endpoint. */
export function useDeleteLedgerWebhook() {
  return useWebhookMutation(({ id }: { id: string }) =>
    sdk.client.fetch<{ id: string; deleted: boolean }>(`/admin/ledger-webhooks/${id}`, { method: "DELETE" })
  )
}

/** Sends one delivery again now (also a succeeded or failed one), with the same change id. */
export function useRetryLedgerWebhookDelivery() {
  return useWebhookMutation(({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) =>
    sdk.client.fetch<{ delivery: LedgerWebhookDelivery }>(
      `/admin/ledger-webhooks/${webhookId}/deliveries/${deliveryId}/retry`,
      { method: "POST" }
    )
  )
}
