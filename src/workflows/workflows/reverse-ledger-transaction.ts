import type { BigNumberInput } from "@medusajs/framework/types"
import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import type { RecordLedgerTransactionsInput } from "../../modules/order-ledger/types"
import { TransactionKind, TransactionStatus } from "../../utils/constants"
import { requestHash } from "../../utils/request-hash"
import { recordLedgerTransactionsStep } from "../steps/record-ledger-transactions"
import { retrieveLedgerOrdersStep } from "../steps/retrieve-ledger-orders"
import { retrieveLedgerTransactionOrderStep } from "../steps/retrieve-ledger-transaction-order"
import { syncCoreOrderTransactionsStep } from "../steps/sync-core-order-transactions"
import { LEDGER_LOCK_OPTIONS, ledgerLockKeys } from "../utils/ledger-lock"
import { coreSyncInput } from "./record-ledger-transactions"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/**
 * Input of {@link reverseLedgerTransactionWorkflow}.
 *
 * @example
 * const input: ReverseLedgerTransactionWorkflowInput = { transaction_id: "oltx_chargeback", reason: "Dispute won" }
 */
export type ReverseLedgerTransactionWorkflowInput = {
  /** The succeeded refund or chargeback (`oltx_…`) that was turned back. */
  transaction_id: string
  /** Positive, at the currency's decimals; leave it out to reverse all that is left. */
  amount?: BigNumberInput | null
  /** Why ("Dispute won", "Refund bounced"). */
  reason?: string | null
  note?: string | null
  /** A client's `Idempotency-Key`: a repeat with the same body reverses nothing new. */
  idempotency_key?: string
}

export const reverseLedgerTransactionWorkflowId = "reverse-ledger-transaction"

/**
 * Records a reversal of a succeeded refund or chargeback: a chargeback the merchant won, or a
 * refund that bounced after it succeeded. Forward-only: a new row of kind `reversal` (positive:
 * the money is the merchant's again) whose parent is the reversed row, which is never edited.
 * Under the order's row lock the module checks it against what is left to reverse; the payment's
 * refundable amount grows back by it, and Medusa's core order transactions get it (reference
 * `order_ledger`), so Medusa's outstanding amount follows. Emits `order_transaction.created`.
 *
 * @example
 * await reverseLedgerTransactionWorkflow(container).run({ input: { transaction_id: "oltx_cb", reason: "Dispute won" } })
 */
export const reverseLedgerTransactionWorkflow = createWorkflow(
  reverseLedgerTransactionWorkflowId,
  (input: WorkflowData<ReverseLedgerTransactionWorkflowInput>) => {
    const orderId = retrieveLedgerTransactionOrderStep({ id: input.transaction_id })
    const orderIds = transform({ orderId }, ({ orderId }) => [orderId])
    const lockKeys = transform({ orderIds }, ({ orderIds }) => ledgerLockKeys(orderIds))
    acquireLockStep({ key: lockKeys, ...LEDGER_LOCK_OPTIONS })

    const orders = retrieveLedgerOrdersStep({ order_ids: orderIds })
    const recordInput = transform({ input, orders }, ({ input, orders }): RecordLedgerTransactionsInput => ({
      order: orders[0],
      reversal: true,
      transactions: [
        {
          kind: TransactionKind.REVERSAL,
          status: TransactionStatus.SUCCEEDED,
          amount: input.amount ?? null,
          parent_id: input.transaction_id,
          reason: input.reason ?? null,
          note: input.note ?? null,
        },
      ],
      idempotency: input.idempotency_key
        ? {
            key: input.idempotency_key,
            request_hash: requestHash("reversal", input.transaction_id, {
              amount: input.amount,
              reason: input.reason,
              note: input.note,
            }),
          }
        : undefined,
    }))
    const result = recordLedgerTransactionsStep(recordInput)

    when("sync-ledger-reversal-to-core", { result }, ({ result }) => result.transaction_ids.length > 0).then(() => {
      syncCoreOrderTransactionsStep(transform({ result }, ({ result }) => coreSyncInput(result)))
    })


    publishLedgerChangesStep()
    releaseLockStep({ key: lockKeys })
    const output = transform({ result }, ({ result }) => ({ order_id: result.order_id, transaction_id: result.transaction_ids[0], replayed: result.replayed }))
    return new WorkflowResponse(output)
  }
)
