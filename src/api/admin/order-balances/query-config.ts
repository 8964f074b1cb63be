import { BALANCE_MONEY_FIELDS } from "../../../utils/constants"

/** Fields a balance answers with unless `fields` says otherwise. */
export const defaultAdminBalanceFields = [
  "id",
  "order_id",
  "currency_code",
  ...BALANCE_MONEY_FIELDS,
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
