import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  reconcileLedgerTransactionsWorkflow,
  startLedgerReconcileRunWorkflow,
} from "../../../../workflows/workflows/reconcile-ledger-transactions"
import { withLedgerErrors } from "../../../utils/http"
import type { AdminReconcileLedgerTransactionsType } from "./validators"

/**
 * `POST /admin/order-transactions/reconcile`: brings the ledger in step with Medusa's own
 * payments.
 * - With `order_ids`: for those orders, within the request; answers 200
 *   `{ orders, created, skipped, failed }` (running it again answers `created: 0`).
 * - Without: for every order, in the background; answers 202 `{ reconcile: { id, status: "running", … } }`
 *   at once, with a `Location` to poll (`GET /admin/order-transactions/reconcile/:id`). While a
 *   run is going, that run is answered instead of starting another.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminReconcileLedgerTransactionsType>, res: MedusaResponse) => {
    const { order_ids } = req.validatedBody
    if (order_ids) {
      const { result } = await reconcileLedgerTransactionsWorkflow(req.scope).run({ input: { order_ids } })
      res.json(result)
      return
    }
    const { result } = await startLedgerReconcileRunWorkflow(req.scope).run({ input: {} })
    res
      .status(202)
      .location(`/admin/order-transactions/reconcile/${result.run.id}`)
      .json({ reconcile: result.run })
  }
)
