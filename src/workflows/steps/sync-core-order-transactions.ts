import { Modules, MathBN } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
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

export const syncCoreOrderTransactionsStepId = "sync-core-order-transactions"

/**
 * Adds succeeded ledger payments, refunds and chargebacks to Medusa's core order transactions
 * (reference `order_ledger`, reference id the ledger id), so Medusa's order page shows the same
 * paid and outstanding amounts. Rows mirrored from Medusa's own captures and refunds are skipped,
 * and so is anything already added. Compensation deletes what it added.
 *
 * @example
 * syncCoreOrderTransactionsStep({ transaction_ids: ["oltx_123"] })
 */
export const syncCoreOrderTransactionsStep = createStep(
  syncCoreOrderTransactionsStepId,
  async (input: { transaction_ids: string[] }, { container }) => {
    if (!input.transaction_ids?.length) {
      return new StepResponse([], [])
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const rows = await ledger.listLedgerTransactions(
      {
        id: input.transaction_ids,
        status: TransactionStatus.SUCCEEDED,
        kind: MONEY_KINDS as TransactionKind[],
      },
      { select: ["id", "order_id", "amount", "currency_code", "reference"] }
    )
    const toSync = rows.filter((r) => !MIRRORED_REFERENCES.includes(r.reference))
    if (!toSync.length) {
      return new StepResponse([], [])
    }
    const orderModule = container.resolve(Modules.ORDER)
    const existing = await orderModule.listOrderTransactions(
      { reference: CORE_LEDGER_REFERENCE, reference_id: toSync.map((r) => r.id) },
      { select: ["reference_id"] }
    )
    const done = new Set(existing.map((e) => e.reference_id))
    const data = toSync
      .filter((r) => !done.has(r.id))
      .map((r) => ({
        order_id: r.order_id,
        amount: MathBN.convert(r.amount as never).toFixed(),
        currency_code: r.currency_code,
        reference: CORE_LEDGER_REFERENCE,
        reference_id: r.id,
      }))
    if (!data.length) {
      return new StepResponse([], [])
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
