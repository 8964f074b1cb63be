import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { withLedgerErrors } from "../../../../utils/http"
import { retrieveOrderBalance } from "../../../../utils/present"
import type { AdminGetBalanceParamsType } from "../../../order-balances/validators"

/** `GET /admin/orders/:id/balance`: what is paid, refunded, pending and still owed on an order. */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminGetBalanceParamsType>, res: MedusaResponse) => {
    const balance = await retrieveOrderBalance(req.scope, req.params.id, req.queryConfig.fields)
    res.json({ balance })
  }
)
