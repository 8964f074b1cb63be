import { model } from "@medusajs/framework/utils"
import { BalanceStatus } from "../../../utils/constants"

/**
 * The balance of one order, kept in the same database transaction as every ledger write and
 * refreshed when Medusa changes the order's total, so "who owes" over many orders is one
 * indexed read instead of a recompute.
 */
const LedgerBalance = model
  .define(
    { name: "LedgerBalance", tableName: "ledger_balance" },
    {
      // The balance's id, prefixed `olbal_`.
      id: model.id({ prefix: "olbal" }).primaryKey(),
      // The Medusa order; one balance per order.
      order_id: model.text().unique(),
      // The order's currency.
      currency_code: model.text(),
      // Medusa's current order total (changes with edits, returns and claims).
      order_total: model.bigNumber().default(0),
      // Succeeded payments.
      paid_total: model.bigNumber().default(0),
      // Succeeded refunds, as a positive figure.
      refunded_total: model.bigNumber().default(0),
      // Succeeded chargebacks, as a positive figure.
      chargeback_total: model.bigNumber().default(0),
      // Succeeded reversals (chargebacks won, refunds bounced), as a positive figure.
      reversed_total: model.bigNumber().default(0),
      // Authorizations still held: authorized, less voided and captured.
      authorized_total: model.bigNumber().default(0),
      // Pending payments less pending refunds and chargebacks.
      pending_total: model.bigNumber().default(0),
      // paid_total − refunded_total − chargeback_total + reversed_total.
      net_paid: model.bigNumber().default(0),
      // order_total − net_paid: > 0 the customer owes, < 0 the merchant owes.
      outstanding_amount: model.bigNumber().default(0),
      // Who owes whom.
      status: model.enum(BalanceStatus).default(BalanceStatus.SETTLED),
      // 1 when created, +1 each time its status moves (set by the database with the change log).
      version: model.number().default(1),
    }
  )
  .indexes([
    { on: ["status", "outstanding_amount"] },
    { on: ["currency_code"] },
    // Keyset pages by updated_at (`GET /admin/order-balances?cursor=&order=updated_at`).
    { on: ["updated_at", "id"], where: "deleted_at IS NULL" },
  ])

export default LedgerBalance
