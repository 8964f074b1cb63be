import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import {
  reconcileLedgerTransactionsBatchWorkflow,
  type ReconcileLedgerTransactionsResult,
} from "../workflows/reconcile-ledger-transactions-batch"

/**
 * Input of {@link reconcileOrderBatchesStep}: which orders to reconcile.
 *
 * @example
 * const input: ReconcileOrderBatchesStepInput = { updated_since: "2026-11-22T00:00:00Z", batch_size: 500 }
 */
export type ReconcileOrderBatchesStepInput = {
  /** These orders (`NOT_FOUND` if one does not exist). */
  order_ids?: string[]
  /** The orders of these Medusa payments (payments without an order are left out). */
  payment_ids?: string[]
  /** Orders changed since then: the order itself, or one of its payments, captures or refunds. */
  updated_since?: string | Date
  /** Orders per batch. Default 500. */
  batch_size?: number
}

/** Orders per batch unless told otherwise. */
export const RECONCILE_BATCH_SIZE = 500

const resolveQuery = (container: MedusaContainer) => container.resolve(ContainerRegistrationKeys.QUERY)
type Query = ReturnType<typeof resolveQuery>

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size))
  }
  return chunks
}

/** Non-draft orders, `size` ids at a time, by id (keyset paging: each page is one indexed read). */
async function* allOrderIds(query: Query, size: number, filters: Record<string, unknown> = {}) {
  let after: string | undefined
  for (;;) {
    const { data } = await query.graph({
      entity: "order",
      fields: ["id"],
      filters: { ...filters, is_draft_order: false, ...(after && { id: { $gt: after } }) },
      pagination: { take: size, order: { id: "ASC" } },
    })
    const ids = (data as { id: string }[]).map((o) => o.id)
    if (ids.length) {
      yield ids
    }
    if (ids.length < size) {
      return
    }
    after = ids[ids.length - 1]
  }
}

/** The orders of Medusa payments, through payment → payment_collection → order. */
async function ordersOfPayments(query: Query, paymentIds: string[]): Promise<string[]> {
  const orderIds = new Set<string>()
  for (const ids of chunk([...new Set(paymentIds)], RECONCILE_BATCH_SIZE)) {
    const { data } = await query.graph({
      entity: "payment",
      fields: ["id", "payment_collection.order.id"],
      filters: { id: ids },
    })
    for (const payment of data as { payment_collection?: { order?: { id?: string } | null } | null }[]) {
      const orderId = payment.payment_collection?.order?.id
      if (orderId) {
        orderIds.add(orderId)
      }
    }
  }
  return [...orderIds]
}

/** Orders changed since a date: updated orders, and orders of payments updated, captured or refunded since. */
async function ordersChangedSince(container: MedusaContainer, query: Query, since: Date, size: number) {
  const orderIds = new Set<string>()
  for await (const ids of allOrderIds(query, size, { updated_at: { $gte: since } })) {
    ids.forEach((id) => orderIds.add(id))
  }
  const payments = container.resolve(Modules.PAYMENT)
  const changed = { $gte: since.toISOString() }
  const [updated, captures, refunds] = await Promise.all([
    payments.listPayments({ updated_at: changed }, { select: ["id"] }),
    payments.listCaptures({ created_at: changed }, { select: ["id", "payment_id"] }),
    payments.listRefunds({ created_at: changed }, { select: ["id", "payment_id"] }),
  ])
  const paymentIds = [
    ...updated.map((p) => p.id),
    ...[...captures, ...refunds].map((r) => (r as { payment_id?: string }).payment_id).filter((id): id is string => !!id),
  ]
  for (const id of await ordersOfPayments(query, paymentIds)) {
    orderIds.add(id)
  }
  return [...orderIds].sort()
}

/** Throws `NOT_FOUND` naming the ids that are not orders. */
async function throwIfOrdersMissing(query: Query, orderIds: string[]) {
  for (const ids of chunk(orderIds, RECONCILE_BATCH_SIZE)) {
    const { data } = await query.graph({ entity: "order", fields: ["id"], filters: { id: ids } })
    const found = new Set((data as { id: string }[]).map((o) => o.id))
    const missing = ids.filter((id) => !found.has(id))
    if (missing.length) {
      ledgerError(LedgerErrorCode.NOT_FOUND, `Order with id: ${missing.join(", ")} was not found.`)
    }
  }
}

/** The batches of order ids the input asks for. */
async function* orderBatches(container: MedusaContainer, input: ReconcileOrderBatchesStepInput, size: number) {
  const query = resolveQuery(container)
  if (input.order_ids) {
    const ids = [...new Set(input.order_ids)]
    await throwIfOrdersMissing(query, ids)
    yield* chunk(ids, size)
  } else if (input.payment_ids) {
    yield* chunk(await ordersOfPayments(query, input.payment_ids), size)
  } else if (input.updated_since) {
    yield* chunk(await ordersChangedSince(container, query, new Date(input.updated_since), size), size)
  } else {
    yield* allOrderIds(query, size)
  }
}

export const reconcileOrderBatchesStepId = "reconcile-order-batches"

/**
 * Pages through the orders the input names (given ids, the orders of given payments, orders
 * changed since a date, or every order) and runs {@link reconcileLedgerTransactionsBatchWorkflow}
 * on each page, so memory stays flat on any number of orders. Each batch is its own workflow
 * with its own compensation; a batch that finished stays: its rows are mirrors of what Medusa
 * holds, true whatever happens to the next batch, so this step has nothing to compensate.
 *
 * @example
 * const result = reconcileOrderBatchesStep({ order_ids: ["order_123"] })
 */
export const reconcileOrderBatchesStep = createStep(
  reconcileOrderBatchesStepId,
  async (input: ReconcileOrderBatchesStepInput, { container }) => {
    const size = Math.max(1, Math.min(input.batch_size ?? RECONCILE_BATCH_SIZE, 5000))
    const total: ReconcileLedgerTransactionsResult = { orders: 0, created: 0, skipped: 0, failed: [] }
    for await (const orderIds of orderBatches(container, input, size)) {
      const { result } = await reconcileLedgerTransactionsBatchWorkflow(container).run({
        input: { order_ids: orderIds },
      })
      total.orders += result.orders
      total.created += result.created
      total.skipped += result.skipped
      total.failed.push(...result.failed)
    }
    return new StepResponse(total)
  }
)
