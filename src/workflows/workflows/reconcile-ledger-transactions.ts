import { WorkflowData, WorkflowResponse, createWorkflow, transform, when } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  LEDGER_RECONCILE_REQUESTED,
  reconcileOrderBatchesStep,
  startLedgerReconcileRunStep,
  type ReconcileOrderBatchesStepInput,
  type StartLedgerReconcileRunStepInput,
} from "../steps/reconcile-order-batches"

/**
 * Input of {@link reconcileLedgerTransactionsWorkflow}: give at most one of `order_ids`,
 * `payment_ids`, `updated_since`; none reconciles every order. `run_id` reconciles every order
 * for a background run started by {@link startLedgerReconcileRunWorkflow}.
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
 * from Medusa's current totals. Orders are read 500 at a time. With `run_id` it reports into that
 * background run after each batch and ends it `done` or `failed`.
 *
 * @example
 * // Some orders, the orders of a payment, recently changed orders, or all orders:
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { order_ids: ["order_123"] } })
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { payment_ids: ["pay_123"] } })
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { updated_since: new Date(Date.now() - 864e5) } })
 * const { result } = await reconcileLedgerTransactionsWorkflow(container).run({ input: {} })
 * // result: { orders: 1200, created: 4, skipped: 3561, failed: [] }
 * // Every order, for a background run (what the `order_ledger.reconcile_requested` subscriber does):
 * await reconcileLedgerTransactionsWorkflow(container).run({ input: { run_id: "olrec_123" } })
 */
export const reconcileLedgerTransactionsWorkflow = createWorkflow(
  reconcileLedgerTransactionsWorkflowId,
  (input: WorkflowData<ReconcileLedgerTransactionsWorkflowInput>) => {
    const result = reconcileOrderBatchesStep(input)
    return new WorkflowResponse(result)
  }
)

/**
 * Input of {@link startLedgerReconcileRunWorkflow}.
 *
 * @example
 * const input: StartLedgerReconcileRunWorkflowInput = {}
 */
export type StartLedgerReconcileRunWorkflowInput = StartLedgerReconcileRunStepInput

export const startLedgerReconcileRunWorkflowId = "start-ledger-reconcile-run"

/**
 * Starts a reconcile of every order in the background and answers at once with its run
 * (`olrec_…`, status `running`): creates the run and emits `order_ledger.reconcile_requested`
 * `{ id }` once the workflow ends, which a worker's subscriber answers by running
 * {@link reconcileLedgerTransactionsWorkflow} with the run id. While a run is running (it
 * reported in the last 5 minutes) that run is answered instead and nothing is emitted, so there
 * is one run at a time, across processes with Medusa's Redis locking provider.
 *
 * @example
 * const { result } = await startLedgerReconcileRunWorkflow(container).run({ input: {} })
 * // result: { run: { id: "olrec_01…", status: "running", progress: null, … }, started: true, superseded: [] }
 */
export const startLedgerReconcileRunWorkflow = createWorkflow(
  startLedgerReconcileRunWorkflowId,
  (input: WorkflowData<StartLedgerReconcileRunWorkflowInput>) => {
    const started = startLedgerReconcileRunStep(input)
    when({ started }, ({ started }) => started.started).then(() => {
      const data = transform({ started }, ({ started }) => ({ id: started.run.id }))
      emitEventStep({ eventName: LEDGER_RECONCILE_REQUESTED, data }).config({
        name: "emit-ledger-reconcile-requested",
      })
    })
    return new WorkflowResponse(started)
  }
)
