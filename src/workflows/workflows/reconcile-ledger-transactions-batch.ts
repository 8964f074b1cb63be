import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
} from "@medusajs/framework/workflows-sdk"
import { listMedusaPaymentsStep } from "../steps/list-medusa-payments"
import { planLedgerReconcileStep } from "../steps/plan-ledger-reconcile"
import { recordLedgerReconcileStep, type ReconcileFailure } from "../steps/record-ledger-reconcile"
import { refreshLedgerBalancesStep } from "../steps/refresh-ledger-balances"
import { syncMedusaBooksStep } from "../steps/sync-medusa-books"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/**
 * Input of {@link reconcileLedgerTransactionsBatchWorkflow}.
 *
 * @example
 * const input: ReconcileLedgerTransactionsBatchWorkflowInput = { order_ids: ["order_123", "order_456"] }
 */
export type ReconcileLedgerTransactionsBatchWorkflowInput = {
  /** One batch of orders (the reconcile workflow sends 500 at a time). */
  order_ids: string[]
  /** Answer `NOT_FOUND` when an order is missing (default false: missing orders are left out). */
  throw_if_missing?: boolean
}

/** What a reconcile did. */
export type ReconcileLedgerTransactionsResult = {
  /** Orders looked at. */
  orders: number
  /** Ledger transactions recorded. */
  created: number
  /** Medusa payment records that were already in the ledger. */
  skipped: number
  /** Orders that could not be brought in step, with the ledger's reason (the others were). */
  failed: ReconcileFailure[]
}

export const reconcileLedgerTransactionsBatchWorkflowId = "reconcile-ledger-transactions-batch"

/**
 * Brings one batch of orders' ledgers in step with Medusa's own payments: reads the orders'
 * payments, captures and refunds (one Query call) and their ledger rows (one query), records
 * what is missing under each order's lock, refreshes the batch's balances from Medusa's current
 * totals and emits `order_transaction.created` for each new row. Idempotent: a second run
 * records nothing. {@link reconcileLedgerTransactionsWorkflow} runs it page by page.
 *
 * @example
 * const { result } = await reconcileLedgerTransactionsBatchWorkflow(container).run({
 *   input: { order_ids: ["order_123", "order_456"] },
 * })
 * // result: { orders: 2, created: 3, skipped: 1, failed: [] }
 */
export const reconcileLedgerTransactionsBatchWorkflow = createWorkflow(
  reconcileLedgerTransactionsBatchWorkflowId,
  (input: WorkflowData<ReconcileLedgerTransactionsBatchWorkflowInput>) => {
    const orders = listMedusaPaymentsStep({
      order_ids: input.order_ids,
      throw_if_missing: input.throw_if_missing,
    })
    const plan = planLedgerReconcileStep({ orders })
    const pending = transform({ plan }, ({ plan }) => plan.pending)
    const recorded = recordLedgerReconcileStep({ orders: pending })
    syncMedusaBooksStep({ orders })

    const ledgerOrders = transform({ orders }, ({ orders }) => orders.map((o) => o.order))
    refreshLedgerBalancesStep(ledgerOrders)


    publishLedgerChangesStep()

    const result = transform(
      { orders, plan, recorded },
      ({ orders, plan, recorded }): ReconcileLedgerTransactionsResult => ({
        orders: orders.length,
        created: recorded.created.length,
        skipped: plan.skipped + recorded.skipped,
        failed: recorded.failed,
      })
    )
    return new WorkflowResponse(result)
  }
)
