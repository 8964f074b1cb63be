import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { UpdateLedgerTransactionInput } from "../../modules/order-ledger/types"

export const updateLedgerTransactionStepId = "update-ledger-transaction"

/**
 * Moves a transaction's status forward (and sets message, external id, metadata), refreshing
 * its order's balance. Compensation puts the fields back as they were.
 *
 * @example
 * const before = updateLedgerTransactionStep({ id: "oltx_123", status: "succeeded" })
 */
export const updateLedgerTransactionStep = createStep(
  updateLedgerTransactionStepId,
  async (input: UpdateLedgerTransactionInput, { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const before = await ledger.updateTransactionStatus(input)
    return new StepResponse(before, before)
  },
  async (before, { container }) => {
    if (!before) {
      return
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    await ledger.restoreTransactionSnapshots([before])
  }
)
