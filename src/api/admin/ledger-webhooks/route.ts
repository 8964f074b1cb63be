import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LEDGER_WEBHOOKS_MODULE } from "../../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../../modules/ledger-webhooks/service"
import { createLedgerWebhookWorkflow } from "../../../workflows/workflows/create-ledger-webhook"
import { listAnswer } from "../../utils/http"
import { presentWebhook, withWebhookErrors } from "./helpers"
import type { AdminCreateLedgerWebhookType, AdminGetLedgerWebhooksParamsType } from "./validators"

/**
 * `GET /admin/ledger-webhooks`: the webhook endpoints, newest first unless `order` says
 * otherwise, `{ webhooks, count, offset, limit }`; never their secrets. `status` filters.
 */
export const GET = withWebhookErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminGetLedgerWebhooksParamsType>, res: MedusaResponse) => {
    const webhooks = req.scope.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    const { skip, take, order } = req.queryConfig.pagination
    const [rows, count] = await webhooks.listAndCountLedgerWebhookEndpoints(req.filterableFields, {
      select: req.queryConfig.fields,
      skip,
      take,
      order: order ?? { created_at: "DESC", id: "DESC" },
    })
    res.json(listAnswer("webhooks", rows.map(presentWebhook), { count, skip, take }))
  }
)

/**
 * `POST /admin/ledger-webhooks { url, events?, description? }`: registers an endpoint and answers
 * `{ webhook: { id, url, events, enabled, status, secret, … } }`. The `whsec_…` secret is in this
 * answer only. 400 `WEBHOOK_TARGET_NOT_ALLOWED` for a private target (unless the option allows
 * them), `WEBHOOK_TARGET_UNRESOLVABLE` for a host that does not resolve, `INVALID_DATA` for a bad body.
 */
export const POST = withWebhookErrors(
  async (req: AuthenticatedMedusaRequest<AdminCreateLedgerWebhookType>, res: MedusaResponse) => {
    const { result } = await createLedgerWebhookWorkflow(req.scope).run({ input: req.validatedBody })
    const { deleted_at: _deleted, ...webhook } = result as typeof result & { deleted_at?: unknown }
    res.json({ webhook })
  }
)
