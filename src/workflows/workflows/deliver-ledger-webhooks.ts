import { WorkflowResponse, createWorkflow, transform } from "@medusajs/framework/workflows-sdk"
import { fanOutLedgerWebhookChangesStep, sendLedgerWebhookDeliveriesStep } from "../steps/deliver-ledger-webhooks"

export const deliverLedgerWebhooksWorkflowId = "deliver-ledger-webhooks"

/**
 * One round of webhook delivery, what the `deliver-ledger-webhooks` job runs every second: the
 * fan-out queues each endpoint's new changes from the change feed, then the due deliveries are
 * sent and their attempts recorded. Safe in several processes at once (row locks with
 * `SKIP LOCKED` and claims; see the webhooks module's service).
 *
 * @example
 * const { result } = await deliverLedgerWebhooksWorkflow(container).run()
 * // result: { fan_out: { endpoints: 1, changes_read: 3, deliveries_created: 3 }, sent: { attempted: 3, succeeded: 3, … } }
 */
export const deliverLedgerWebhooksWorkflow = createWorkflow(deliverLedgerWebhooksWorkflowId, () => {
  const fanOut = fanOutLedgerWebhookChangesStep()
  const sent = sendLedgerWebhookDeliveriesStep()
  const result = transform({ fanOut, sent }, ({ fanOut, sent }) => ({ fan_out: fanOut, sent }))
  return new WorkflowResponse(result)
})
