import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../modules/order-ledger/service"
import { LEDGER_BALANCE_FIELDS } from "../../../utils/constants"
import { listAnswer, withLedgerErrors } from "../../utils/http"
import { isPlainRead, presentBalance, type ReadPage } from "../../utils/present"

/**
 * `GET /admin/order-balances`: stored balances of many orders, filtered by `order_id`, `status`,
 * `currency_code`, sortable by `outstanding_amount` (`order=-outstanding_amount`). Plain fields
 * are one indexed page read and one count in SQL (`listBalancePage`); `fields` naming a link
 * (`order.*`) go through Query.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const fields = req.queryConfig.fields
    const filters = req.filterableFields as Record<string, unknown>
    const { skip = 0, take = 50, order } = req.queryConfig.pagination as ReadPage
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
