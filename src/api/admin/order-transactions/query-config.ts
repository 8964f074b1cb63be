/** Fields a transaction answers with unless `fields` says otherwise. */
export const defaultAdminTransactionFields = [
  "id",
  "order_id",
  "kind",
  "status",
  "amount",
  "currency_code",
  "reference",
  "reference_id",
  "parent_id",
  "payment_method",
  "gateway",
  "external_id",
  "fee",
  "card_brand",
  "card_last4",
  "message",
  "reason",
  "note",
  "occurred_at",
  "metadata",
  "created_at",
  "updated_at",
]

export const retrieveTransactionQueryConfig = {
  defaults: defaultAdminTransactionFields,
  isList: false,
}

export const listTransactionQueryConfig = {
  ...retrieveTransactionQueryConfig,
  defaultLimit: 50,
  isList: true,
}
