import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { coreBooksFixes, type CoreLedgerTransaction } from "../utils/core-books"
import { carriedByMedusaPayment } from "../utils/medusa-books"
import type { MedusaOrderPayments } from "../utils/medusa-payments"
import { createMedusaPayments } from "./create-medusa-payments"
import { loadPlanLedgerRows } from "./plan-ledger-reconcile"
import { withOrderLock } from "./record-ledger-reconcile"
import { CORE_LEDGER_REFERENCE } from "./sync-core-order-transactions"

/**
 * Input of {@link syncMedusaBooksStep}: the batch's orders with their Medusa payments.
 *
 * @example
 * syncMedusaBooksStep({ orders })
 */
export type SyncMedusaBooksStepInput = { orders: MedusaOrderPayments[] }

export const syncMedusaBooksStepId = "sync-medusa-books"

/** What one order needs: its outside payments not yet in Medusa, and whether its core books are off. */
async function needs(container: MedusaContainer, orderIds: string[], orders: MedusaOrderPayments[]) {
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const rowsByOrder = await loadPlanLedgerRows(ledger, orderIds)
  const madeFor = new Set(orders.flatMap((o) => o.payments.map((p) => p.ledger_transaction_id)))
  const existing = (await container.resolve(Modules.ORDER).listOrderTransactions(
    { order_id: orderIds, reference: CORE_LEDGER_REFERENCE },
    { select: ["id", "order_id", "currency_code", "amount", "raw_amount"] }
  )) as unknown as CoreLedgerTransaction[]
  const fixes = new Map(coreBooksFixes(rowsByOrder, existing).map((f) => [f.order_id, f]))
  const toCarry = new Map(
    [...rowsByOrder].map(([orderId, rows]) => [
      orderId,
      rows.filter((r) => carriedByMedusaPayment(r) && !r.medusa_payment_id && !madeFor.has(r.id)),
    ])
  )
  return { fixes, toCarry }
}

/**
 * Brings Medusa's books of a reconciled batch in step with the ledger, idempotently: outside
 * payments recorded before the ledger carried them as Medusa payments become captured
 * system-provider payments now, and the `order_ledger` core order transactions are set to the
 * money Medusa's payment module does not carry, so nothing is counted twice. Cheap when nothing
 * is off (two reads per batch); an order that needs a change is re-read and changed under its
 * ledger lock. No compensation: every change is one an earlier run would also make, and a rerun
 * finishes what a failed one left.
 *
 * @example
 * syncMedusaBooksStep({ orders })
 */
export const syncMedusaBooksStep = createStep(
  syncMedusaBooksStepId,
  async (input: SyncMedusaBooksStepInput, { container }) => {
    const orderIds = input.orders.map((o) => o.order.id)
    const first = orderIds.length ? await needs(container, orderIds, input.orders) : { fixes: new Map(), toCarry: new Map() }
    const off = orderIds.filter((id) => first.fixes.has(id) || (first.toCarry.get(id)?.length ?? 0) > 0)
    let carried = 0
    for (const orderId of off) {
      await withOrderLock(container, orderId, 5, async () => {
        const orders = input.orders.filter((o) => o.order.id === orderId)
        const { toCarry } = await needs(container, [orderId], orders)
        const rows = toCarry.get(orderId) ?? []
        if (rows.length) {
          const withCurrency = rows.map((r) => ({ ...r, currency_code: r.currency_code as string }))
          await createMedusaPayments(container, withCurrency, { collection_ids: [], order_transaction_ids: [], links: [] })
          carried += rows.length
        }
        const { fixes } = await needs(container, [orderId], orders)
        const fix = fixes.get(orderId)
        if (fix) {
          const orderModule = container.resolve(Modules.ORDER)
          if (fix.remove.length) {
            await orderModule.deleteOrderTransactions(fix.remove.map((t) => t.id))
          }
          if (fix.add.length) {
            await orderModule.addOrderTransactions(fix.add)
          }
        }
      })
    }
    return new StepResponse({ orders: off.length, carried })
  }
)
