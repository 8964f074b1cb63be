import { MedusaError } from "@medusajs/framework/utils"
import {
  ALLOWED_STATUS_TRANSITIONS,
  LedgerError,
  LedgerErrorCode,
  TRANSACTION_STATUSES,
  TransactionKind,
  TransactionStatus,
  authorizationRemaining,
  refundFigures,
  throwIfCurrencyMismatch,
  throwIfExceedsRefundable,
  throwIfInvalidStatusTransition,
  throwIfNotRefundable,
  throwIfParentMissing,
  throwIfParentRuleBroken,
  throwIfPreviouslyRefundedMismatch,
  toDecimalString,
  type RuleTransaction,
  type TransactionStatus as Status,
} from "../../src/utils"

function caught(fn: () => unknown): LedgerError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError)
    return e as LedgerError
  }
  throw new Error("expected a LedgerError, nothing was thrown")
}

const tx = (over: Partial<RuleTransaction> & Pick<RuleTransaction, "id">): RuleTransaction => ({
  order_id: "order_1",
  kind: TransactionKind.PAYMENT,
  status: TransactionStatus.SUCCEEDED,
  amount: "100",
  parent_id: null,
  ...over,
})

const figures = (f: ReturnType<typeof refundFigures>) => ({
  refunded_amount: toDecimalString(f.refunded_amount),
  pending_refund_amount: toDecimalString(f.pending_refund_amount),
  refundable_amount: toDecimalString(f.refundable_amount),
})

describe("status transitions", () => {
  // Every (from, to) pair, spelled out: only these moves are allowed.
  const allowed: Record<Status, Status[]> = {
    pending: ["succeeded", "failed", "requires_action"],
    requires_action: ["succeeded", "failed"],
    succeeded: [],
    failed: [],
  }
  const pairs = TRANSACTION_STATUSES.flatMap((from) => TRANSACTION_STATUSES.map((to) => [from, to] as const))

  it("covers all 16 pairs", () => {
    expect(pairs).toHaveLength(16)
    expect(ALLOWED_STATUS_TRANSITIONS).toEqual(allowed)
  })

  it.each(pairs)("%s → %s", (from, to) => {
    if (from === to || allowed[from].includes(to)) {
      expect(() => throwIfInvalidStatusTransition("oltx_1", from, to)).not.toThrow()
      return
    }
    const error = caught(() => throwIfInvalidStatusTransition("oltx_1", from, to))
    expect(error.code).toBe(LedgerErrorCode.INVALID_STATUS_TRANSITION)
    expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(error.message).toContain(`from ${from} to ${to} on transaction oltx_1`)
    expect(error.details).toEqual({ from, to, allowed: allowed[from] })
  })

  it("says a final status is final", () => {
    expect(caught(() => throwIfInvalidStatusTransition("oltx_1", "succeeded", "failed")).message).toMatch(
      /succeeded is final/
    )
  })
})

describe("refundFigures", () => {
  const payment = tx({ id: "pay_1", amount: "100" })

  it("is the whole payment when nothing was refunded", () => {
    expect(figures(refundFigures(payment, []))).toEqual({
      refunded_amount: "0",
      pending_refund_amount: "0",
      refundable_amount: "100",
    })
  })

  it("counts succeeded and pending reversals, frees failed ones, ignores other parents and kinds", () => {
    const children = [
      tx({ id: "r1", kind: TransactionKind.REFUND, amount: "-30.10", parent_id: "pay_1" }),
      tx({ id: "r2", kind: TransactionKind.REFUND, status: TransactionStatus.PENDING, amount: "-20.05", parent_id: "pay_1" }),
      tx({ id: "r3", kind: TransactionKind.REFUND, status: TransactionStatus.FAILED, amount: "-40", parent_id: "pay_1" }),
      tx({ id: "c1", kind: TransactionKind.CHARGEBACK, status: TransactionStatus.REQUIRES_ACTION, amount: "-0.01", parent_id: "pay_1" }),
      tx({ id: "r4", kind: TransactionKind.REFUND, amount: "-99", parent_id: "pay_other" }),
      tx({ id: "v1", kind: TransactionKind.VOID, amount: "-5", parent_id: "pay_1" }),
    ]
    expect(figures(refundFigures(payment, children))).toEqual({
      refunded_amount: "50.16",
      pending_refund_amount: "20.06",
      refundable_amount: "49.84",
    })
  })

  it("adds decimals exactly (0.1 + 0.2 refunded of 0.3 leaves 0)", () => {
    const small = tx({ id: "pay_s", amount: "0.3" })
    const children = [
      tx({ id: "a", kind: TransactionKind.REFUND, amount: "-0.1", parent_id: "pay_s" }),
      tx({ id: "b", kind: TransactionKind.REFUND, amount: "-0.2", parent_id: "pay_s" }),
    ]
    expect(figures(refundFigures(small, children))).toEqual({
      refunded_amount: "0.3",
      pending_refund_amount: "0",
      refundable_amount: "0",
    })
  })

  it("never answers a negative refundable amount", () => {
    const children = [tx({ id: "r", kind: TransactionKind.REFUND, amount: "-150", parent_id: "pay_1" })]
    expect(figures(refundFigures(payment, children)).refundable_amount).toBe("0")
  })

  it.each([
    ["a pending payment", { status: TransactionStatus.PENDING }],
    ["a failed payment", { status: TransactionStatus.FAILED }],
    ["an authorization", { kind: TransactionKind.AUTHORIZATION }],
  ])("has nothing refundable on %s", (_label, over) => {
    expect(figures(refundFigures({ ...payment, ...over }, [])).refundable_amount).toBe("0")
  })
})

