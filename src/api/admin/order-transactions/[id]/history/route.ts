import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDER_LEDGER_MODULE } from "../../../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../../../modules/order-ledger/service"
import { LedgerErrorCode, ledgerError } from "../../../../../utils/errors"
import { withLedgerErrors } from "../../../../utils/http"

/**
 * `GET /admin/order-transactions/:id/history`: every change of one transaction, oldest first,
 * `{ history: [{ id, type, created_at, version, actor, idempotency_key, data: { object, previous } }] }`:
 * who recorded it, who moved its status or set a field, and when. A transaction a compensation
 * removed keeps its history (its last change sets `deleted_at`). 404 `NOT_FOUND` for an id that
 * never existed.
 */
export const GET = withLedgerErrors(async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const history = await ledger.listHistory(req.params.id)
  if (!history.length) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Order transaction with id: ${req.params.id} was not found.`)
  }
  res.json({ history })
})
