import { model } from "@medusajs/framework/utils"
import { LedgerWebhookStatus } from "../types"

/**
 * A URL that receives the ledger's changes as signed POSTs. The fan-out follows the change feed
 * for it from `cursor` and queues a delivery for each change it subscribes to.
 */
const LedgerWebhookEndpoint = model.define(
  { name: "LedgerWebhookEndpoint", tableName: "ledger_webhook_endpoint" },
  {
    // The endpoint's id, prefixed `olwh_`.
    id: model.id({ prefix: "olwh" }).primaryKey(),
    // Where deliveries are POSTed: http or https.
    url: model.text(),
    // The change types it receives (`order_transaction.created`, …); null or [] is every type.
    events: model.array().nullable(),
    // The merchant's note on what it is for.
    description: model.text().nullable(),
    // A disabled endpoint is paused: nothing is sent, and it resumes where it stopped.
    enabled: model.boolean().default(true),
    // `whsec_…`, the HMAC key of its signatures; answered once, by the create route.
    secret: model.text(),
    // `failing` once a delivery was given up, `active` again after the next success.
    status: model.enum(LedgerWebhookStatus).default(LedgerWebhookStatus.ACTIVE),
    // The change-feed cursor its fan-out has reached (the end of the feed when it was created).
    cursor: model.text().nullable(),
    // Since when it is `failing`.
    failing_since: model.dateTime().nullable(),
  }
)

export default LedgerWebhookEndpoint
