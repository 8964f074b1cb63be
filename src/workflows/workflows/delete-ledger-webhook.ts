import { WorkflowData, WorkflowResponse, createWorkflow } from "@medusajs/framework/workflows-sdk"
import {
  deleteLedgerWebhookEndpointStep,
  type DeleteLedgerWebhookEndpointStepInput,
} from "../steps/delete-ledger-webhook-endpoint"

/**
 * Input of {@link deleteLedgerWebhookWorkflow}.
 *
 * @example
 * const input: DeleteLedgerWebhookWorkflowInput = { id: "olwh_123" }
 */
export type DeleteLedgerWebhookWorkflowInput = DeleteLedgerWebhookEndpointStepInput

export const deleteLedgerWebhookWorkflowId = "delete-ledger-webhook"

/**
 * Deletes a webhook endpoint: nothing more is sent to it. Answers `{ id }`.
 *
 * @example
 * await deleteLedgerWebhookWorkflow(container).run({ input: { id: "olwh_123" } })
 */
export const deleteLedgerWebhookWorkflow = createWorkflow(
  deleteLedgerWebhookWorkflowId,
  (input: WorkflowData<DeleteLedgerWebhookWorkflowInput>) => {
    const deleted = deleteLedgerWebhookEndpointStep(input)
    return new WorkflowResponse(deleted)
  }
)
