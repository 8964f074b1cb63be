import { model } from "@medusajs/framework/utils"
import {
  CardBrand,
  PaymentMethod,
  TransactionKind,
  TransactionReference,
  TransactionStatus,
} from "../../../utils/constants"

/**
 * One money movement of an order: a payment, refund, chargeback, authorization or void.
 * Named `LedgerTransaction` (table `ledger_transaction`) so it never collides with the Order
 * module's own `OrderTransaction` / `order_transaction`.
 */
const LedgerTransaction = model
  .define(
    { name: "LedgerTransaction", tableName: "ledger_transaction" },
    {
      // The transaction's id, prefixed `oltx_`.
      id: model.id({ prefix: "oltx" }).primaryKey(),
      // The Medusa order the money belongs to.
      order_id: model.text(),
      // What the transaction does with the money.
      kind: model.enum(TransactionKind),
      // Where it stands; only `succeeded` counts in a balance.
      status: model.enum(TransactionStatus).default(TransactionStatus.SUCCEEDED),
      // Signed, in the currency's major unit: refunds, chargebacks and voids are negative.
      amount: model.bigNumber(),
      // Lower-case ISO 4217, equal to the order's currency.
      currency_code: model.text(),
      // Where the real payment record lives (`capture`, `refund`, `payment`, `manual`, …).
      reference: model.text().default(TransactionReference.MANUAL),
      // The id of that record (`capt_…`, `ref_…`); unique with `reference` when set.
      reference_id: model.text().nullable(),
      // For refunds, chargebacks, voids and captures of an authorization: what it reverses.
      parent_id: model.text().nullable(),
      // How the customer paid.
      payment_method: model.enum(PaymentMethod).default(PaymentMethod.OTHER),
      // Who processed it (`stripe`, `manual`, `pp_system_default`, …).
      gateway: model.text().default("manual"),
      // The processor's id; unique per gateway when set.
      external_id: model.text().nullable(),
      // The processor's fee, ≥ 0, same currency.
      fee: model.bigNumber().nullable(),
      // The card network, when a card was used.
      card_brand: model.enum(CardBrand).nullable(),
      // The card's last four digits.
      card_last4: model.text().nullable(),
      // The processor's message ("Transaction approved").
      message: model.text().nullable(),
      // Why a refund, chargeback or void happened.
      reason: model.text().nullable(),
      // A note from the merchant.
      note: model.text().nullable(),
      // When the money moved; an import can set the past.
      occurred_at: model.dateTime(),
      // The Medusa payment (`pay_…`) that carries this row's money in Medusa's payment module: the
      // system-provider payment made for an outside payment, so Medusa's own screens count it.
      medusa_payment_id: model.text().nullable(),
      // Free JSON.
      metadata: model.json().nullable(),
      // 1 when recorded, +1 on every change (set by the database with the change log): a
      // webhook receiver keeps the highest version it has seen.
      version: model.number().default(1),
    }
  )
  .indexes([
    { on: ["order_id", "occurred_at"] },
    { on: ["parent_id"], where: "parent_id IS NOT NULL" },
    { on: ["created_at"] },
    // Keyset pages by updated_at (`GET /admin/order-transactions?cursor=&order=updated_at`).
    { on: ["updated_at", "id"], where: "deleted_at IS NULL" },
    { on: ["occurred_at"] },
    { on: ["external_id"], where: "external_id IS NOT NULL" },
    { on: ["medusa_payment_id"], where: "medusa_payment_id IS NOT NULL" },
    {
      name: "IDX_ledger_transaction_reference_unique",
      on: ["reference", "reference_id"],
      unique: true,
      where: "reference_id IS NOT NULL AND deleted_at IS NULL",
    },
    {
      name: "IDX_ledger_transaction_gateway_external_id_unique",
      on: ["gateway", "external_id"],
      unique: true,
      where: "external_id IS NOT NULL AND deleted_at IS NULL",
    },
  ])

export default LedgerTransaction
