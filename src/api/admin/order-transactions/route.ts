import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listTransactionsByCursor } from "../../utils/cursor-lists"
import { listAnswer, withLedgerErrors } from "../../utils/http"
import { listTransactions } from "../../utils/present"
import { transactionFilters } from "../helpers"
import type { AdminListTransactionsParamsType } from "./validators"

/**
 * `GET /admin/order-transactions`: transactions across orders (`order_id` one or many), with the
 * same filters as an order's list, `updated_at` ranges and `q` on `external_id`. Offset paging
 * answers `{ transactions, count, offset, limit }`; with `cursor` (empty for the first page) it
 * pages by keyset and answers `{ transactions, next_cursor, limit }`.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminListTransactionsParamsType>, res: MedusaResponse) => {
    const { cursor: _, ...filterable } = req.filterableFields as Record<string, unknown>
    const filters = transactionFilters(filterable)
    const cursor = req.validatedQuery.cursor
    if (typeof cursor === "string") {
      res.json(
        await listTransactionsByCursor(req.scope, {
          fields: req.queryConfig.fields,
          filters,
          cursor,
          order: req.validatedQuery.order,
          limit: req.queryConfig.pagination.take ?? 50,
          offset: req.validatedQuery.offset,
        })
      )
      return
    }
    const { rows, page } = await listTransactions(req.scope, {
      fields: req.queryConfig.fields,
      filters,
      pagination: req.queryConfig.pagination,
    })
    res.json(listAnswer("transactions", rows, page))
  }
)
