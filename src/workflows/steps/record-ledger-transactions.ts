import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type {
  RecordLedgerTransactionsInput,
  RecordLedgerTransactionsResult,
} from "../../modules/order-ledger/types"

export const recordLedgerTransactionsStepId = "record-ledger-transactions"

/**
 * Records transactions on one order, all or none, checked under the order's row lock, with the
 * balance refreshed in the same database transaction. Compensation removes exactly what it wrote.
 *
 * @example
 * const result = recordLedgerTransactionsStep({ order, transactions })
 */
export const recordLedgerTransactionsStep = createStep(
  recordLedgerTransactionsStepId,
  async (input: RecordLedgerTransactionsInput, { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const result = await ledger.recordTransactions(input)
    return new StepResponse(result, result)
  },
  async (result: RecordLedgerTransactionsResult | undefined, { container }) => {
    if (!result || result.replayed) {
      return
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    await ledger.revertRecordedTransactions(result)
  }
)
