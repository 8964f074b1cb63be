import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import OrderLedgerModule from "../modules/order-ledger"

/**
 * `order.ledger_transactions`: an order's ledger transactions, joined on their stored
 * `order_id` (read-only, no pivot table).
 */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...OrderLedgerModule.linkable.ledgerTransaction.id, primaryKey: "order_id" },
  { readOnly: true, isList: true }
)
