import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { voidLedgerAuthorizationWorkflow } from "../../../../../workflows/workflows/void-ledger-authorization"
import { withLedgerErrors } from "../../../../utils/http"
import { answerTransactionWithBalance } from "../../../helpers"
import type { AdminVoidLedgerAuthorizationType } from "../capture/validators"

/**
 * `POST /admin/order-transactions/:id/void`: voids an authorization that came from Medusa
 * checkout: Medusa cancels the payment at its provider, and the ledger records the void of what
 * was left. A payment with captures cannot be canceled (400 `INVALID_DATA`). Answers
 * `{ transaction, balance }`: the ledger void and the order's balance. With an
 * `Idempotency-Key`, a repeat answers what the first answered and calls no provider.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminVoidLedgerAuthorizationType>, res: MedusaResponse) => {
    await answerTransactionWithBalance(req, res, async (key) => {
      const { result } = await voidLedgerAuthorizationWorkflow(req.scope).run({
        input: {
          transaction_id: req.params.id,
          idempotency_key: key,
        },
      })
      return result
    })
  }
)
