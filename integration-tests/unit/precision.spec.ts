import {
  BalanceStatus,
  TransactionKind,
  TransactionStatus,
  balanceStatus,
  currencyDecimalsSql,
  fitWithinRounding,
  formatMoney,
  parseAmount,
  refundFigures,
  reversibleAmount,
  roundToCurrency,
  roundsToZero,
} from "../../src/utils"
import { coreBooksFixes } from "../../src/workflows/utils/core-books"
import { belongsInCoreAsLedger, carriedByMedusaPayment } from "../../src/workflows/utils/medusa-books"
import { planLedgerReconcile, type PlanLedgerRow } from "../../src/workflows/utils/reconcile-plan"

/**
 * Medusa keeps amounts beyond the currency's decimals (a 19% tax on €10.99 + €10 is €24.9781):
 * the ledger stores them exactly, settles what rounds to zero, and never shows a negative zero.
 */
describe("Medusa's precision", () => {
  it("rounds to the currency's decimals, half away from zero", () => {
    expect(roundToCurrency("24.9781", "eur").toFixed()).toBe("24.98")
    expect(roundToCurrency("-0.005", "eur").toFixed()).toBe("-0.01")
    expect(roundToCurrency("-0.0019", "eur").toFixed()).toBe("0")
    expect(roundToCurrency("0.5", "jpy").toFixed()).toBe("1")
    expect(roundToCurrency("1.2344", "kwd").toFixed()).toBe("1.234")
    expect(roundsToZero("-0.0049", "usd")).toBe(true)
    expect(roundsToZero("0.005", "usd")).toBe(false)
  })

  it("settles a balance whose outstanding amount rounds to zero, in TypeScript and in SQL alike", () => {
    expect(balanceStatus("-0.0019", "eur")).toBe(BalanceStatus.SETTLED)
    expect(balanceStatus("0.0049", "eur")).toBe(BalanceStatus.SETTLED)
    expect(balanceStatus("0.005", "eur")).toBe(BalanceStatus.CUSTOMER_OWES)
    expect(balanceStatus("-0.4", "jpy")).toBe(BalanceStatus.SETTLED)
    expect(balanceStatus("-0.5", "jpy")).toBe(BalanceStatus.MERCHANT_OWES)
    const sql = currencyDecimalsSql("b.currency_code")
    expect(sql).toMatch(/WHEN lower\(b\.currency_code\) IN \([^)]*'jpy'[^)]*\) THEN 0/)
    expect(sql).toMatch(/'kwd'[^)]*\) THEN 3/)
    expect(sql).toMatch(/ELSE 2 END\)$/)
  })

  it("never formats a negative zero", () => {
    expect(formatMoney("-0.0019", "eur")).toBe("€0.00")
    expect(formatMoney("-0.004", "usd")).toBe("$0.00")
    expect(formatMoney("-0.005", "usd")).toBe("-$0.01")
    expect(formatMoney("24.9781", "eur")).toBe("€24.98")
  })

  it("holds typed amounts to the currency's decimals and takes Medusa's exactly", () => {
    expect(() => parseAmount("24.9781", "eur", "amount")).toThrow(/amount has 4 decimals but EUR allows 2/)
    expect(parseAmount("24.9781", "eur", "amount", { exact: true }).toFixed()).toBe("24.9781")
  })

  it("takes exactly what is left when a typed amount is within rounding of it", () => {
    expect(fitWithinRounding("24.98", "24.9781", "eur")?.toFixed()).toBe("24.9781")
    expect(fitWithinRounding("24.97", "24.9781", "eur")?.toFixed()).toBe("24.97")
    expect(fitWithinRounding("24.99", "24.9781", "eur")).toBeNull()
  })

  it("counts what is left to refund or reverse as zero when it rounds to zero, and frees refunds a reversal turned back", () => {
    const payment = { id: "p", order_id: "o", kind: TransactionKind.PAYMENT, status: TransactionStatus.SUCCEEDED, amount: "24.9781", currency_code: "eur" }
    const refund = { id: "r", order_id: "o", kind: TransactionKind.REFUND, status: TransactionStatus.SUCCEEDED, amount: "-24.97", parent_id: "p", currency_code: "eur" }
    expect(refundFigures(payment, [refund]).refundable_amount.toFixed()).toBe("0.0081")
    const almost = { ...refund, amount: "-24.975" }
    expect(refundFigures(payment, [almost]).refundable_amount.toFixed()).toBe("0")
    const reversal = { id: "v", order_id: "o", kind: TransactionKind.REVERSAL, status: TransactionStatus.SUCCEEDED, amount: "10", parent_id: "r", currency_code: "eur" }
    expect(refundFigures(payment, [refund, reversal]).refunded_amount.toFixed()).toBe("14.97")
    expect(reversibleAmount(refund, [reversal]).toFixed()).toBe("14.97")
    expect(reversibleAmount(refund, [reversal, { ...reversal, id: "v2", amount: "14.97" }]).toFixed()).toBe("0")
  })
})

