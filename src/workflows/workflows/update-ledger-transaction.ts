import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import type { UpdateLedgerTransactionInput } from "../../modules/order-ledger/types"
import { TransactionStatus } from "../../utils/constants"
import { retrieveLedgerTransactionOrderStep } from "../steps/retrieve-ledger-transaction-order"
import { createMedusaPaymentsStep } from "../steps/create-medusa-payments"
import { syncCoreOrderTransactionsStep } from "../steps/sync-core-order-transactions"
import { updateLedgerTransactionStep } from "../steps/update-ledger-transaction"
import { LEDGER_LOCK_OPTIONS, ledgerLockKeys } from "../utils/ledger-lock"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/** Input of {@link updateLedgerTransactionWorkflow}. */
export type UpdateLedgerTransactionWorkflowInput = UpdateLedgerTransactionInput

export const updateLedgerTransactionWorkflowId = "update-ledger-transaction"

/**
 * Moves a transaction's status forward (`pending` → `succeeded` | `failed` | `requires_action`,
 * `requires_action` → `succeeded` | `failed`) and sets its message, external id or metadata; a
 * transaction that succeeds is added to Medusa's core order transactions. Emits
 * `order_transaction.updated`.
 *
 * @example
 * await updateLedgerTransactionWorkflow(container).run({
 *   input: { id: "oltx_123", status: "succeeded", message: "Bank transfer received" },
 * })
 */
export const updateLedgerTransactionWorkflow = createWorkflow(
  updateLedgerTransactionWorkflowId,
  (input: WorkflowData<UpdateLedgerTransactionWorkflowInput>) => {
    const orderId = retrieveLedgerTransactionOrderStep({ id: input.id })
    const lockKeys = transform({ orderId }, ({ orderId }) => ledgerLockKeys([orderId]))
    acquireLockStep({ key: lockKeys, ...LEDGER_LOCK_OPTIONS })

    const before = updateLedgerTransactionStep(input)

    when({ input, before }, ({ input, before }) => {
      return input.status === TransactionStatus.SUCCEEDED && before.status !== TransactionStatus.SUCCEEDED
    }).then(() => {
      const ids = transform({ input }, ({ input }) => [input.id])
      createMedusaPaymentsStep({ transaction_ids: ids })
      syncCoreOrderTransactionsStep({ transaction_ids: ids })
    })

    publishLedgerChangesStep()
    releaseLockStep({ key: lockKeys })
    return new WorkflowResponse(before)
  }
)
