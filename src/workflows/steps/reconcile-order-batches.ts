import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { ReconcileRunStatus } from "../../utils/constants"
import { LedgerErrorCode, isLockWaitTimeout, ledgerError } from "../../utils/errors"
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
  /**
   * The background run (`olrec_…`, from {@link startLedgerReconcileRunStep}) this reconcile of
   * every order reports into: progress after each batch, then `done` with the result or `failed`
   * with the error. A run that another process already picked up, or that ended, is left alone
   * (the answer is then all zeros).
   */
  run_id?: string
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

/** What a reconcile of every order has done so far, as a run's `progress` stores it. */
export type ReconcileRunProgress = {
  /** Orders there were when the run started (orders placed meanwhile are reconciled too). */
  orders_total: number
  /** Orders reconciled so far. */
  orders_done: number
  /** Ledger transactions recorded so far. */
  created: number
  /** Medusa records found already in the ledger so far. */
  skipped: number
  /** Orders that could not be brought in step so far (listed in the run's `result` at the end). */
  failed: number
}

/** A background reconcile run as the API answers it. */
export type LedgerReconcileRunView = {
  id: string
  status: ReconcileRunStatus
  /** Null until a worker picks the run up. */
  progress: ReconcileRunProgress | null
  /** The reconcile's answer once `done`. */
  result: ReconcileLedgerTransactionsResult | null
  /** Why the run `failed`. */
  error: string | null
  created_at: Date | string
  /** When the run last reported progress: a running run that stopped reporting has died. */
  updated_at: Date | string
  finished_at: Date | string | null
}

/** The stored fields of a reconcile run, in answer order. */
export const RECONCILE_RUN_FIELDS = [
  "id",
  "status",
  "progress",
  "result",
  "error",
  "created_at",
  "updated_at",
  "finished_at",
] as const

/** A reconcile run row as the module service reads it (`progress` and `result` are stored JSON). */
export type LedgerReconcileRunRow = {
  id: string
  status: ReconcileRunStatus
  progress: Record<string, unknown> | null
  result: Record<string, unknown> | null
  error: string | null
  created_at: Date
  updated_at: Date
  finished_at: Date | null
}

/** A reconcile run row as the API answers it. */
export function toReconcileRunView(run: LedgerReconcileRunRow): LedgerReconcileRunView {
  return {
    id: run.id,
    status: run.status,
    progress: (run.progress ?? null) as ReconcileRunProgress | null,
    result: (run.result ?? null) as ReconcileLedgerTransactionsResult | null,
    error: run.error ?? null,
    created_at: run.created_at,
    updated_at: run.updated_at,
    finished_at: run.finished_at ?? null,
  }
}

/**
 * The event that asks a worker to run a reconcile of every order, with data `{ id }` (the run's
 * id). `src/subscribers/run-ledger-reconcile.ts` handles it.
 */
export const LEDGER_RECONCILE_REQUESTED = "order_ledger.reconcile_requested"

/**
 * A running run that has not reported progress for this long is taken for dead (its process
 * ended) and a new request supersedes it. A batch of 500 orders reports within seconds.
 */
export const RECONCILE_RUN_STALE_MS = 5 * 60 * 1000

/**
 * The locking-module key held around every check-then-write of the runs' statuses: starting a run
 * (is one running?), a worker picking one up (has another?), and ending one (was it superseded?).
 * With Medusa's Redis locking provider it holds across processes.
 */
export const RECONCILE_RUN_LOCK_KEY = "order-ledger:reconcile-all"

/** Seconds to wait for {@link RECONCILE_RUN_LOCK_KEY}; it is only ever held for a few queries. */
const RECONCILE_RUN_LOCK_TIMEOUT = 5

const resolveLedger = (container: MedusaContainer) => container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)

/** Runs `fn` holding {@link RECONCILE_RUN_LOCK_KEY}; a wait that times out is `CONCURRENT_REQUEST`. */
async function withReconcileRunLock<T>(container: MedusaContainer, fn: () => Promise<T>): Promise<T> {
  let started = false
  try {
    return await container.resolve(Modules.LOCKING).execute(
      RECONCILE_RUN_LOCK_KEY,
      async () => {
        started = true
        return await fn()
      },
      { timeout: RECONCILE_RUN_LOCK_TIMEOUT }
    )
  } catch (error) {
    if (!started && isLockWaitTimeout(error)) {
      ledgerError(LedgerErrorCode.CONCURRENT_REQUEST, "Another request is starting or ending a reconcile; retry later.")
    }
    throw error
  }
}

/** The run's row with the fields the steps read, or undefined. */
async function findRun(container: MedusaContainer, id: string): Promise<LedgerReconcileRunRow | undefined> {
  const [run] = await resolveLedger(container).listLedgerReconcileRuns({ id }, { select: [...RECONCILE_RUN_FIELDS], take: 1 })
  return run
}

