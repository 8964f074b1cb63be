import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LEDGER_WEBHOOKS_MODULE, type LedgerChangeFeed } from "../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../modules/ledger-webhooks/service"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"

export const fanOutLedgerWebhookChangesStepId = "fan-out-ledger-webhook-changes"

/**
 * Queues, for each enabled endpoint, a delivery of every new change in the ledger's change feed
 * that it subscribes to, and moves its cursor past them (see `LedgerWebhooksModuleService.fanOut`).
 * No compensation: it is idempotent (a change is queued once per endpoint) and a later pass
 * continues from the cursor.
 *
 * @example
 * const fanOut = fanOutLedgerWebhookChangesStep()
 */
export const fanOutLedgerWebhookChangesStep = createStep(fanOutLedgerWebhookChangesStepId, async (_: void, { container }) => {
  const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
  const feed = container.resolve<LedgerChangeFeed>(ORDER_LEDGER_MODULE)
  return new StepResponse(await webhooks.fanOut(feed))
})

export const sendLedgerWebhookDeliveriesStepId = "send-ledger-webhook-deliveries"

/**
 * Sends the deliveries that are due, each endpoint's in feed order and from one process at a
 * time, and records every attempt (see `LedgerWebhooksModuleService.sendDue`). No compensation:
 * a sent request cannot be taken back, and each attempt is recorded as it ends.
 *
 * @example
 * const sent = sendLedgerWebhookDeliveriesStep()
 */
export const sendLedgerWebhookDeliveriesStep = createStep(sendLedgerWebhookDeliveriesStepId, async (_: void, { container }) => {
  const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
  return new StepResponse(await webhooks.sendDue())
})
