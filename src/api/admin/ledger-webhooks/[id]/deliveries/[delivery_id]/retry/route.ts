import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LEDGER_WEBHOOKS_MODULE } from "../../../../../../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../../../../../../modules/ledger-webhooks/service"
import { retryLedgerWebhookDeliveryWorkflow } from "../../../../../../../workflows/workflows/retry-ledger-webhook-delivery"
import { withWebhookErrors } from "../../../../helpers"
import { LEDGER_WEBHOOK_DELIVERY_FIELDS } from "../../../../query-config"

/**
 * `POST /admin/ledger-webhooks/:id/deliveries/:delivery_id/retry`: a manual redelivery. The
 * delivery becomes pending and due now, also a succeeded or failed one, and the deliveries job
 * sends the same change (same `Ledger-Webhook-Id`) within about a second. Answers `{ delivery }`.
 * 404 `NOT_FOUND` for an unknown webhook or a delivery that is not its.
 */
export const POST = withWebhookErrors(async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { id, delivery_id } = req.params
  await retryLedgerWebhookDeliveryWorkflow(req.scope).run({ input: { webhook_id: id, delivery_id } })
  const webhooks = req.scope.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
  const [delivery] = await webhooks.listLedgerWebhookDeliveries(
    { id: delivery_id },
    { select: LEDGER_WEBHOOK_DELIVERY_FIELDS, take: 1 }
  )
  res.json({ delivery })
})
