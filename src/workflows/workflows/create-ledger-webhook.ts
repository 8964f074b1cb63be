import { WorkflowData, WorkflowResponse, createWorkflow } from "@medusajs/framework/workflows-sdk"
import {
  createLedgerWebhookEndpointStep,
  type CreateLedgerWebhookEndpointStepInput,
} from "../steps/create-ledger-webhook-endpoint"
import { validateLedgerWebhookTargetStep } from "../steps/validate-ledger-webhook-target"

/**
 * Input of {@link createLedgerWebhookWorkflow}.
 *
 * @example
 * const input: CreateLedgerWebhookWorkflowInput = { url: "https://books.example.com/ledger" }
 */
export type CreateLedgerWebhookWorkflowInput = CreateLedgerWebhookEndpointStepInput

export const createLedgerWebhookWorkflowId = "create-ledger-webhook"

/**
 * Registers a webhook endpoint: checks its url (http(s); no private target unless the option
 * allows them), creates it with a new `whsec_…` secret and its feed cursor at the end of the
 * change feed, and answers it with the secret (the only time the secret is shown).
 *
 * @example
 * const { result } = await createLedgerWebhookWorkflow(container).run({
 *   input: { url: "https://books.example.com/ledger", events: ["order_transaction.created"] },
 * })
 * // result: { id: "olwh_01…", url: "https://books.example.com/ledger", secret: "whsec_…", enabled: true, status: "active", … }
 */
export const createLedgerWebhookWorkflow = createWorkflow(
  createLedgerWebhookWorkflowId,
  (input: WorkflowData<CreateLedgerWebhookWorkflowInput>) => {
    validateLedgerWebhookTargetStep({ url: input.url })
    const webhook = createLedgerWebhookEndpointStep(input)
    return new WorkflowResponse(webhook)
  }
)
