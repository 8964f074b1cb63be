import { BigNumber } from "@medusajs/framework/utils"
import {
  planRecord,
  planUpdate,
  replayOf,
  throwIfDuplicateInBatch,
  throwIfStoredDuplicate,
  uniqueKeysOf,
  voidedPaymentIdsOf,
  type LedgerFamilies,
} from "../../src/modules/order-ledger/planning"
import type {
  LedgerFamilyRow,
  LedgerTransactionInput,
  RecordLedgerTransactionsInput,
} from "../../src/modules/order-ledger/types"
import { LedgerErrorCode } from "../../src/utils/errors"

/** The planner is pure: these tests need no database. */

const order = { id: "order_1", currency_code: "usd", total: "190" }
const NOW = new Date("2026-12-01T12:00:00.000Z")

function ids() {
  let n = 0
  return () => `oltx_${++n}`
}

function row(over: Partial<LedgerFamilyRow>): LedgerFamilyRow {
  return {
    id: "oltx_p",
    order_id: order.id,
    kind: "payment",
    status: "succeeded",
    amount: "100",
    parent_id: null,
    currency_code: "usd",
    reference: "manual",
    reference_id: null,
    gateway: "manual",
    external_id: null,
    ...over,
  }
}

const none: LedgerFamilies = { parents: [], children: [] }

function plan(transactions: LedgerTransactionInput[], families = none, extra: Partial<RecordLedgerTransactionsInput> = {}) {
  return planRecord({ order, transactions, ...extra }, families, { now: NOW, newId: ids() })
}

function codeOf(fn: () => unknown): { code?: string; message: string } {
  try {
    fn()
  } catch (e) {
    return e as { code?: string; message: string }
  }
  throw new Error("expected the call to throw")
}

