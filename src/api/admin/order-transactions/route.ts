import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listAnswer, withLedgerErrors } from "../../utils/http"
import { listTransactions } from "../../utils/present"
import { transactionFilters } from "../helpers"

/**
 * `GET /admin/order-transactions`: transactions across orders (`order_id` one or many), with the
 * same filters as an order's list and `q` on `external_id`.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const { rows, page } = await listTransactions(req.scope, {
      fields: req.queryConfig.fields,
      filters: transactionFilters(req.filterableFields as Record<string, unknown>),
      pagination: req.queryConfig.pagination,
    })
    res.json(listAnswer("transactions", rows, page))
  }
)
