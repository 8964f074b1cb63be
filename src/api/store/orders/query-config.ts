import { BALANCE_MONEY_FIELDS } from "../../../utils/constants"

/**
 * What a customer may see of the ledger. The store routes read only these fields and answer only
 * these keys, whatever the request's `fields` says: fees, processor messages, gateways, processor
 * and reference ids, reasons, notes and metadata never leave the server on a store route.
 */

/** Ledger transaction fields the store routes read. */
export const storeTransactionQueryFields = [
  "id",
  "kind",
  "status",
  "amount",
  "currency_code",
  "payment_method",
  "card_brand",
  "card_last4",
  "occurred_at",
  "parent_id",
]

/** Every key a store transaction may answer with: the fields read plus what is computed from them. */
export const storeTransactionKeys = [
  ...storeTransactionQueryFields,
  "formatted_amount",
  // Payments only: how much of the payment has been refunded so far.
  "refunded_amount",
  "formatted_refunded_amount",
]

/** Balance fields the store route reads. */
export const storeBalanceQueryFields = ["order_id", "currency_code", ...BALANCE_MONEY_FIELDS, "status"]

/** Every key a store balance may answer with. */
export const storeBalanceKeys = [
  ...storeBalanceQueryFields,
  ...BALANCE_MONEY_FIELDS.map((field) => `formatted_${field}`),
]

/**
 * `validateAndTransformQuery` config of `GET /store/orders/:id/transactions`. `allowed` also makes
 * Medusa reject `order` on any other field, so hidden fields cannot be probed by sorting.
 */
export const storeListTransactionQueryConfig = {
  defaults: storeTransactionQueryFields,
  allowed: storeTransactionQueryFields,
  defaultLimit: 50,
  isList: true,
}

/** `validateAndTransformQuery` config of `GET /store/orders/:id/balance`. */
export const storeRetrieveBalanceQueryConfig = {
  defaults: storeBalanceQueryFields,
  allowed: storeBalanceQueryFields,
  isList: false,
}
