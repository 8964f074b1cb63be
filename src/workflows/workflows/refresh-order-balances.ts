import { WorkflowData, WorkflowResponse, createWorkflow, transform } from "@medusajs/framework/workflows-sdk"
import { refreshLedgerBalancesStep } from "../steps/refresh-ledger-balances"
import { retrieveLedgerOrdersStep } from "../steps/retrieve-ledger-orders"

/** Input of {@link refreshOrderBalancesWorkflow}. */
export type RefreshOrderBalancesWorkflowInput = {
  /** Orders whose total may have changed in Medusa (edit, return, claim, exchange, cancel). */
  order_ids: string[]
}

export const refreshOrderBalancesWorkflowId = "refresh-order-balances"

/**
 * Re-reads the orders' current totals from Medusa and refreshes their stored balances (creating
 * them for orders the ledger has not seen). Orders that no longer exist and draft orders are skipped.
 *
 * @example
 * await refreshOrderBalancesWorkflow(container).run({ input: { order_ids: ["order_123"] } })
 */
export const refreshOrderBalancesWorkflow = createWorkflow(
  refreshOrderBalancesWorkflowId,
  (input: WorkflowData<RefreshOrderBalancesWorkflowInput>) => {
    const orders = retrieveLedgerOrdersStep({
      order_ids: input.order_ids,
      throw_if_missing: false,
      skip_draft_orders: true,
    })
    refreshLedgerBalancesStep(orders)
    const orderIds = transform({ orders }, ({ orders }) => orders.map((o) => o.id))
    return new WorkflowResponse(orderIds)
  }
)
