import { LEDGER_BALANCE_FIELDS } from "../../../utils/constants"

/** Fields a balance answers with unless `fields` says otherwise: every stored field but `created_at`. */
export const defaultAdminBalanceFields: string[] = LEDGER_BALANCE_FIELDS.filter((field) => field !== "created_at")

export const retrieveBalanceQueryConfig = {
  defaults: defaultAdminBalanceFields,
  isList: false,
}

export const listBalanceQueryConfig = {
  ...retrieveBalanceQueryConfig,
  defaultLimit: 50,
  isList: true,
}
