import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import OrderLedgerModule from "../modules/order-ledger"

/**
 * `ledger_balance.order`: from a balance to its order, so the orders that owe money can be
 * listed with `query.graph({ entity: "ledger_balance", filters: { status: "customer_owes" }, fields: ["order.*"] })`.
 */
export default defineLink(
  { linkable: OrderLedgerModule.linkable.ledgerBalance, field: "order_id" },
  OrderModule.linkable.order,
  { readOnly: true }
)
