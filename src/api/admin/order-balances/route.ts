import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../modules/order-ledger/service"
import { BALANCE_MONEY_FIELDS } from "../../../utils/constants"
import { withLedgerErrors } from "../../utils/http"
import { presentBalance } from "../../utils/present"

/** Filters the plain read answers; anything else goes through Query. */
const PLAIN_FILTERS = ["order_id", "status", "currency_code"]
const PLAIN_FIELD = /^[a-z_]+$/

/** A plain balance row (money as exact decimal strings) as Query would answer it: numbers plus raw values. */
function fromPlainRow(row: Record<string, unknown>) {
  for (const field of BALANCE_MONEY_FIELDS) {
    if (typeof row[field] === "string") {
      row[`raw_${field}`] = { value: row[field] }
      row[field] = Number(row[field])
    }
  }
  return presentBalance(row)
}

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
    const { skip = 0, take = 50, order } = req.queryConfig.pagination as {
      skip?: number
      take?: number
      order?: Record<string, string>
    }
    const plain =
      fields.every((f) => PLAIN_FIELD.test(f)) &&
      Object.entries(filters).every(
        ([key, value]) => PLAIN_FILTERS.includes(key) && (typeof value === "string" || Array.isArray(value))
      )
    if (plain) {
      const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
      const { rows, count } = await ledger.listBalancePage(filters, { fields, skip, take, order })
      res.json({ balances: rows.map(fromPlainRow), count, offset: skip, limit: take })
      return
    }
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data, metadata } = await query.graph({
      entity: "ledger_balance",
      fields,
      filters,
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
