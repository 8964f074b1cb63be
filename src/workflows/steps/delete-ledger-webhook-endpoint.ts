import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LEDGER_WEBHOOKS_MODULE } from "../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../modules/ledger-webhooks/service"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/**
 * Input of {@link deleteLedgerWebhookEndpointStep}.
 *
 * @example
 * const input: DeleteLedgerWebhookEndpointStepInput = { id: "olwh_123" }
 */
export type DeleteLedgerWebhookEndpointStepInput = { id: string }

export const deleteLedgerWebhookEndpointStepId = "delete-ledger-webhook-endpoint"

/**
 * Deletes an endpoint (soft: nothing is sent to it again, its deliveries stay as a record).
 * `NOT_FOUND` for an unknown or already deleted id. Compensation restores it.
 *
 * @example
 * deleteLedgerWebhookEndpointStep({ id: "olwh_123" })
 */
export const deleteLedgerWebhookEndpointStep = createStep(
  deleteLedgerWebhookEndpointStepId,
  async (input: DeleteLedgerWebhookEndpointStepInput, { container }) => {
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    const [found] = await webhooks.listLedgerWebhookEndpoints({ id: input.id }, { select: ["id"], take: 1 })
    if (!found) {
      ledgerError(LedgerErrorCode.NOT_FOUND, `Webhook with id: ${input.id} was not found.`)
    }
    await webhooks.softDeleteLedgerWebhookEndpoints([input.id])
    return new StepResponse({ id: input.id }, input.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    await webhooks.restoreLedgerWebhookEndpoints([id])
  }
)
