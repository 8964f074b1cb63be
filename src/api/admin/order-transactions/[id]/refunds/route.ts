import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refundLedgerTransactionWorkflow } from "../../../../../workflows/workflows/refund-ledger-transaction"
import { withLedgerErrors } from "../../../../utils/http"
import { answerTransactionWithBalance } from "../../../helpers"
import type { AdminCreateLedgerTransactionRefundType } from "./validators"

/**
 * `POST /admin/order-transactions/:id/refunds`: refunds a succeeded payment in full (no `amount`)
 * or in part, guarded by `previously_refunded_amount`; a payment that came from a Medusa capture is
 * refunded through Medusa's own refund flow. Answers `{ transaction, balance }`. With an
 * `Idempotency-Key`, a repeat answers what the first answered and refunds nothing.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminCreateLedgerTransactionRefundType>, res: MedusaResponse) => {
    await answerTransactionWithBalance(req, res, async (key) => {
      const { result } = await refundLedgerTransactionWorkflow(req.scope).run({
        input: {
          transaction_id: req.params.id,
          ...req.validatedBody,
          idempotency_key: key,
          created_by: req.auth_context?.actor_id,
        },
      })
      return result
    })
  }
)
