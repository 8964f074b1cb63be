import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import OrderLedgerModule from "../modules/order-ledger"
import { installQueryPlanFix } from "./_query-plan"

// Without this, Medusa 2.21's Query would batch this link with `order.ledger_balance`; see
// `_query-plan.ts`. Called from both links, so either one loaded alone is enough.
installQueryPlanFix()

/**
 * `order.ledger_transactions`: an order's ledger transactions, joined on their stored
 * `order_id` (read-only, no pivot table). It can be asked for with `ledger_balance` in the same call.
 */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...OrderLedgerModule.linkable.ledgerTransaction.id, primaryKey: "order_id" },
  { readOnly: true, isList: true }
)
