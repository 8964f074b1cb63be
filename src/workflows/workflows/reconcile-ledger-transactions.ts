import { WorkflowData, WorkflowResponse, createWorkflow } from "@medusajs/framework/workflows-sdk"
import {
  reconcileOrderBatchesStep,
  type ReconcileOrderBatchesStepInput,
} from "../steps/reconcile-order-batches"

/**
 * Input of {@link reconcileLedgerTransactionsWorkflow}: give at most one of `order_ids`,
 * `payment_ids`, `updated_since`; none reconciles every order.
 *
 * @example
 * const input: ReconcileLedgerTransactionsWorkflowInput = { payment_ids: ["pay_123"] }
 */
export type ReconcileLedgerTransactionsWorkflowInput = ReconcileOrderBatchesStepInput

export type { ReconcileLedgerTransactionsResult } from "./reconcile-ledger-transactions-batch"

export const reconcileLedgerTransactionsWorkflowId = "reconcile-ledger-transactions"

/**
 * Brings the ledger in step with Medusa's own payments, idempotently: every
 * Medusa payment appears as an `authorization` (reference `payment`, `pay_…`), every capture as
 * a `payment` (reference `capture`, `capt_…`, parent the authorization), every refund as a
 * `refund` (reference `refund`, `ref_…`, parent the ledger payment of a capture with enough left
 * to refund) and a canceled payment as a `void` of its authorization. Records already there are
 * skipped, so events that were lost or came twice do no harm. The rows mirror Medusa's own
 * records, so they are never added to Medusa's core order transactions. Balances are refreshed
 * from Medusa's current totals. Orders are read 500 at a time.
 *
 * @example
 * // Some orders, the orders of a payment, recently changed orders, or all orders:
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { order_ids: ["order_123"] } })
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { payment_ids: ["pay_123"] } })
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { updated_since: new Date(Date.now() - 864e5) } })
 * const { result } = await reconcileLedgerTransactionsWorkflow(container).run({ input: {} })
 * // result: { orders: 1200, created: 4, skipped: 3561, failed: [] }
 */
export const reconcileLedgerTransactionsWorkflow = createWorkflow(
  reconcileLedgerTransactionsWorkflowId,
  (input: WorkflowData<ReconcileLedgerTransactionsWorkflowInput>) => {
    const result = reconcileOrderBatchesStep(input)
    return new WorkflowResponse(result)
  }
)
