import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LEDGER_WEBHOOKS_MODULE } from "../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../modules/ledger-webhooks/service"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/**
 * Input of {@link scheduleLedgerWebhookDeliveryStep}.
 *
 * @example
 * const input: ScheduleLedgerWebhookDeliveryStepInput = { webhook_id: "olwh_123", delivery_id: "olwhd_456" }
 */
export type ScheduleLedgerWebhookDeliveryStepInput = { webhook_id: string; delivery_id: string }

export const scheduleLedgerWebhookDeliveryStepId = "schedule-ledger-webhook-delivery"

/**
 * Makes a delivery pending and due now, whatever its status (a manual redelivery): the next
 * send pass sends the same change, with the same `Ledger-Webhook-Id`, again. A failed delivery
 * gets one more attempt; a pending one keeps its retries. `NOT_FOUND` for an unknown webhook or
 * a delivery that is not its. Compensation puts its schedule back.
 *
 * @example
 * scheduleLedgerWebhookDeliveryStep({ webhook_id: "olwh_123", delivery_id: "olwhd_456" })
 */
export const scheduleLedgerWebhookDeliveryStep = createStep(
  scheduleLedgerWebhookDeliveryStepId,
  async (input: ScheduleLedgerWebhookDeliveryStepInput, { container }) => {
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    const [endpoint] = await webhooks.listLedgerWebhookEndpoints({ id: input.webhook_id }, { select: ["id"], take: 1 })
    if (!endpoint) {
      ledgerError(LedgerErrorCode.NOT_FOUND, `Webhook with id: ${input.webhook_id} was not found.`)
    }
    const before = await webhooks.scheduleDeliveryNow(input.webhook_id, input.delivery_id)
    return new StepResponse({ id: before.id }, before)
  },
  async (before, { container }) => {
    if (!before) {
      return
    }
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    await webhooks.restoreDeliverySchedule(before)
  }
)
