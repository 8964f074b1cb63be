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
import { LEDGER_LOCK_OPTIONS, ledgerLockKey } from "../utils/ledger-lock"
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
      const transactions = chunk.map(({ key, parent_key, ...t }): LedgerTransactionInput => {
        if (parent_key) {
          const parentId = idByKey.get(parent_key)
          if (!parentId) {
            ledgerError(LedgerErrorCode.NOT_FOUND, `${key}: its parent ${parent_key} was not recorded.`)
          }
          return { ...t, parent_id: parentId }
        }
        return t
      })
      const result = await ledger.recordTransactions({ order: plan.order, transactions, exact_amounts: true })
      results.push(result)
      result.transaction_ids.forEach((id, index) => idByKey.set(chunk[index].key, id))
    }
  }
}

export const recordLedgerReconcileStepId = "record-ledger-reconcile"

/**
 * For each order, under its ledger lock: reads its ledger rows again, plans what is missing of
 * its Medusa payments and records it through the ledger service (authorizations, then captures,
 * then refunds and voids, each stage one all-or-none call). Rows are mirrors of Medusa's own
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

    for (const medusa of input.orders) {
      const orderId = medusa.order.id
      try {
        const resultsBefore = results.length
        await withOrderLock(container, orderId, input.lock_timeout ?? 10, async () => {
          for (let attempt = 1; ; attempt++) {
            try {
              // What an earlier attempt recorded is found again as present: not skipped, created.
              const earlier = results.slice(resultsBefore).reduce((n, r) => n + r.transaction_ids.length, 0)
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
