import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reverseLedgerTransactionWorkflow } from "../../../../../workflows/workflows/reverse-ledger-transaction"
import { withLedgerErrors } from "../../../../utils/http"
import { answerTransactionWithBalance } from "../../../helpers"
import type { AdminCreateLedgerTransactionReversalType } from "./validators"

/**
 * `POST /admin/order-transactions/:id/reversals`: records that a succeeded refund or chargeback
 * was turned back (a chargeback won, a refund bounced), in full (no `amount`) or in part, as a
 * new `reversal` row. Answers `{ transaction, balance }`. With an `Idempotency-Key`, a repeat
 * answers what the first answered and records nothing.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminCreateLedgerTransactionReversalType>, res: MedusaResponse) => {
    await answerTransactionWithBalance(req, res, async (key) => {
      const { result } = await reverseLedgerTransactionWorkflow(req.scope).run({
        input: { transaction_id: req.params.id, ...req.validatedBody, idempotency_key: key },
      })
      return result
    })
  }
)
