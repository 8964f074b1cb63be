import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

export const retrieveLedgerTransactionOrderStepId = "retrieve-ledger-transaction-order"

/**
 * The order id of a ledger transaction, or `NOT_FOUND`.
 *
 * @example
 * const orderId = retrieveLedgerTransactionOrderStep({ id: "oltx_123" })
 */
export const retrieveLedgerTransactionOrderStep = createStep(
  retrieveLedgerTransactionOrderStepId,
  async (input: { id: string }, { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const [row] = await ledger.listLedgerTransactions({ id: input.id }, { select: ["id", "order_id"], take: 1 })
    if (!row) {
      ledgerError(LedgerErrorCode.NOT_FOUND, `Order transaction with id: ${input.id} was not found.`)
    }
    return new StepResponse(row.order_id)
  }
)
