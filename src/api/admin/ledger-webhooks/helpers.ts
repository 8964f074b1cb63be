import type { MedusaContainer } from "@medusajs/framework/types"
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LEDGER_WEBHOOKS_MODULE, type LedgerWebhookView } from "../../../modules/ledger-webhooks"
import { LEDGER_WEBHOOK_ERROR_STATUS, isLedgerWebhookErrorCode } from "../../../modules/ledger-webhooks/errors"
import type LedgerWebhooksModuleService from "../../../modules/ledger-webhooks/service"
import { LedgerErrorCode, ledgerError } from "../../../utils/errors"
import { withLedgerErrors } from "../../utils/http"
import { LEDGER_WEBHOOK_FIELDS } from "./query-config"

type Handler<Req extends MedusaRequest> = (req: Req, res: MedusaResponse) => Promise<void>

/**
 * Wraps a webhook route: the webhooks' own codes (`WEBHOOK_TARGET_NOT_ALLOWED`, …) answer 400
 * with `{ type, code, message }`; every other error is answered as the ledger's routes answer it.
 */
export function withWebhookErrors<Req extends MedusaRequest>(handler: Handler<Req>): Handler<Req> {
  const ledgerHandled = withLedgerErrors(handler)
  const wrapped = async (req: Req, res: MedusaResponse) => {
    try {
      await ledgerHandled(req, res)
    } catch (error) {
      const e = (error ?? {}) as { code?: unknown; message?: unknown }
      if (!isLedgerWebhookErrorCode(e.code)) {
        throw error
      }
      res.status(LEDGER_WEBHOOK_ERROR_STATUS[e.code]).json({ type: "invalid_data", code: e.code, message: String(e.message) })
    }
  }
  Object.defineProperty(wrapped, "name", { value: handler.name })
  return wrapped
}

/** An endpoint as the API answers it: the asked fields, never the secret. */
export function presentWebhook<T extends object>(row: T): Omit<T, "secret" | "deleted_at"> {
  const { secret: _secret, deleted_at: _deleted, ...rest } = row as T & { secret?: unknown; deleted_at?: unknown }
  return rest
}

/** One endpoint with the asked fields (`NOT_FOUND` for an unknown or deleted id). */
export async function retrieveWebhook(
  container: MedusaContainer,
  id: string,
  fields: string[] = LEDGER_WEBHOOK_FIELDS
): Promise<Partial<LedgerWebhookView>> {
  const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
  const select = fields.filter((f) => LEDGER_WEBHOOK_FIELDS.includes(f))
  const [row] = await webhooks.listLedgerWebhookEndpoints({ id }, { select: select.length ? select : LEDGER_WEBHOOK_FIELDS, take: 1 })
  if (!row) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Webhook with id: ${id} was not found.`)
  }
  return presentWebhook(row) as Partial<LedgerWebhookView>
}