/** Non-draft orders now: one count, for `progress.orders_total`. */
async function countOrders(container: MedusaContainer): Promise<number> {
  const { metadata } = await resolveQuery(container).graph({
    entity: "order",
    fields: ["id"],
    filters: { is_draft_order: false },
    pagination: { take: 1, skip: 0 },
  })
  return metadata?.count ?? 0
}

/**
 * Picks a waiting run up: under the runs' lock, a run still `running` whose progress is null
 * (nobody started it) gets its first progress. Answers that progress, or null when the run is
 * unknown, ended, or already picked up by another process (an event delivered twice).
 */
async function claimRun(container: MedusaContainer, id: string): Promise<ReconcileRunProgress | null> {
  const ordersTotal = await countOrders(container)
  return await withReconcileRunLock(container, async () => {
    const run = await findRun(container, id)
    if (!run || run.status !== ReconcileRunStatus.RUNNING || run.progress != null) {
      return null
    }
    const progress: ReconcileRunProgress = { orders_total: ordersTotal, orders_done: 0, created: 0, skipped: 0, failed: 0 }
    await resolveLedger(container).updateLedgerReconcileRuns({ id, progress })
    return progress
  })
}

/** Stores the progress (which also marks the run alive); false when the run no longer runs (it was superseded). */
async function reportProgress(container: MedusaContainer, id: string, progress: ReconcileRunProgress): Promise<boolean> {
  const run = await findRun(container, id)
  if (run?.status !== ReconcileRunStatus.RUNNING) {
    return false
  }
  await resolveLedger(container).updateLedgerReconcileRuns({ id, progress })
  return true
}

/** Ends the run (done or failed), unless it was superseded meanwhile. */
async function finishRun(
  container: MedusaContainer,
  id: string,
  end: {
    status: ReconcileRunStatus
    progress: ReconcileRunProgress
    result?: ReconcileLedgerTransactionsResult
    error?: string
  }
): Promise<void> {
  await withReconcileRunLock(container, async () => {
    const run = await findRun(container, id)
    if (run?.status === ReconcileRunStatus.RUNNING) {
      await resolveLedger(container).updateLedgerReconcileRuns({
        id,
        status: end.status,
        progress: end.progress,
        result: end.result ?? null,
        error: end.error ?? null,
        finished_at: new Date(),
      })
    }
  })
}

/**
 * The message of what a reconcile threw: an `Error`, or the plain `{ message }` object a failed
 * nested workflow run rethrows.
 */
export function reconcileErrorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message
  if (typeof message === "string" && message) {
    return message
  }
  return typeof error === "string" ? error : JSON.stringify(error) ?? String(error)
}

const progressOf = (total: ReconcileLedgerTransactionsResult, ordersTotal: number): ReconcileRunProgress => ({
  orders_total: ordersTotal,
  orders_done: total.orders,
  created: total.created,
  skipped: total.skipped,
  failed: total.failed.length,
})

/**
 * Runs the batch workflow on each batch the input asks for, adding up the answers; after each
 * batch `afterBatch` (when given) sees the total so far and may stop the run by answering false.
 */
async function reconcileBatches(
  container: MedusaContainer,
  input: ReconcileOrderBatchesStepInput,
  afterBatch?: (total: ReconcileLedgerTransactionsResult) => Promise<boolean>
): Promise<ReconcileLedgerTransactionsResult> {
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
    if (afterBatch && !(await afterBatch(total))) {
      break
    }
  }
  return total
}

/** A background run's reconcile: picks the run up, reports into it and ends it. */
async function reconcileRun(
  container: MedusaContainer,
  input: ReconcileOrderBatchesStepInput & { run_id: string }
): Promise<ReconcileLedgerTransactionsResult> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const runId = input.run_id
  const claimed = await claimRun(container, runId)
  if (!claimed) {
    logger.info(`Order ledger: reconcile run ${runId} is not waiting to start (ended, or running elsewhere); nothing to do.`)
    return { orders: 0, created: 0, skipped: 0, failed: [] }
  }
  const ordersTotal = claimed.orders_total
  let last: ReconcileLedgerTransactionsResult = { orders: 0, created: 0, skipped: 0, failed: [] }
  let superseded = false
  try {
    const total = await reconcileBatches(container, input, async (soFar) => {
      last = soFar
      superseded = !(await reportProgress(container, runId, progressOf(soFar, ordersTotal)))
      return !superseded
    })
    if (superseded) {
      logger.warn(`Order ledger: reconcile run ${runId} was superseded by a newer run; stopped after ${total.orders} orders.`)
      return total
    }
    await finishRun(container, runId, {
      status: ReconcileRunStatus.DONE,
      progress: progressOf(total, ordersTotal),
      result: total,
    })
    return total
  } catch (error) {
    await finishRun(container, runId, {
      status: ReconcileRunStatus.FAILED,
      progress: progressOf(last, ordersTotal),
      error: reconcileErrorMessage(error),
    }).catch((e) => logger.error(`Order ledger: could not mark reconcile run ${runId} failed: ${reconcileErrorMessage(e)}`))
    throw error
  }
}

