import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { withLedgerErrors } from "../../utils/http"
import { presentBalance } from "../../utils/present"

/**
 * `GET /admin/order-balances`: stored balances of many orders, filtered by `order_id`, `status`,
 * `currency_code`, sortable by `outstanding_amount` (`order=-outstanding_amount`). One indexed read.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data, metadata } = await query.graph({
      entity: "ledger_balance",
      fields: req.queryConfig.fields,
      filters: req.filterableFields,
      pagination: req.queryConfig.pagination,
    })
    res.json({
      balances: data.map(presentBalance),
      count: metadata?.count ?? data.length,
      offset: metadata?.skip ?? 0,
      limit: metadata?.take ?? data.length,
    })
  }
)
