import { LEDGER_TRANSACTION_FIELDS } from "../../../utils/constants"

/** Fields a transaction answers with unless `fields` says otherwise: every stored field. */
export const defaultAdminTransactionFields: string[] = [...LEDGER_TRANSACTION_FIELDS]

export const retrieveTransactionQueryConfig = {
  defaults: defaultAdminTransactionFields,
  isList: false,
}

export const listTransactionQueryConfig = {
  ...retrieveTransactionQueryConfig,
  defaultLimit: 50,
  isList: true,
}
