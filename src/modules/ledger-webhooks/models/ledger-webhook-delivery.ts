import { model } from "@medusajs/framework/utils"
import { LedgerWebhookDeliveryStatus } from "../types"

/**
 * One change to send to one endpoint, and how its attempts went. Created once per endpoint and
 * change (unique), so however often the fan-out runs, a change is queued once; every attempt,
 * retries and manual redeliveries included, sends the same body and change id.
 */
const LedgerWebhookDelivery = model
  .define(
    { name: "LedgerWebhookDelivery", tableName: "ledger_webhook_delivery" },
    {
      // The delivery's id, prefixed `olwhd_`.
      id: model.id({ prefix: "olwhd" }).primaryKey(),
      // The endpoint (`olwh_…`).
      endpoint_id: model.text(),
      // The change (`olchg_…`), sent as `Ledger-Webhook-Id`.
      change_id: model.text(),
      // The change's type.
      change_type: model.text(),
      // Its place in the endpoint's feed order: deliveries are sent by it.
      position: model.number(),
      // The exact body sent: the change as the feed answers it.
      payload: model.text(),
      // pending → succeeded | failed (a manual retry makes it pending again).
      status: model.enum(LedgerWebhookDeliveryStatus).default(LedgerWebhookDeliveryStatus.PENDING),
      // Attempts made so far.
      attempts: model.number().default(0),
      // The HTTP status of the last attempt (null for a timeout or network error).
      last_status_code: model.number().nullable(),
      // Why the last attempt failed.
      last_error: model.text().nullable(),
      // How long the last attempt took, in milliseconds.
      last_duration_ms: model.number().nullable(),
      // When it was first tried: retries end 3 days later.
      first_attempted_at: model.dateTime().nullable(),
      // When it was last tried.
      last_attempted_at: model.dateTime().nullable(),
      // When it is due (its first attempt, or the next retry) while pending.
      next_attempt_at: model.dateTime().nullable(),
      // While in the future, one process is sending it; a crashed process's claim runs out.
      locked_until: model.dateTime().nullable(),
      // When an attempt was answered 2xx.
      delivered_at: model.dateTime().nullable(),
    }
  )
  .indexes([
    {
      name: "IDX_ledger_webhook_delivery_endpoint_change_unique",
      on: ["endpoint_id", "change_id"],
      unique: true,
    },
    { on: ["endpoint_id", "position"] },
    { on: ["endpoint_id", "locked_until"], where: "status = 'pending'" },
    { on: ["next_attempt_at"], where: "status = 'pending'" },
  ])

export default LedgerWebhookDelivery
