import type { LedgerChangePage, LedgerChangeType } from "../order-ledger/types"

/**
 * Options of the webhooks module (`options` of its entry in `medusa-config.ts`; as a plugin, the
 * plugin's options reach it as they are).
 */
export interface LedgerWebhooksModuleOptions {
  webhooks?: {
    /**
     * Lets endpoints point at private, loopback, link-local, unique-local and unspecified
     * addresses. Default: true only when `NODE_ENV` is `development` or `test`.
     */
    allow_private_targets?: boolean
  }
}

/** The change types an endpoint can subscribe to: every `LedgerChangeType`, once. */
export const LEDGER_WEBHOOK_EVENTS = [
  "order_transaction.created",
  "order_transaction.updated",
  "order_balance.updated",
] as const satisfies readonly LedgerChangeType[]

// A compile-time proof that the list above names every change type of the feed.
type MissingEvents = Exclude<LedgerChangeType, (typeof LEDGER_WEBHOOK_EVENTS)[number]>
const everyChangeType: MissingEvents extends never ? true : never = true
void everyChangeType

/** Where an endpoint stands: `failing` once a delivery gave up, `active` again after a success. */
export const LedgerWebhookStatus = {
  ACTIVE: "active",
  FAILING: "failing",
} as const
export type LedgerWebhookStatus = (typeof LedgerWebhookStatus)[keyof typeof LedgerWebhookStatus]

/** Where a delivery stands. */
export const LedgerWebhookDeliveryStatus = {
  /** Waiting for its first attempt or its next retry. */
  PENDING: "pending",
  /** An attempt was answered 2xx. */
  SUCCEEDED: "succeeded",
  /** Every attempt for 3 days failed (or a manual retry after those 3 days did). */
  FAILED: "failed",
} as const
export type LedgerWebhookDeliveryStatus =
  (typeof LedgerWebhookDeliveryStatus)[keyof typeof LedgerWebhookDeliveryStatus]

/** The change feed as the fan-out reads it: the order-ledger module's `listChanges`. */
export interface LedgerChangeFeed {
  listChanges(input: { after?: string | null; limit: number }): Promise<LedgerChangePage>
  /** The feed's end now, when the feed can say it in one read (else it is paged to). */
  getChangeFeedHead?(): Promise<string>
}

/** An endpoint as the API answers it: every stored field but the secret. */
export interface LedgerWebhookView {
  id: string
  url: string
  /** The change types it receives; null (or empty) is every type. */
  events: LedgerChangeType[] | null
  description: string | null
  enabled: boolean
  status: LedgerWebhookStatus
  /** The feed cursor the fan-out has reached for this endpoint. */
  cursor: string | null
  failing_since: Date | null
  created_at: Date
  updated_at: Date
}

/** A stored endpoint, secret included (the service's own reads and the create answer). */
export interface LedgerWebhookRow extends LedgerWebhookView {
  secret: string
}

/** Input of `createEndpoints`. */
export interface CreateLedgerWebhookInput {
  url: string
  events?: LedgerChangeType[] | null
  description?: string | null
}

/** Input of `updateEndpoint`: the fields to change. */
export interface UpdateLedgerWebhookInput {
  id: string
  url?: string
  events?: LedgerChangeType[] | null
  description?: string | null
  enabled?: boolean
}

/** A delivery claimed for sending: its row and the endpoint's url and secret. */
export interface ClaimedLedgerWebhookDelivery {
  id: string
  endpoint_id: string
  change_id: string
  position: number
  /** The exact body to send. */
  payload: string
  attempts: number
  first_attempted_at: Date | null
  /** The claim's `locked_until`, exactly as stored: only this claim may record the outcome. */
  claim: string
  url: string
  secret: string
}

/** What one attempt came to. */
export interface LedgerWebhookAttempt {
  /** The HTTP status answered, or null for a timeout, a network error or a refused target. */
  status_code: number | null
  /** Why it failed (null for a 2xx). */
  error: string | null
  duration_ms: number
  attempted_at: Date
  succeeded: boolean
}

/** What one fan-out pass did. */
export interface LedgerWebhookFanOutResult {
  endpoints: number
  changes_read: number
  deliveries_created: number
}

/** What one send pass did. */
export interface LedgerWebhookSendResult {
  attempted: number
  succeeded: number
  failed_attempts: number
  given_up: number
}
