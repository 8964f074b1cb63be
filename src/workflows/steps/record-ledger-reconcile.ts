import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type {
  LedgerTransactionInput,
  RecordLedgerTransactionsResult,
} from "../../modules/order-ledger/types"
import { MAX_TRANSACTIONS_PER_BATCH } from "../../utils/constants"
import { LedgerErrorCode, isLedgerErrorCode, isLockWaitTimeout, ledgerError } from "../../utils/errors"
import type { MedusaOrderPayments } from "../utils/medusa-payments"
import { planLedgerReconcile, type LedgerReconcilePlan } from "../utils/reconcile-plan"
import { LEDGER_LOCK_OPTIONS, ledgerLockKey, ledgerLockKeys } from "../utils/ledger-lock"
import { loadPlanLedgerRows } from "./plan-ledger-reconcile"

/**
 * Input of {@link recordLedgerReconcileStep}.
 *
 * @example
 * const input: RecordLedgerReconcileStepInput = { orders: plan.pending, lock_timeout: 10 }
 */
export type RecordLedgerReconcileStepInput = {
  /** Orders whose ledger lacks some of their Medusa records. */
  orders: MedusaOrderPayments[]
  /** Seconds to wait for an order's lock before reporting it as failed. Default 10. */
  lock_timeout?: number
}

/** An order the reconcile could not bring in step, and why. */
export type ReconcileFailure = { order_id: string; code: string; message: string }

/** What {@link recordLedgerReconcileStep} did. */
export type RecordLedgerReconcileStepOutput = {
  /** The transactions it recorded, as event data. */
  created: { id: string; order_id: string }[]
  /** Medusa records that were already in the ledger. */
  skipped: number
  failed: ReconcileFailure[]
}

/** Errors after which the order is planned again from fresh rows: another writer got there first. */
const RETRYABLE: string[] = [
  LedgerErrorCode.DUPLICATE_TRANSACTION,
  LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
  LedgerErrorCode.CONCURRENT_REQUEST,
]
const ATTEMPTS = 3

/**
 * Runs `fn` holding Medusa's lock on the order's ledger (the same key the record workflow takes),
 * through `locking.execute`. A wait that times out is `CONCURRENT_REQUEST`; any other failure of
 * the locking provider is thrown as it is.
 */
export async function withOrderLock<T>(
  container: MedusaContainer,
  orderId: string,
  timeoutSeconds: number,
  fn: () => Promise<T>
): Promise<T> {
  let started = false
  try {
    return await container.resolve(Modules.LOCKING).execute(
      ledgerLockKey(orderId),
      async () => {
        started = true
        return await fn()
      },
      { timeout: timeoutSeconds, expire: LEDGER_LOCK_OPTIONS.ttl }
    )
  } catch (error) {
    if (!started && isLockWaitTimeout(error)) {
      ledgerError(LedgerErrorCode.CONCURRENT_REQUEST, `Another request kept order ${orderId}'s ledger locked.`)
    }
    throw error
  }
}

/** A stage's items as the service takes them, with planned parents' keys swapped for their ids. */
function stageInputs(items: LedgerReconcilePlan["stages"][number], idByKey: Map<string, string>): LedgerTransactionInput[] {
  return items.map(({ key, parent_key, ...t }): LedgerTransactionInput => {
    if (parent_key) {
      const parentId = idByKey.get(parent_key)
      if (!parentId) {
        ledgerError(LedgerErrorCode.NOT_FOUND, `${key}: its parent ${parent_key} was not recorded.`)
      }
      return { ...t, parent_id: parentId }
    }
    return t
  })
}

/**
 * Records a plan stage by stage, swapping planned parents' keys for the ids they were given.
 * Each call's result goes to `results` as soon as it is written, so a later failure still
 * counts (and can compensate) what was recorded before it.
 */
async function recordPlan(
  ledger: OrderLedgerModuleService,
  plan: LedgerReconcilePlan,
  results: RecordLedgerTransactionsResult[]
): Promise<void> {
  const idByKey = new Map<string, string>()
  for (const stage of plan.stages) {
    for (let i = 0; i < stage.length; i += MAX_TRANSACTIONS_PER_BATCH) {
      const chunk = stage.slice(i, i + MAX_TRANSACTIONS_PER_BATCH)
      const transactions = stageInputs(chunk, idByKey)
      const result = await ledger.recordTransactions({ order: plan.order, transactions, exact_amounts: true })
      results.push(result)
      result.transaction_ids.forEach((id, index) => idByKey.set(chunk[index].key, id))
    }
  }
}

/**
 * The fast path of a batch: every order's ledger lock at once, one read of their rows, then
 * each stage (authorizations, captures, refunds and voids) of every plan in one all-or-none
 * service call: a few statements per stage for the batch instead of a few per order. Answers
 * the orders left to the order-by-order path: those whose plan fails or has a stage of more
 * than 50 rows, or all of them when the lock set cannot be had or a stage fails (what was
 * recorded before that stays in `results`, and the order-by-order path plans from it).
 */
