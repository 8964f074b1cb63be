import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { deleteLedgerWebhookWorkflow } from "../../../../workflows/workflows/delete-ledger-webhook"
import { updateLedgerWebhookWorkflow } from "../../../../workflows/workflows/update-ledger-webhook"
import { retrieveWebhook, withWebhookErrors } from "../helpers"
import type { AdminGetLedgerWebhookParamsType, AdminUpdateLedgerWebhookType } from "../validators"

/** `GET /admin/ledger-webhooks/:id`: `{ webhook }`, without its secret; 404 `NOT_FOUND`. */
export const GET = withWebhookErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminGetLedgerWebhookParamsType>, res: MedusaResponse) => {
    res.json({ webhook: await retrieveWebhook(req.scope, req.params.id, req.queryConfig.fields) })
  }
)

/**
 * `POST /admin/ledger-webhooks/:id { url?, events?, description?, enabled? }`: changes the
 * endpoint and answers `{ webhook }`. A new url is checked as at creation. `enabled: false`
 * pauses it; enabling resumes with every change since.
 */
export const POST = withWebhookErrors(
  async (req: AuthenticatedMedusaRequest<AdminUpdateLedgerWebhookType>, res: MedusaResponse) => {
    await updateLedgerWebhookWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
    res.json({ webhook: await retrieveWebhook(req.scope, req.params.id, req.queryConfig.fields) })
  }
)

/** `DELETE /admin/ledger-webhooks/:id`: `{ id, object: "ledger_webhook", deleted: true }`; nothing more is sent to it. */
export const DELETE = withWebhookErrors(async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await deleteLedgerWebhookWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ id: req.params.id, object: "ledger_webhook", deleted: true })
})
