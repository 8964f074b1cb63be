import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDER_LEDGER_MODULE } from "../../../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../../../modules/order-ledger/service"
import { LedgerErrorCode, ledgerError } from "../../../../../utils/errors"
import { RECONCILE_RUN_FIELDS, toReconcileRunView } from "../../../../../workflows/steps/reconcile-order-batches"
import { withLedgerErrors } from "../../../../utils/http"

/**
 * `GET /admin/order-transactions/reconcile/:id`: a background reconcile of every order,
 * `{ reconcile: { id, status: "running" | "done" | "failed", progress, result, error, created_at,
 * updated_at, finished_at } }`. `progress` is `{ orders_total, orders_done, created, skipped,
 * failed }` so far (null until a worker picks the run up), `result` the reconcile's answer
 * `{ orders, created, skipped, failed }` once done, `error` why it failed. 404 `NOT_FOUND` for an
 * unknown id.
 */
export const GET = withLedgerErrors(async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const [run] = await ledger.listLedgerReconcileRuns({ id: req.params.id }, { select: [...RECONCILE_RUN_FIELDS], take: 1 })
  if (!run) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Reconcile run with id: ${req.params.id} was not found.`)
  }
  res.json({ reconcile: toReconcileRunView(run) })
})