/** Throws `INVALID_DATA` when a background run (`run_id`, every order) is also given orders to pick. */
function throwIfRunWithSelectors(input: ReconcileOrderBatchesStepInput) {
  if (input.run_id && (input.order_ids || input.payment_ids || input.updated_since)) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      "A background run (run_id) reconciles every order: give it no order_ids, payment_ids or updated_since."
    )
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
 * With a `run_id` it reconciles every order for that background run: it picks the run up (once,
 * whichever process gets the event), stores `{ orders_total, orders_done, created, skipped,
 * failed }` after each batch (which keeps the run from looking dead), and ends it `done` with the
 * result and `finished_at`, or `failed` with the error (then rethrown). A run superseded meanwhile
 * (it looked dead to a newer request) stops after the batch in hand and is left as it is.
 *
 * @example
 * const result = reconcileOrderBatchesStep({ order_ids: ["order_123"] })
 * const everything = reconcileOrderBatchesStep({ run_id: "olrec_123" })
 */
export const reconcileOrderBatchesStep = createStep(
  reconcileOrderBatchesStepId,
  async (input: ReconcileOrderBatchesStepInput, { container }) => {
    throwIfRunWithSelectors(input)
    const runId = input.run_id
    const total = runId ? await reconcileRun(container, { ...input, run_id: runId }) : await reconcileBatches(container, input)
    return new StepResponse(total)
  }
)

/**
 * Input of {@link startLedgerReconcileRunStep}.
 *
 * @example
 * const input: StartLedgerReconcileRunStepInput = { stale_after_ms: 5 * 60 * 1000 }
 */
export type StartLedgerReconcileRunStepInput = {
  /** How long a running run may go without reporting before it is superseded. Default {@link RECONCILE_RUN_STALE_MS}. */
  stale_after_ms?: number
}

/** What {@link startLedgerReconcileRunStep} did. */
export type StartLedgerReconcileRunStepOutput = {
  /** The new run, or the one already running. */
  run: LedgerReconcileRunView
  /** True when this call created the run (and a worker must be asked to run it). */
  started: boolean
  /** Runs that had stopped reporting, now `failed`. */
  superseded: string[]
}

type StartCompensation = { created: string | null; superseded: string[] }

export const startLedgerReconcileRunStepId = "start-ledger-reconcile-run"

/**
 * One reconcile of every order at a time: under Medusa's lock {@link RECONCILE_RUN_LOCK_KEY}
 * (across processes with the Redis locking provider), answers the run already `running` if it
 * reported within `stale_after_ms`, or else creates a new `running` run, marking the runs that
 * stopped reporting `failed` (their process died). Compensation deletes the run it created and
 * puts the superseded runs back as they were.
 *
 * @example
 * const { run, started } = startLedgerReconcileRunStep({})
 */
export const startLedgerReconcileRunStep = createStep(
  startLedgerReconcileRunStepId,
  async (input: StartLedgerReconcileRunStepInput, { container }) => {
    const ledger = resolveLedger(container)
    const staleAfter = input.stale_after_ms ?? RECONCILE_RUN_STALE_MS
    const outcome = await withReconcileRunLock(container, async (): Promise<{ run: LedgerReconcileRunRow; started: boolean; superseded: string[] }> => {
      const running = await ledger.listLedgerReconcileRuns(
        { status: ReconcileRunStatus.RUNNING },
        { select: [...RECONCILE_RUN_FIELDS], order: { created_at: "DESC" } }
      )
      const now = Date.now()
      const live = running.find((r) => now - new Date(r.updated_at).getTime() < staleAfter)
      if (live) {
        return { run: live, started: false, superseded: [] }
      }
      const run = await ledger.createLedgerReconcileRuns({ status: ReconcileRunStatus.RUNNING })
      if (running.length) {
        await ledger.updateLedgerReconcileRuns(
          running.map((r) => ({
            id: r.id,
            status: ReconcileRunStatus.FAILED,
            error: `Stopped reporting progress for over ${Math.round(staleAfter / 1000)} s (its process ended?); superseded by ${run.id}.`,
            finished_at: new Date(),
          }))
        )
      }
      return { run, started: true, superseded: running.map((r) => r.id) }
    })
    const output: StartLedgerReconcileRunStepOutput = {
      run: toReconcileRunView(outcome.run),
      started: outcome.started,
      superseded: outcome.superseded,
    }
    const compensation: StartCompensation = {
      created: outcome.started ? output.run.id : null,
      superseded: outcome.superseded,
    }
    return new StepResponse(output, compensation)
  },
  async (compensation: StartCompensation | undefined, { container }) => {
    if (!compensation) {
      return
    }
    const ledger = resolveLedger(container)
    if (compensation.created) {
      await ledger.deleteLedgerReconcileRuns(compensation.created)
    }
    if (compensation.superseded.length) {
      await ledger.updateLedgerReconcileRuns(
        compensation.superseded.map((id) => ({ id, status: ReconcileRunStatus.RUNNING, error: null, finished_at: null }))
      )
    }
  }
)
