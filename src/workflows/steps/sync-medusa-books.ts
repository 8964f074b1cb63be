import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { coreBooksFixes, type CoreLedgerTransaction } from "../utils/core-books"
import { carriedByMedusaPayment } from "../utils/medusa-books"
import type { MedusaOrderPayments } from "../utils/medusa-payments"
import { TransactionKind, TransactionReference, TransactionStatus } from "../../utils/constants"
import type { PlanLedgerRow } from "../utils/reconcile-plan"
import { MEDUSA_REFUND_LEDGER_METADATA_KEY } from "./attach-medusa-refund"
import { createMedusaPayments, createMedusaRefunds } from "./create-medusa-payments"
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
  // Ledger rows Medusa already has a payment or a refund for.
  const madeFor = new Set<unknown>(
    orders.flatMap((o) =>
      o.payments.flatMap((p) => [...p.ledger_transaction_ids, ...p.refunds.map((r) => r.metadata?.[MEDUSA_REFUND_LEDGER_METADATA_KEY])])
    )
  )
  const existing = (await container.resolve(Modules.ORDER).listOrderTransactions(
    { order_id: orderIds, reference: CORE_LEDGER_REFERENCE },
    { select: ["id", "order_id", "currency_code", "amount", "raw_amount"] }
  )) as unknown as CoreLedgerTransaction[]
  const fixes = new Map(coreBooksFixes(rowsByOrder, existing).map((f) => [f.order_id, f]))
  const toCarry = new Map(
    [...rowsByOrder].map(([orderId, rows]) => {
      const payments = rows.filter((r) => carriedByMedusaPayment(r) && !r.medusa_payment_id && !madeFor.has(r.id))
      const carriedIds = new Set([...payments, ...rows.filter((r) => carriedByMedusaPayment(r) && r.medusa_payment_id)].map((r) => r.id))
      const refunds = rows.filter(
        (r) =>
          r.kind === TransactionKind.REFUND &&
          r.status === TransactionStatus.SUCCEEDED &&
          r.reference !== TransactionReference.REFUND &&
          !r.medusa_payment_id &&
          !madeFor.has(r.id) &&
          carriedIds.has(r.parent_id ?? "")
      )
      return [orderId, { payments, refunds }]
    })
  )
  return { rowsByOrder, existing, fixes, toCarry }
}

/**
 * Brings Medusa's books of a reconciled batch in step with the ledger, idempotently: outside
 * payments recorded before the ledger carried them as Medusa payments become captured
 * system-provider payments now, their refunds Medusa refunds of them, and the `order_ledger`
 * core order transactions are set to the
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
    const first = orderIds.length ? await needs(container, orderIds, input.orders) : null
    const off = orderIds.filter((id) => {
      const carry = first?.toCarry.get(id)
      return !!first?.fixes.has(id) || !!carry?.payments.length || !!carry?.refunds.length
    })
    let carried = 0
    for (const orderId of off) {
      await withOrderLock(container, orderId, 5, async () => {
        const orders = input.orders.filter((o) => o.order.id === orderId)
        const { rowsByOrder, existing, toCarry } = await needs(container, [orderId], orders)
        const { payments = [], refunds = [] } = toCarry.get(orderId) ?? {}
        const withCurrency = (rows: PlanLedgerRow[]) => rows.map((r) => ({ ...r, currency_code: r.currency_code as string }))
        const ids = payments.length
          ? await createMedusaPayments(container, withCurrency(payments), { collection_ids: [], order_transaction_ids: [], links: [] })
          : []
        const refunded = await createMedusaRefunds(container, withCurrency(refunds), new Map(payments.map((p, i) => [p.id, ids[i]])))
        carried += payments.length + refunded.length
        // The refunds just carried are Medusa refunds now, not the ledger's core transactions
        // (payments carried by Medusa never are).
        const refundedIds = new Set(refunded)
        const rows = (rowsByOrder.get(orderId) ?? []).filter((r) => !refundedIds.has(r.id))
        const [fix] = coreBooksFixes(new Map([[orderId, rows]]), existing)
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
