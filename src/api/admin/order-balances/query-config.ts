/** Fields a balance answers with unless `fields` says otherwise. */
export const defaultAdminBalanceFields = [
  "id",
  "order_id",
  "currency_code",
  "order_total",
  "paid_total",
  "refunded_total",
  "chargeback_total",
  "authorized_total",
  "pending_total",
  "net_paid",
  "outstanding_amount",
  "status",
  "updated_at",
]

export const retrieveBalanceQueryConfig = {
  defaults: defaultAdminBalanceFields,
  isList: false,
}

export const listBalanceQueryConfig = {
  ...retrieveBalanceQueryConfig,
  defaultLimit: 50,
  isList: true,
}
