import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { toDecimalString } from "../../utils/money"
import type { MedusaOrderPayments } from "../utils/medusa-payments"
import { planLedgerReconcile, type PlanLedgerRow } from "../utils/reconcile-plan"

/**
 * Input of {@link planLedgerReconcileStep}.
 *
 * @example
 * const input: PlanLedgerReconcileStepInput = { orders } // from listMedusaPaymentsStep
 */
export type PlanLedgerReconcileStepInput = {
  /** Orders with their Medusa payments, from {@link listMedusaPaymentsStep}. */
  orders: MedusaOrderPayments[]
}

/** What {@link planLedgerReconcileStep} found. */
export type PlanLedgerReconcileStepOutput = {
  /** Orders whose ledger lacks some of their Medusa records (or whose plan failed): to record under the lock. */
  pending: MedusaOrderPayments[]
  /** Medusa records already in the ledger, on the orders that need nothing. */
  skipped: number
}

/** Rows read per query when loading ledger rows for planning. */
const ROWS_PER_READ = 5000

/**
 * The orders' ledger rows as the planner reads them: plain rows, exact amounts, in pages of 5000
 * (one indexed query each for a batch of orders, no entity hydration).
 */
export async function loadPlanLedgerRows(
  ledger: OrderLedgerModuleService,
  orderIds: string[]
): Promise<Map<string, PlanLedgerRow[]>> {
  const byOrder = new Map<string, PlanLedgerRow[]>(orderIds.map((id) => [id, []]))
  let after: string | null = null
  while (orderIds.length) {
    const rows = await ledger.listTransactionPage({ order_id: orderIds }, { after, limit: ROWS_PER_READ })
    for (const row of rows) {
      byOrder.get(row.order_id as string)?.push({
        id: row.id as string,
        order_id: row.order_id as string,
        kind: row.kind as PlanLedgerRow["kind"],
        status: row.status as PlanLedgerRow["status"],
        amount: toDecimalString(row.amount as string),
        parent_id: (row.parent_id as string | null) ?? null,
        reference: row.reference as string,
        reference_id: (row.reference_id as string | null) ?? null,
        currency_code: row.currency_code as string,
        medusa_payment_id: (row.medusa_payment_id as string | null) ?? null,
      })
    }
    if (rows.length < ROWS_PER_READ) {
      break
    }
    after = rows[rows.length - 1].id as string
  }
  return byOrder
}

export const planLedgerReconcileStepId = "plan-ledger-reconcile"

/**
 * Reads the ledger rows of a batch of orders in one query and plans, per order, which Medusa
 * payment records the ledger lacks. Orders in step are only counted; the others go on to
 * {@link recordLedgerReconcileStep}, which plans them again under the order's lock.
 *
 * @example
 * const { pending, skipped } = planLedgerReconcileStep({ orders })
 */
export const planLedgerReconcileStep = createStep(
  planLedgerReconcileStepId,
  async (input: PlanLedgerReconcileStepInput, { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const rowsByOrder = await loadPlanLedgerRows(
      ledger,
      input.orders.map((o) => o.order.id)
    )
    const output: PlanLedgerReconcileStepOutput = { pending: [], skipped: 0 }
    for (const medusa of input.orders) {
      try {
        const plan = planLedgerReconcile(medusa, rowsByOrder.get(medusa.order.id) ?? [])
        if (plan.planned > 0) {
          output.pending.push(medusa)
        } else {
          output.skipped += plan.skipped
        }
      } catch {
        // The recorder plans it again under the lock and reports why it cannot be mirrored.
        output.pending.push(medusa)
      }
    }
    return new StepResponse(output)
  }
)
