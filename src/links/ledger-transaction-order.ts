import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import OrderLedgerModule from "../modules/order-ledger"

/** `ledger_transaction.order`: from a transaction to its order (read-only). */
export default defineLink(
  { linkable: OrderLedgerModule.linkable.ledgerTransaction, field: "order_id" },
  OrderModule.linkable.order,
  { readOnly: true }
)
