import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import OrderLedgerModule from "../modules/order-ledger"
import { installQueryPlanFix } from "./_query-plan"

// Medusa 2.21's Query would fetch this link and `order.ledger_transactions` as one batch (both
// join the ledger module on `order.id`) and answer one entity's rows under both names; see
// `_query-plan.ts`.
installQueryPlanFix()

/**
 * `order.ledger_balance`: the order's stored balance (read-only, joined on `order_id`). It can be
 * asked for with `ledger_transactions` in the same call.
 */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...OrderLedgerModule.linkable.ledgerBalance.id, primaryKey: "order_id" },
  { readOnly: true }
)
