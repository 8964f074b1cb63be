import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LEDGER_WEBHOOKS_MODULE } from "../../../../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../../../../modules/ledger-webhooks/service"
import { listAnswer } from "../../../../utils/http"
import { retrieveWebhook, withWebhookErrors } from "../../helpers"
import type { AdminGetLedgerWebhookDeliveriesParamsType } from "../../validators"

/**
 * `GET /admin/ledger-webhooks/:id/deliveries`: the endpoint's deliveries, newest change first,
 * `{ deliveries, count, offset, limit }`: status, attempts, the last attempt's status code, error
 * and duration, and `next_attempt_at` (the next retry while pending). `status` and `change_id`
 * filter; `fields=+payload` adds the exact body sent. 404 `NOT_FOUND` for an unknown webhook.
 */
export const GET = withWebhookErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminGetLedgerWebhookDeliveriesParamsType>, res: MedusaResponse) => {
    await retrieveWebhook(req.scope, req.params.id, ["id"])
    const webhooks = req.scope.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    const { skip, take, order } = req.queryConfig.pagination
    const [rows, count] = await webhooks.listAndCountLedgerWebhookDeliveries(
      { ...req.filterableFields, endpoint_id: req.params.id },
      { select: req.queryConfig.fields, skip, take, order: order ?? { position: "DESC" } }
    )
    res.json(listAnswer("deliveries", rows, { count, skip, take }))
  }
)
