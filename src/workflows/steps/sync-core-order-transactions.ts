import { Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { RecordedLedgerTransaction } from "../../modules/order-ledger/types"
import {
  TransactionKind,
  TransactionReference,
  TransactionStatus,
} from "../../utils/constants"

/** The `reference` the ledger's own rows carry in Medusa's core order transactions. */
export const CORE_LEDGER_REFERENCE = "order_ledger"

/** Kinds that move money and so belong in Medusa's order summary. */
const MONEY_KINDS: string[] = [TransactionKind.PAYMENT, TransactionKind.REFUND, TransactionKind.CHARGEBACK]

/** References of rows that mirror Medusa's own captures and refunds: already in its books. */
const MIRRORED_REFERENCES: string[] = [TransactionReference.CAPTURE, TransactionReference.REFUND]

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
}

export const syncCoreOrderTransactionsStepId = "sync-core-order-transactions"

/** True for a ledger row that belongs in Medusa's core order transactions. */
const belongsInCore = (row: RecordedLedgerTransaction) =>
  row.status === TransactionStatus.SUCCEEDED && MONEY_KINDS.includes(row.kind) && !MIRRORED_REFERENCES.includes(row.reference)

/**
 * Adds succeeded ledger payments, refunds and chargebacks to Medusa's core order transactions
 * (reference `order_ledger`, reference id the ledger id), so Medusa's order page shows the same
 * paid and outstanding amounts. Rows mirrored from Medusa's own captures and refunds are skipped,
 * and so is anything already added. Compensation deletes what it added.
 *
 * @example
 * syncCoreOrderTransactionsStep({ transactions: result.transactions })
 */
export const syncCoreOrderTransactionsStep = createStep(
  syncCoreOrderTransactionsStepId,
  async (input: SyncCoreOrderTransactionsStepInput, { container }) => {
    const orderModule = container.resolve(Modules.ORDER)
    let rows = (input.transactions ?? []).filter(belongsInCore)
    if (!input.transactions && input.transaction_ids?.length) {
      const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
      const stored = (await ledger.listTransactionPage({ id: input.transaction_ids }, { limit: input.transaction_ids.length })).filter(belongsInCore)
      const existing = stored.length
        ? await orderModule.listOrderTransactions(
            { reference: CORE_LEDGER_REFERENCE, reference_id: stored.map((r) => r.id) },
            { select: ["reference_id"] }
          )
        : []
      const done = new Set(existing.map((e) => e.reference_id))
      rows = stored.filter((r) => !done.has(r.id))
    }
    if (!rows.length) {
      return new StepResponse([] as string[], [] as string[])
    }
    const created = await orderModule.addOrderTransactions(
      rows.map((r) => ({
        order_id: r.order_id,
        amount: r.amount,
        currency_code: r.currency_code,
        reference: CORE_LEDGER_REFERENCE,
        reference_id: r.id,
      }))
    )
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
