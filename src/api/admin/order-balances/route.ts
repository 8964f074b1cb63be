import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../modules/order-ledger/service"
import { LEDGER_BALANCE_FIELDS } from "../../../utils/constants"
import { listBalancesByCursor } from "../../utils/cursor-lists"
import { listAnswer, withLedgerErrors } from "../../utils/http"
import { isPlainRead, presentBalance, type ReadPage } from "../../utils/present"
import type { AdminGetBalancesParamsType } from "./validators"

/**
 * `GET /admin/order-balances`: stored balances of many orders, filtered by `order_id`, `status`,
 * `currency_code`, sortable by `outstanding_amount` (`order=-outstanding_amount`). Plain fields
 * are one indexed page read and one count in SQL (`listBalancePage`); `fields` naming a link
 * (`order.*`) go through Query. With `cursor` (empty for the first page) it pages by keyset
 * (`order` `updated_at` or `id`, ascending or descending) and answers `{ balances, next_cursor, limit }`.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminGetBalancesParamsType>, res: MedusaResponse) => {
    const fields = req.queryConfig.fields
    const { cursor: _, ...filters } = req.filterableFields as Record<string, unknown>
    const { skip = 0, take = 50, order } = req.queryConfig.pagination as ReadPage
    const cursor = req.validatedQuery.cursor
    if (typeof cursor === "string") {
      res.json(
        await listBalancesByCursor(req.scope, {
          fields,
          filters,
          cursor,
          order: req.validatedQuery.order,
          limit: take,
          offset: req.validatedQuery.offset,
        })
      )
      return
    }
    if (isPlainRead(LEDGER_BALANCE_FIELDS, fields, filters, order)) {
      const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
      const { rows, count } = await ledger.listBalancePage(filters, {
        fields,
        skip,
        take,
        order: order as Record<string, string> | undefined,
      })
      res.json(listAnswer("balances", rows.map(presentBalance), { count, skip, take }))
      return
    }
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data, metadata } = await query.graph({
      entity: "ledger_balance",
      fields,
      filters,
      pagination: req.queryConfig.pagination,
    })
    res.json(listAnswer("balances", data.map(presentBalance), metadata))
  }
)
