import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { captureLedgerAuthorizationWorkflow } from "../../../../../workflows/workflows/capture-ledger-authorization"
import { withLedgerErrors } from "../../../../utils/http"
import { answerTransactionWithBalance } from "../../../helpers"
import type { AdminCaptureLedgerAuthorizationType } from "./validators"

/**
 * `POST /admin/order-transactions/:id/capture`: captures an authorization that came from Medusa
 * checkout through its payment provider, with Medusa's own capture flow: all that is left (no
 * `amount`) or part of it (the rest stays authorized). Answers `{ transaction, balance }`: the
 * ledger payment that mirrors the new Medusa capture, and the order's balance. With an
 * `Idempotency-Key`, a repeat answers what the first answered and calls no provider.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminCaptureLedgerAuthorizationType>, res: MedusaResponse) => {
    await answerTransactionWithBalance(req, res, async (key) => {
      const { result } = await captureLedgerAuthorizationWorkflow(req.scope).run({
        input: {
          transaction_id: req.params.id,
          amount: req.validatedBody.amount,
          captured_by: req.auth_context?.actor_id,
          idempotency_key: key,
        },
      })
      return result
    })
  }
)
