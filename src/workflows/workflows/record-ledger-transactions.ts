import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import type {
  LedgerTransactionInput,
  RecordLedgerTransactionsInput,
  RecordLedgerTransactionsResult,
} from "../../modules/order-ledger/types"
import { requestHash } from "../../utils/request-hash"
import { createMedusaPaymentsStep } from "../steps/create-medusa-payments"
import { recordLedgerTransactionsStep } from "../steps/record-ledger-transactions"
import { retrieveLedgerOrdersStep } from "../steps/retrieve-ledger-orders"
import { syncCoreOrderTransactionsStep, type SyncCoreOrderTransactionsStepInput } from "../steps/sync-core-order-transactions"
import { validateBookkeepingActionsStep } from "../steps/validate-bookkeeping-actions"
import { LEDGER_LOCK_OPTIONS, ledgerLockKeys } from "../utils/ledger-lock"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/** Input of {@link recordLedgerTransactionsWorkflow}. */
export type RecordLedgerTransactionsWorkflowInput = {
  /** The Medusa order the transactions belong to. */
  order_id: string
  /** 1 to 50 transactions, recorded all or none. Amounts are positive; the sign follows `kind`. */
  transactions: LedgerTransactionInput[]
  /** A client's `Idempotency-Key`: a repeat with the same body records nothing new. */
  idempotency_key?: string
  /**
   * Leave Medusa's books alone: no Medusa payments for outside payments, no core order
   * transactions (a fast import; the reconcile brings Medusa's books in step afterwards).
   */
  skip_core_sync?: boolean
}

export const recordLedgerTransactionsWorkflowId = "record-ledger-transactions"

/**
 * Records 1 to 50 transactions on an order, all or none: under the order's row lock the module
 * checks the currency, amounts, parents and duplicates and writes the rows with the order's
 * balance in one database transaction; then the succeeded ones are added to Medusa's own order
 * transactions, and `order_transaction.created` is emitted.
 *
 * @example
 * const { result } = await recordLedgerTransactionsWorkflow(container).run({
 *   input: {
 *     order_id: "order_123",
 *     transactions: [
 *       { kind: "payment", amount: 190, payment_method: "bank_transfer", external_id: "BT-2026-001" },
 *     ],
 *   },
 * })
 */
export const recordLedgerTransactionsWorkflow = createWorkflow(
  recordLedgerTransactionsWorkflowId,
  (input: WorkflowData<RecordLedgerTransactionsWorkflowInput>) => {
    const orderIds = transform({ input }, ({ input }) => [input.order_id])
    const lockKeys = transform({ orderIds }, ({ orderIds }) => ledgerLockKeys(orderIds))
    acquireLockStep({ key: lockKeys, ...LEDGER_LOCK_OPTIONS })

    const orders = retrieveLedgerOrdersStep({ order_ids: orderIds })
    const order = transform({ orders }, ({ orders }) => orders[0])
    validateBookkeepingActionsStep({ transactions: input.transactions })

    const recordInput = transform({ input, order }, ({ input, order }): RecordLedgerTransactionsInput => ({
      order,
      transactions: input.transactions,
      idempotency: input.idempotency_key
        ? {
            key: input.idempotency_key,
            request_hash: requestHash("record", input.order_id, input.transactions),
          }
        : undefined,
    }))
    const result = recordLedgerTransactionsStep(recordInput)

    // Medusa's books: outside payments become captured Medusa payments, the rest of the money
    // core order transactions. Also on a replay: both steps add only what Medusa's books lack, so
    // a retry after a crash between the ledger's commit and them brings them in step
    // (reliability suite, fault 2).
    when({ result, input }, ({ result, input }) => result.transaction_ids.length > 0 && !input.skip_core_sync).then(() => {
      const booksInput = transform({ result }, ({ result }) => coreSyncInput(result))
      const carried = createMedusaPaymentsStep(booksInput)
      syncCoreOrderTransactionsStep(
        transform({ booksInput, carried }, ({ booksInput, carried }) => ({
          ...booksInput,
          carried_transaction_ids: carried.carried_transaction_ids,
        }))
      )
    })


    publishLedgerChangesStep()
    releaseLockStep({ key: lockKeys })
    return new WorkflowResponse(result)
  }
)

/**
 * What Medusa's books need of a record call: the rows it just wrote, or on a replay (whose
 * rows the first call wrote) their ids, so a retry after a crash between the ledger's commit
 * and the sync brings Medusa's books in step.
 */
export function coreSyncInput(result: RecordLedgerTransactionsResult): SyncCoreOrderTransactionsStepInput {
  return result.transactions ? { transactions: result.transactions } : { transaction_ids: result.transaction_ids }
}