describe("Medusa's books", () => {
  const row = (over: Partial<PlanLedgerRow>): PlanLedgerRow => ({
    id: "oltx_1",
    order_id: "order_1",
    kind: TransactionKind.PAYMENT,
    status: TransactionStatus.SUCCEEDED,
    amount: "100",
    parent_id: null,
    reference: "manual",
    reference_id: null,
    currency_code: "usd",
    medusa_payment_id: null,
    ...over,
  })

  it("carries outside payments as Medusa payments and keeps chargebacks and reversals as order_ledger transactions", () => {
    expect(carriedByMedusaPayment(row({}))).toBe(true)
    expect(carriedByMedusaPayment(row({ reference: "capture" }))).toBe(false)
    expect(carriedByMedusaPayment(row({ status: TransactionStatus.PENDING }))).toBe(false)
    expect(belongsInCoreAsLedger(row({}))).toBe(false)
    expect(belongsInCoreAsLedger(row({ kind: TransactionKind.CHARGEBACK, amount: "-5" }))).toBe(true)
    expect(belongsInCoreAsLedger(row({ kind: TransactionKind.REVERSAL, amount: "5" }))).toBe(true)
    expect(belongsInCoreAsLedger(row({ kind: TransactionKind.REFUND, amount: "-5", medusa_payment_id: "pay_1" }))).toBe(false)
    expect(belongsInCoreAsLedger(row({ kind: TransactionKind.REFUND, amount: "-5", reference: "refund" }))).toBe(false)
  })

  it("replaces order_ledger core transactions that an older ledger wrote for outside payments, and finds nothing the second time", () => {
    const rows = new Map([
      ["order_1", [row({}), row({ id: "oltx_2", kind: TransactionKind.CHARGEBACK, amount: "-20", parent_id: "oltx_1" })]],
      ["order_2", [row({ id: "oltx_3", order_id: "order_2", kind: TransactionKind.CHARGEBACK, amount: "-5" })]],
    ])
    const old = [
      { id: "ordtrx_1", order_id: "order_1", currency_code: "usd", amount: 100 },
      { id: "ordtrx_2", order_id: "order_1", currency_code: "usd", amount: -20 },
      { id: "ordtrx_3", order_id: "order_2", currency_code: "usd", amount: -5 },
    ]
    const fixes = coreBooksFixes(rows, old)
    expect(fixes.map((f) => f.order_id)).toEqual(["order_1"])
    expect(fixes[0].remove.map((t) => t.id)).toEqual(["ordtrx_1", "ordtrx_2"])
    expect(fixes[0].add.map((t) => [t.amount, t.reference, t.reference_id])).toEqual([["-20", "order_ledger", "oltx_2"]])
    const after = [{ id: "ordtrx_4", order_id: "order_1", currency_code: "usd", amount: -20 }, old[2]]
    expect(coreBooksFixes(rows, after)).toEqual([])
  })

  it("never mirrors back the Medusa payment the ledger made for an outside payment, but mirrors a refund made on it in Medusa", () => {
    // One record call's two cash payments, carried by one Medusa payment.
    const cash = row({ amount: "10", medusa_payment_id: "pay_cash" })
    const cash2 = row({ id: "oltx_2", amount: "90", medusa_payment_id: "pay_cash" })
    const plan = planLedgerReconcile(
      {
        order: { id: "order_1", currency_code: "usd", total: "100" } as never,
        payments: [
          {
            id: "pay_cash",
            amount: "100",
            currency_code: "usd",
            provider_id: "pp_system_default",
            data: {},
            created_at: "2026-12-01T00:00:00.000Z",
            canceled_at: null,
            ledger_transaction_id: "oltx_1",
            ledger_transaction_ids: ["oltx_1", "oltx_2"],
            captures: [{ id: "capt_cash", amount: "100", created_at: "2026-12-01T00:00:00.000Z" }],
            refunds: [{ id: "ref_admin", amount: "15", created_at: "2026-12-01T01:00:00.000Z", note: null, reason: null, metadata: null }],
          },
        ],
      },
      [cash, cash2]
    )
    expect(plan.stages[0]).toEqual([])
    expect(plan.stages[1]).toEqual([])
    // The refund goes on the oldest of them with enough left.
    expect(plan.stages[2].map((t) => [t.kind, t.amount, t.parent_id, t.reference_id])).toEqual([["refund", "15", "oltx_2", "ref_admin"]])
    expect(plan.skipped).toBe(2)
    expect(plan.planned).toBe(1)
  })
})
