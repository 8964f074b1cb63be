import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import OrderLedgerModule from "../modules/order-ledger"

/** `order.ledger_balance`: the order's stored balance (read-only, joined on `order_id`). */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...OrderLedgerModule.linkable.ledgerBalance.id, primaryKey: "order_id" },
  { readOnly: true }
)
