import { WorkflowData, WorkflowResponse, createWorkflow, transform, when } from "@medusajs/framework/workflows-sdk"
import {
  updateLedgerWebhookEndpointStep,
  type UpdateLedgerWebhookEndpointStepInput,
} from "../steps/update-ledger-webhook-endpoint"
import { validateLedgerWebhookTargetStep } from "../steps/validate-ledger-webhook-target"

/**
 * Input of {@link updateLedgerWebhookWorkflow}.
 *
 * @example
 * const input: UpdateLedgerWebhookWorkflowInput = { id: "olwh_123", enabled: false }
 */
export type UpdateLedgerWebhookWorkflowInput = UpdateLedgerWebhookEndpointStepInput

export const updateLedgerWebhookWorkflowId = "update-ledger-webhook"

/**
 * Changes a webhook endpoint's url, events, description or enabled; a new url is checked as at
 * creation. Answers `{ id }`.
 *
 * @example
 * await updateLedgerWebhookWorkflow(container).run({ input: { id: "olwh_123", enabled: false } })
 */
export const updateLedgerWebhookWorkflow = createWorkflow(
  updateLedgerWebhookWorkflowId,
  (input: WorkflowData<UpdateLedgerWebhookWorkflowInput>) => {
    when({ input }, ({ input }) => typeof input.url === "string").then(() => {
      const target = transform({ input }, ({ input }) => ({ url: input.url as string }))
      validateLedgerWebhookTargetStep(target)
    })
    updateLedgerWebhookEndpointStep(input)
    const result = transform({ input }, ({ input }) => ({ id: input.id }))
    return new WorkflowResponse(result)
  }
)