describe("authorizationRemaining", () => {
  it("subtracts captures and voids, not failed ones", () => {
    const auth = tx({ id: "auth_1", kind: TransactionKind.AUTHORIZATION, amount: "100" })
    const children = [
      tx({ id: "cap", kind: TransactionKind.PAYMENT, amount: "60", parent_id: "auth_1" }),
      tx({ id: "void", kind: TransactionKind.VOID, amount: "-15.5", parent_id: "auth_1" }),
      tx({ id: "cap2", kind: TransactionKind.PAYMENT, status: TransactionStatus.FAILED, amount: "20", parent_id: "auth_1" }),
    ]
    expect(toDecimalString(authorizationRemaining(auth, children))).toBe("24.5")
  })
})

describe("throwIf… helpers", () => {
  const payment = tx({ id: "pay_1", amount: "100" })

  it("refund beyond what is left → AMOUNT_EXCEEDS_REFUNDABLE with fresh figures", () => {
    const f = refundFigures(payment, [tx({ id: "r", kind: TransactionKind.REFUND, amount: "-70", parent_id: "pay_1" })])
    expect(() => throwIfExceedsRefundable("amount", "30", f, payment, "usd")).not.toThrow()
    const error = caught(() => throwIfExceedsRefundable("refund.amount", "30.01", f, payment, "usd"))
    expect(error.code).toBe(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE)
    expect(error.message).toBe("refund.amount $30.01 exceeds what is left to refund on payment pay_1: $30.00.")
    expect(error.details).toMatchObject({ transaction_id: "pay_1", refunded_amount: 70, refundable_amount: 30 })
  })

  it("stale previously_refunded_amount → PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH (409 conflict)", () => {
    const f = refundFigures(payment, [tx({ id: "r", kind: TransactionKind.REFUND, amount: "-10", parent_id: "pay_1" })])
    expect(() => throwIfPreviouslyRefundedMismatch("10.00", f, payment, "usd")).not.toThrow()
    const error = caught(() => throwIfPreviouslyRefundedMismatch("0", f, payment, "usd"))
    expect(error.code).toBe(LedgerErrorCode.PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH)
    expect(error.type).toBe(MedusaError.Types.CONFLICT)
    expect(error.details).toMatchObject({ refunded_amount: 10, formatted_refundable_amount: "$90.00" })
  })

  it("refund of anything but a succeeded payment → NOT_REFUNDABLE", () => {
    expect(() => throwIfNotRefundable("parent_id", TransactionKind.REFUND, payment)).not.toThrow()
    const error = caught(() =>
      throwIfNotRefundable("parent_id", TransactionKind.REFUND, { ...payment, status: TransactionStatus.PENDING })
    )
    expect(error.code).toBe(LedgerErrorCode.NOT_REFUNDABLE)
  })

  it("other currency → CURRENCY_MISMATCH naming the field, case-insensitive", () => {
    expect(() => throwIfCurrencyMismatch("transactions[0].currency_code", "USD", "usd")).not.toThrow()
    const error = caught(() => throwIfCurrencyMismatch("transactions[0].currency_code", "eur", "usd"))
    expect(error.code).toBe(LedgerErrorCode.CURRENCY_MISMATCH)
    expect(error.message).toMatch(/^transactions\[0\]\.currency_code is eur/)
  })

  it("parent missing or on another order → NOT_FOUND", () => {
    expect(caught(() => throwIfParentMissing("parent_id", "x", undefined, "order_1")).code).toBe(LedgerErrorCode.NOT_FOUND)
    expect(caught(() => throwIfParentMissing("parent_id", "pay_1", payment, "order_2")).code).toBe(
      LedgerErrorCode.NOT_FOUND
    )
  })

  it.each([
    [TransactionKind.REFUND, null, "parent_id is required"],
    [TransactionKind.CHARGEBACK, undefined, "parent_id is required"],
    [TransactionKind.VOID, null, "parent_id is required"],
    [TransactionKind.AUTHORIZATION, "pay_1", "must not be set"],
  ])("%s with parent %s → INVALID_DATA", (kind, parent, message) => {
    const error = caught(() => throwIfParentRuleBroken("transactions[0]", kind, parent))
    expect(error.code).toBe(LedgerErrorCode.INVALID_DATA)
    expect(error.message).toContain(message)
  })
})