describe("planRecord", () => {
  it("prepares signed rows with the defaults, in input order", () => {
    const rows = plan(
      [
        { kind: "payment", amount: 190, payment_method: "cash" },
        { kind: "refund", amount: "20.5", parent_id: "oltx_p" },
      ],
      { parents: [row({})], children: [] }
    )
    expect(rows.map((r) => [r.id, r.kind, r.amount, r.status, r.reference, r.gateway, r.occurred_at])).toEqual([
      ["oltx_1", "payment", "190", "succeeded", "manual", "manual", NOW.toISOString()],
      ["oltx_2", "refund", "-20.5", "succeeded", "manual", "manual", NOW.toISOString()],
    ])
    expect(rows[0]).toMatchObject({ order_id: "order_1", currency_code: "usd", payment_method: "cash", fee: null })
  })

  it("accepts BigNumber amounts and fees, and checks the fee against the currency", () => {
    const [r] = plan([{ kind: "payment", amount: new BigNumber("19.99"), fee: new BigNumber("0.58") }])
    expect([r.amount, r.fee]).toEqual(["19.99", "0.58"])
    expect(plan([{ kind: "payment", amount: 1, fee: 0 }])[0].fee).toBe("0")
    const error = codeOf(() => plan([{ kind: "payment", amount: 1, fee: "0.001" }]))
    expect([error.code, error.message]).toEqual([LedgerErrorCode.INVALID_DATA, "transactions[0].fee has 3 decimals but USD allows 2."])
    expect(codeOf(() => plan([{ kind: "payment", amount: 1, fee: -1 }])).code).toBe(LedgerErrorCode.INVALID_DATA)
  })

  it("holds 1 to 50 items", () => {
    expect(codeOf(() => plan([])).message).toBe("transactions must hold 1 to 50 items, got 0.")
    const many = Array.from({ length: 51 }, () => ({ kind: "payment" as const, amount: 1 }))
    expect(codeOf(() => plan(many)).code).toBe(LedgerErrorCode.INVALID_DATA)
    expect(plan(many.slice(0, 50))).toHaveLength(50)
  })

  it("takes what is left for a full refund, and refuses one when nothing is left", () => {
    const families = { parents: [row({})], children: [row({ id: "oltx_r", kind: "refund", amount: "-30", parent_id: "oltx_p" })] }
    const guard = { refund_guard: { parent_id: "oltx_p", previously_refunded_amount: "30" } }
    const [full] = plan([{ kind: "refund", parent_id: "oltx_p" }], families, guard)
    expect(full.amount).toBe("-70")

    const spent = { ...families, children: [...families.children, row({ id: "oltx_r2", kind: "refund", amount: "-70", parent_id: "oltx_p" })] }
    const error = codeOf(() => plan([{ kind: "refund", parent_id: "oltx_p" }], spent, { refund_guard: { parent_id: "oltx_p" } }))
    expect(error.code).toBe(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE)
    expect(error.message).toBe("refund: nothing is left to refund on payment oltx_p.")
  })

  it("refuses a stale previously_refunded_amount with the fresh figures", () => {
    const families = { parents: [row({})], children: [row({ id: "oltx_r", kind: "refund", amount: "-30", parent_id: "oltx_p" })] }
    const error = codeOf(() =>
      plan([{ kind: "refund", amount: 5, parent_id: "oltx_p" }], families, { refund_guard: { parent_id: "oltx_p", previously_refunded_amount: 0 } })
    ) as { code?: string; details?: Record<string, unknown> }
    expect(error.code).toBe(LedgerErrorCode.PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH)
    expect(error.details).toMatchObject({ refunded_amount: 30, refundable_amount: 70 })
  })

  it("adds up two refunds of one payment in a batch; a failed refund is not bounded", () => {
    const families = { parents: [row({})], children: [] }
    const error = codeOf(() =>
      plan([
        { kind: "refund", amount: 60, parent_id: "oltx_p" },
        { kind: "chargeback", amount: "40.01", parent_id: "oltx_p" },
      ], families)
    )
    expect([error.code, error.message]).toEqual([
      LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
      "transactions[1].amount $40.01 exceeds what is left to refund on payment oltx_p: $40.00.",
    ])
    expect(plan([{ kind: "refund", amount: 500, status: "failed", parent_id: "oltx_p" }], families)[0].amount).toBe("-500")
  })

  it("names the rule each bad item breaks", () => {
    const auth = row({ id: "oltx_a", kind: "authorization", amount: "50" })
    const families = { parents: [row({}), auth], children: [] }
    const cases: [LedgerTransactionInput, string, RegExp][] = [
      [{ kind: "refund", amount: 1 }, LedgerErrorCode.INVALID_DATA, /parent_id is required for a refund/],
      [{ kind: "payment", amount: 1, currency_code: "eur" }, LedgerErrorCode.CURRENCY_MISMATCH, /is eur but the order's currency is usd/],
      [{ kind: "refund", amount: 1, parent_id: "oltx_missing" }, LedgerErrorCode.NOT_FOUND, /oltx_missing was not found/],
      [{ kind: "refund", amount: 1, parent_id: "oltx_a" }, LedgerErrorCode.NOT_REFUNDABLE, /must reverse a succeeded payment/],
      [{ kind: "payment", amount: "50.01", parent_id: "oltx_a" }, LedgerErrorCode.INVALID_DATA, /exceeds what is left on authorization/],
      [{ kind: "void", amount: 1, parent_id: "oltx_p" }, LedgerErrorCode.INVALID_DATA, /a void cancels an authorization or a pending payment/],
      [{ kind: "payment", amount: 1.005 }, LedgerErrorCode.INVALID_DATA, /amount has 3 decimals but USD allows 2/],
    ]
    for (const [item, code, message] of cases) {
      const error = codeOf(() => plan([item], families))
      expect({ item, code: error.code }).toEqual({ item, code })
      expect(error.message).toMatch(message)
    }
  })

  it("finds the pending payments a void cancels", () => {
    const pending = row({ id: "oltx_pp", status: "pending", amount: "40" })
    const rows = plan([{ kind: "void", amount: 40, parent_id: "oltx_pp" }], { parents: [pending], children: [] })
    expect(voidedPaymentIdsOf(rows)).toEqual(["oltx_pp"])
    expect(codeOf(() => plan([{ kind: "void", amount: 30, parent_id: "oltx_pp" }], { parents: [pending], children: [] })).message).toMatch(
      /must equal the pending payment's amount \(40\)/
    )
  })
})

describe("duplicates", () => {
  const a = { gateway: "stripe", external_id: "ch_1", reference: "manual", reference_id: null }
  it("refuses a repeat inside one call", () => {
    expect(codeOf(() => throwIfDuplicateInBatch([a, { ...a }])).message).toBe(
      "transactions[1] repeats gateway + external_id of an earlier item in the same request."
    )
    expect(() => throwIfDuplicateInBatch([a, { ...a, gateway: "adyen" }])).not.toThrow()
    const ref = { gateway: "manual", external_id: null, reference: "capture", reference_id: "capt_1" }
    expect(codeOf(() => throwIfDuplicateInBatch([ref, ref])).code).toBe(LedgerErrorCode.DUPLICATE_TRANSACTION)
  })

  it("looks up only the pairs that are set, and names the stored row repeated", () => {
    const ref = { gateway: "manual", external_id: null, reference: "capture", reference_id: "capt_1" }
    expect(uniqueKeysOf([a, ref])).toEqual({ external: [["stripe", "ch_1"]], reference: [["capture", "capt_1"]] })
    expect(() => throwIfStoredDuplicate([a], null)).not.toThrow()
    const stored = row({ id: "oltx_old", gateway: "stripe", external_id: "ch_1" })
    const error = codeOf(() => throwIfStoredDuplicate([a], stored)) as { code?: string; message: string; details?: unknown }
    expect([error.code, error.message, error.details]).toEqual([
      LedgerErrorCode.DUPLICATE_TRANSACTION,
      "external_id ch_1 of gateway stripe is already recorded as oltx_old.",
      { existing_id: "oltx_old" },
    ])
  })
})

describe("planUpdate and replayOf", () => {
  const pendingRefund = { ...row({ id: "oltx_r", kind: "refund", status: "pending", amount: "-80", parent_id: "oltx_p" }), message: null, metadata: null }

  it("moves forward only and sets reference_id once", () => {
    const { before, after } = planUpdate(pendingRefund, { id: "oltx_r", status: "failed", message: "Bounced" }, none)
    expect([before.status, after.status, after.message]).toEqual(["pending", "failed", "Bounced"])
    const done = { ...pendingRefund, status: "succeeded" as const }
    expect(codeOf(() => planUpdate(done, { id: "oltx_r", status: "pending" }, none)).code).toBe(LedgerErrorCode.INVALID_STATUS_TRANSITION)
    const withRef = { ...pendingRefund, reference_id: "ref_1" }
    expect(codeOf(() => planUpdate(withRef, { id: "oltx_r", reference_id: "ref_2" }, none)).message).toMatch(/it is set once/)
  })

  it("lets a pending refund succeed only while it still fits its payment", () => {
    const families = { parents: [row({})], children: [pendingRefund, row({ id: "oltx_r2", kind: "refund", amount: "-30", parent_id: "oltx_p" })] }
    expect(codeOf(() => planUpdate(pendingRefund, { id: "oltx_r", status: "succeeded" }, families)).code).toBe(
      LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE
    )
    const fits = { ...families, children: [pendingRefund] }
    expect(planUpdate(pendingRefund, { id: "oltx_r", status: "succeeded" }, fits).after.status).toBe("succeeded")
  })

  it("replays a stored key asked the same, and refuses it asked otherwise", () => {
    const stored = { request_hash: "h1", order_id: "order_1", transaction_ids: ["oltx_1"] }
    expect(replayOf({ key: "k", request_hash: "h1" }, null)).toBeNull()
    expect(replayOf({ key: "k", request_hash: "h1" }, stored)).toEqual({
      order_id: "order_1",
      transaction_ids: ["oltx_1"],
      replayed: true,
      voided_payment_ids: [],
    })
    expect(codeOf(() => replayOf({ key: "k", request_hash: "h2" }, stored)).code).toBe(LedgerErrorCode.IDEMPOTENCY_KEY_MISMATCH)
  })
})