async function recordInBulk(
  container: MedusaContainer,
  ledger: OrderLedgerModuleService,
  orders: MedusaOrderPayments[],
  timeoutSeconds: number,
  results: RecordLedgerTransactionsResult[],
  output: RecordLedgerReconcileStepOutput
): Promise<MedusaOrderPayments[]> {
  const orderIds = orders.map((o) => o.order.id)
  try {
    return await container.resolve(Modules.LOCKING).execute(
      ledgerLockKeys(orderIds),
      async () => {
        const rowsByOrder = await loadPlanLedgerRows(ledger, orderIds)
        const plans: LedgerReconcilePlan[] = []
        const individually: MedusaOrderPayments[] = []
        for (const medusa of orders) {
          try {
            const plan = planLedgerReconcile(medusa, rowsByOrder.get(medusa.order.id) ?? [])
            const fits = plan.stages.every((stage) => stage.length <= MAX_TRANSACTIONS_PER_BATCH)
            fits ? plans.push(plan) : individually.push(medusa)
          } catch {
            individually.push(medusa)
          }
        }
        const idByKey = new Map(plans.map((p) => [p.order.id, new Map<string, string>()]))
        const stages = Math.max(0, ...plans.map((p) => p.stages.length))
        for (let s = 0; s < stages; s++) {
          const planned = plans.filter((p) => p.stages[s]?.length)
          if (!planned.length) {
            continue
          }
          const recorded = await ledger.recordTransactionsForOrders(
            planned.map((p) => ({
              order: p.order,
              transactions: stageInputs(p.stages[s], idByKey.get(p.order.id)!),
              exact_amounts: true,
            }))
          )
          results.push(...recorded)
          recorded.forEach((r, i) => {
            const keys = idByKey.get(r.order_id)!
            r.transaction_ids.forEach((id, index) => keys.set(planned[i].stages[s][index].key, id))
          })
        }
        output.skipped += plans.reduce((n, p) => n + p.skipped, 0)
        return individually
      },
      { timeout: timeoutSeconds, expire: LEDGER_LOCK_OPTIONS.ttl }
    )
  } catch (error) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .debug(`order-ledger reconcile: batch of ${orders.length} recorded order by order: ${(error as Error).message}`)
    return orders
  }
}

export const recordLedgerReconcileStepId = "record-ledger-reconcile"

/**
 * Under the orders' ledger locks: reads their ledger rows again, plans what is missing of their
 * Medusa payments and records it through the ledger service (authorizations, then captures,
 * then refunds and voids). A batch goes in bulk first, each stage of all its orders one
 * all-or-none call; what the bulk path cannot take goes order by order, each stage one call. Rows are mirrors of Medusa's own
 * records, so nothing is added to Medusa's core order transactions. An order that another writer
 * changed in between is planned again (up to 3 times); an order that still cannot be mirrored is
 * reported in `failed` and the others go on. Compensation removes what the step recorded.
 *
 * @example
 * const recorded = recordLedgerReconcileStep({ orders: plan.pending })
 */
export const recordLedgerReconcileStep = createStep(
  recordLedgerReconcileStepId,
  async (input: RecordLedgerReconcileStepInput, { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const output: RecordLedgerReconcileStepOutput = { created: [], skipped: 0, failed: [] }
    const results: RecordLedgerTransactionsResult[] = []

    const timeout = input.lock_timeout ?? 10
    const individually =
      input.orders.length > 1 ? await recordInBulk(container, ledger, input.orders, timeout, results, output) : input.orders

    for (const medusa of individually) {
      const orderId = medusa.order.id
      try {
        await withOrderLock(container, orderId, timeout, async () => {
          for (let attempt = 1; ; attempt++) {
            try {
              // What the bulk path or an earlier attempt recorded is found again as present: not skipped, created.
              const earlier = results.filter((r) => r.order_id === orderId).reduce((n, r) => n + r.transaction_ids.length, 0)
              const rows = (await loadPlanLedgerRows(ledger, [orderId])).get(orderId) ?? []
              const plan = planLedgerReconcile(medusa, rows)
              await recordPlan(ledger, plan, results)
              output.skipped += Math.max(0, plan.skipped - earlier)
              return
            } catch (error) {
              const code = (error as { code?: unknown }).code
              if (attempt >= ATTEMPTS || typeof code !== "string" || !RETRYABLE.includes(code)) {
                throw error
              }
            }
          }
        })
      } catch (error) {
        const e = error as { code?: unknown; message?: unknown }
        const failure: ReconcileFailure = {
          order_id: orderId,
          code: isLedgerErrorCode(e.code) ? e.code : "UNEXPECTED_ERROR",
          message: typeof e.message === "string" ? e.message : String(error),
        }
        output.failed.push(failure)
        logger.warn(`order-ledger reconcile: order ${orderId} not in step: ${failure.code} ${failure.message}`)
      }
    }
    output.created = results.flatMap((r) => r.transaction_ids.map((id) => ({ id, order_id: r.order_id })))
    return new StepResponse(output, results)
  },
  async (results, { container }) => {
    if (!results?.length) {
      return
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    for (const result of [...results].reverse()) {
      await ledger.revertRecordedTransactions(result)
    }
  }
)
