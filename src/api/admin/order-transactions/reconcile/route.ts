import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reconcileLedgerTransactionsWorkflow } from "../../../../workflows/workflows/reconcile-ledger-transactions"
import { withLedgerErrors } from "../../../utils/http"
import type { AdminReconcileLedgerTransactionsType } from "./validators"

/**
 * `POST /admin/order-transactions/reconcile`: brings the ledger in step with Medusa's own
 * payments for the given orders, or for every order when `order_ids` is left out. Answers
 * `{ orders, created, skipped, failed }`; running it again answers `created: 0`.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminReconcileLedgerTransactionsType>, res: MedusaResponse) => {
    const { result } = await reconcileLedgerTransactionsWorkflow(req.scope).run({
      input: { order_ids: req.validatedBody.order_ids },
    })
    res.json(result)
  }
)
