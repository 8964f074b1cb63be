import { model } from "@medusajs/framework/utils"
import { ReconcileRunStatus } from "../../../utils/constants"

/**
 * A reconcile of every order running in the background: `POST /admin/order-transactions/reconcile`
 * without order ids answers with this run at once, and `GET /admin/order-transactions/reconcile/:id`
 * reads its progress and result.
 */
const LedgerReconcileRun = model.define(
  { name: "LedgerReconcileRun", tableName: "ledger_reconcile_run" },
  {
    // The run's id, prefixed `olrec_`.
    id: model.id({ prefix: "olrec" }).primaryKey(),
    // running → done | failed.
    status: model.enum(ReconcileRunStatus).default(ReconcileRunStatus.RUNNING),
    // `{ orders_total, orders_done, created, skipped, failed }` so far.
    progress: model.json().nullable(),
    // The reconcile's answer once done: `{ orders, created, skipped, failed }`.
    result: model.json().nullable(),
    // Why the run failed.
    error: model.text().nullable(),
    // When the run ended.
    finished_at: model.dateTime().nullable(),
  }
)

export default LedgerReconcileRun
