import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { withLedgerErrors } from "../../utils/http"
import { presentTransactions } from "../../utils/present"

/**
 * `GET /admin/order-transactions`: transactions across orders (`order_id` one or many), with the
 * same filters as an order's list and `q` on `external_id`.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { q, ...filters } = req.filterableFields as Record<string, unknown>
    if (typeof q === "string") {
      filters.external_id = { $ilike: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` }
    }
    const { data, metadata } = await query.graph({
      entity: "ledger_transaction",
      fields: req.queryConfig.fields,
      filters,
      pagination: req.queryConfig.pagination,
    })
    res.json({
      transactions: await presentTransactions(req.scope, data),
      count: metadata?.count ?? data.length,
      offset: metadata?.skip ?? 0,
      limit: metadata?.take ?? data.length,
    })
  }
)
