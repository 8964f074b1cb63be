import { MathBN } from "@medusajs/framework/utils"
import { coreTransactionsFor } from "../steps/sync-core-order-transactions"
import { belongsInCoreAsLedger } from "./medusa-books"
import type { PlanLedgerRow } from "./reconcile-plan"

/** A core order transaction with reference `order_ledger`, as the Order module lists it. */
export interface CoreLedgerTransaction {
  id: string
  order_id: string
  currency_code: string
  amount: unknown
  raw_amount?: unknown
}

/** A core order transaction to add. */
export interface CoreLedgerTransactionData {
  order_id: string
  amount: string
  currency_code: string
  reference: string
  reference_id: string
}

/** How one order's `order_ledger` core order transactions are put right. */
export interface CoreBooksFix {
  order_id: string
  /** The order's `order_ledger` transactions now. */
  remove: CoreLedgerTransaction[]
  /** What the ledger says they should be: one per sign. */
  add: CoreLedgerTransactionData[]
}

const sumsBySign = (amounts: unknown[]) => {
  let plus = MathBN.convert(0)
  let minus = MathBN.convert(0)
  for (const amount of amounts) {
    const value = MathBN.convert(amount as string)
    if (MathBN.lt(value, 0)) {
      minus = MathBN.add(minus, value)
    } else {
      plus = MathBN.add(plus, value)
    }
  }
  return [plus.toFixed(), minus.toFixed()].join("|")
}

/**
 * The orders whose `order_ledger` core order transactions differ from the ledger's money that
 * Medusa's payment module does not carry (money in and money back compared apart, as Medusa's
 * summary counts them), with the fix: the old ones out, one per sign in. A ledger written before
 * outside payments became Medusa payments had them here; once the reconcile carries them as
 * Medusa payments, this takes them out, so Medusa never counts an amount twice. Running it again
 * finds nothing.
 *
 * @example
 * coreBooksFixes(new Map([["order_1", rows]]), await orderModule.listOrderTransactions({ reference: "order_ledger" }))
 */
export function coreBooksFixes(rowsByOrder: Map<string, PlanLedgerRow[]>, existing: CoreLedgerTransaction[]): CoreBooksFix[] {
  const existingByOrder = new Map<string, CoreLedgerTransaction[]>()
  for (const t of existing) {
    existingByOrder.set(t.order_id, [...(existingByOrder.get(t.order_id) ?? []), t])
  }
  const fixes: CoreBooksFix[] = []
  for (const [orderId, rows] of rowsByOrder) {
    const wanted = coreTransactionsFor(
      rows.filter(belongsInCoreAsLedger).map((r) => ({ ...r, currency_code: r.currency_code ?? "" }))
    )
    const have = existingByOrder.get(orderId) ?? []
    const haveSums = sumsBySign(have.map((t) => (t.raw_amount as { value?: string } | undefined)?.value ?? t.amount))
    if (haveSums !== sumsBySign(wanted.map((w) => w.amount))) {
      fixes.push({ order_id: orderId, remove: have, add: wanted })
    }
  }
  return fixes
}
