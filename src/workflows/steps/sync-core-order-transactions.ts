import { MathBN, Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { RecordedLedgerTransaction } from "../../modules/order-ledger/types"
import { belongsInCoreAsLedger } from "../utils/medusa-books"

/** The `reference` the ledger's own rows carry in Medusa's core order transactions. */
export const CORE_LEDGER_REFERENCE = "order_ledger"

/**
 * Input of {@link syncCoreOrderTransactionsStep}: the rows a record call just wrote, or, when
 * they are not at hand (a replay, a status move), their ids.
 *
 * @example
 * syncCoreOrderTransactionsStep({ transactions: result.transactions })
 * syncCoreOrderTransactionsStep({ transaction_ids: ["oltx_123"] })
 */
export type SyncCoreOrderTransactionsStepInput = {
  /** Rows just recorded, none of them in Medusa's books yet: nothing is read again. */
  transactions?: RecordedLedgerTransaction[]
  /** Rows to read; those Medusa's books already hold are skipped. */
  transaction_ids?: string[]
  /** Rows Medusa's payment module carries now (`createMedusaPaymentsStep` just linked them). */
  carried_transaction_ids?: string[]
}

export const syncCoreOrderTransactionsStepId = "sync-core-order-transactions"


/**
 * Medusa's core order transactions for some ledger rows: one per order and sign, the sum of its
 * rows, referencing the first of them (`reference` `order_ledger`). Medusa's summary counts money
 * in and money back apart, so its paid and refunded totals stay exact, and a batch of 50 costs
 * Medusa one row instead of 50 (its `addOrderTransactions` spends about 1 ms a row).
 */
export function coreTransactionsFor(rows: RecordedLedgerTransaction[]) {
  const groups = new Map<string, RecordedLedgerTransaction[]>()
  for (const row of rows) {
    const key = `${row.order_id}:${MathBN.lt(row.amount, 0) ? "-" : "+"}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  return [...groups.values()].map((group) => ({
    order_id: group[0].order_id,
    amount: group.reduce((sum, r) => MathBN.add(sum, r.amount), MathBN.convert(0)).toFixed(),
    currency_code: group[0].currency_code,
    reference: CORE_LEDGER_REFERENCE,
    reference_id: group[0].id,
  }))
}

/**
 * Adds the succeeded ledger money that Medusa's payment module does not carry (chargebacks,
 * reversals, refunds recorded by hand) to Medusa's core order transactions
 * ({@link coreTransactionsFor}), so Medusa's outstanding amount is the ledger's. Outside payments
 * are carried as Medusa payments instead (`createMedusaPaymentsStep`) and mirrored captures and
 * refunds are Medusa's own, so neither is added twice; nor is anything already added.
 * Compensation deletes what it added.
 *
 * @example
 * syncCoreOrderTransactionsStep({ transactions: result.transactions })
 */
export const syncCoreOrderTransactionsStep = createStep(
  syncCoreOrderTransactionsStepId,
  async (input: SyncCoreOrderTransactionsStepInput, { container }) => {
    const orderModule = container.resolve(Modules.ORDER)
    const carried = new Set(input.carried_transaction_ids ?? [])
    let data = coreTransactionsFor((input.transactions ?? []).filter((r) => belongsInCoreAsLedger(r) && !carried.has(r.id)))
    if (!input.transactions && input.transaction_ids?.length) {
      const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
      const stored = (await ledger.listTransactionPage({ id: input.transaction_ids }, { limit: input.transaction_ids.length })).filter(belongsInCoreAsLedger)
      const wanted = coreTransactionsFor(stored)
      const existing = wanted.length
        ? await orderModule.listOrderTransactions(
            { reference: CORE_LEDGER_REFERENCE, reference_id: wanted.map((w) => w.reference_id) },
            { select: ["reference_id"] }
          )
        : []
      const done = new Set(existing.map((e) => e.reference_id))
      data = wanted.filter((w) => !done.has(w.reference_id))
    }
    if (!data.length) {
      return new StepResponse([] as string[], [] as string[])
    }
    const created = await orderModule.addOrderTransactions(data)
    const ids = created.map((c) => c.id)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    await container.resolve(Modules.ORDER).deleteOrderTransactions(ids)
  }
)
