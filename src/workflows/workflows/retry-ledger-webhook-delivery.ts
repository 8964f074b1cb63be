import { WorkflowData, WorkflowResponse, createWorkflow } from "@medusajs/framework/workflows-sdk"
import {
  scheduleLedgerWebhookDeliveryStep,
  type ScheduleLedgerWebhookDeliveryStepInput,
} from "../steps/schedule-ledger-webhook-delivery"

/**
 * Input of {@link retryLedgerWebhookDeliveryWorkflow}.
 *
 * @example
 * const input: RetryLedgerWebhookDeliveryWorkflowInput = { webhook_id: "olwh_123", delivery_id: "olwhd_456" }
 */
export type RetryLedgerWebhookDeliveryWorkflowInput = ScheduleLedgerWebhookDeliveryStepInput

export const retryLedgerWebhookDeliveryWorkflowId = "retry-ledger-webhook-delivery"

/**
 * A manual redelivery: schedules one of an endpoint's deliveries now, also a succeeded or a
 * failed one. The deliveries job sends it within about a second, with the same change id.
 * Answers `{ id }` of the delivery.
 *
 * @example
 * await retryLedgerWebhookDeliveryWorkflow(container).run({ input: { webhook_id: "olwh_123", delivery_id: "olwhd_456" } })
 */
export const retryLedgerWebhookDeliveryWorkflow = createWorkflow(
  retryLedgerWebhookDeliveryWorkflowId,
  (input: WorkflowData<RetryLedgerWebhookDeliveryWorkflowInput>) => {
    const scheduled = scheduleLedgerWebhookDeliveryStep(input)
    return new WorkflowResponse(scheduled)
  }
)
