import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { withLedgerErrors } from "../../../../utils/http"
import { retrieveOrderBalance } from "../../../../utils/present"
import { pickKeys, retrieveCustomerOrderId, selectedKeys } from "../../helpers"
import { storeBalanceKeys, storeBalanceQueryFields } from "../../query-config"
import type { StoreGetOrderBalanceParamsType } from "../../validators"

/**
 * `GET /store/orders/:id/balance`: what is paid, refunded, pending, authorized and still owed on the
 * signed-in customer's order. An order that is not theirs answers 404 like a missing one.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, StoreGetOrderBalanceParamsType>, res: MedusaResponse) => {
    const orderId = await retrieveCustomerOrderId(req.scope, req.params.id, req.auth_context.actor_id)
    const balance = await retrieveOrderBalance(req.scope, orderId, storeBalanceQueryFields)
    res.json({ balance: pickKeys(balance, selectedKeys(req.validatedQuery.fields, storeBalanceKeys)) })
  }
)
