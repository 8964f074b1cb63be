import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import type { LedgerOrderInput, LedgerTransactionInput } from "../../modules/order-ledger/types"
import { MAX_TRANSACTIONS_PER_BATCH } from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { parseAmount } from "../../utils/money"
import { throwIfCurrencyMismatch, throwIfParentRuleBroken } from "../../utils/ledger-rules"

/** Input of {@link validateRecordTransactionsStep}. */
export type ValidateRecordTransactionsStepInput = {
  order: LedgerOrderInput
  transactions: LedgerTransactionInput[]
}

export const validateRecordTransactionsStepId = "validate-record-transactions"

/**
 * Checks what can be checked without the ledger's state: batch size, currency, amounts against
 * the currency's decimals, and which kinds need a parent. The module checks the rest (parents,
 * what is left to refund, duplicates) under the order's row lock.
 *
 * @example
 * validateRecordTransactionsStep({ order, transactions: input.transactions })
 */
export const validateRecordTransactionsStep = createStep(
  validateRecordTransactionsStepId,
  async ({ order, transactions }: ValidateRecordTransactionsStepInput) => {
    if (!transactions.length || transactions.length > MAX_TRANSACTIONS_PER_BATCH) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `transactions must hold 1 to ${MAX_TRANSACTIONS_PER_BATCH} items, got ${transactions.length}.`
      )
    }
    transactions.forEach((t, i) => {
      const field = `transactions[${i}]`
      const currency = t.currency_code ?? order.currency_code
      throwIfCurrencyMismatch(`${field}.currency_code`, currency, order.currency_code)
      throwIfParentRuleBroken(field, t.kind, t.parent_id)
      parseAmount(t.amount, currency, `${field}.amount`)
      if (t.fee !== undefined && t.fee !== null && Number(t.fee) !== 0) {
        parseAmount(t.fee, currency, `${field}.fee`)
      }
    })
    return new StepResponse(void 0)
  }
)
