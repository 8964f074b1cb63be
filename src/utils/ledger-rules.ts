import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import {
  BalanceStatus,
  MAX_TRANSACTIONS_PER_BATCH,
  REVERSAL_KINDS,
  TransactionKind,
  TransactionStatus,
  type TransactionStatus as Status,
} from "./constants"
import { LedgerErrorCode, ledgerError } from "./errors"
import {
  currencyDecimalsSql,
  formatMoney,
  parseAmount,
  parseAmountOrZero,
  roundToCurrency,
  roundsToZero,
  toDecimalString,
  type Decimal,
} from "./money"

/**
 * Business rules of the ledger as pure functions, one per rule. The module's planner runs them
 * once, under the order's row lock; the refund workflow's early check (before Medusa's refund
 * flow calls a provider) runs the same ones.
 */

/**
 * Who owes whom, by the sign of the outstanding amount: the one definition that
 * {@link balanceStatus} (TypeScript) and {@link balanceStatusSql} (the stored balance) derive from.
 */
export const BALANCE_STATUS_BY_SIGN: Record<"-1" | "0" | "1", BalanceStatus> = {
  "1": BalanceStatus.CUSTOMER_OWES,
  "0": BalanceStatus.SETTLED,
  "-1": BalanceStatus.MERCHANT_OWES,
}

/**
 * The balance status of an outstanding amount, by its sign once rounded to the currency's
 * decimals: a €24.98 payment settles a €24.9781 order (Medusa's own totals compare within the
 * currency's epsilon the same way).
 */
export function balanceStatus(outstanding: BigNumberInput, currencyCode: string): BalanceStatus {
  const sign = String(roundToCurrency(outstanding, currencyCode).comparedTo(0)) as keyof typeof BALANCE_STATUS_BY_SIGN
  return BALANCE_STATUS_BY_SIGN[sign]
}

/** The SQL of {@link balanceStatus} over a numeric column and its currency code column. */
export function balanceStatusSql(column: string, currencyColumn: string): string {
  const cases = Object.entries(BALANCE_STATUS_BY_SIGN).map(([sign, status]) => `WHEN ${sign} THEN '${status}'`)
  return `(CASE sign(round(${column}, ${currencyDecimalsSql(currencyColumn)})) ${cases.join(" ")} END)`
}

/**
 * `amount` when it is no more than `left`, or `left` itself when the two differ by less than
 * the currency's rounding (a person types €24.98 against €24.9781 left: the ledger takes
 * exactly what is left, so nothing like €0.0019 or −€0.0019 stays behind). Null when it is more.
 */
export function fitWithinRounding(amount: BigNumberInput, left: BigNumberInput, currencyCode: string): Decimal | null {
  if (!MathBN.gt(amount, left)) {
    return MathBN.convert(amount)
  }
  return roundsToZero(MathBN.sub(amount, left), currencyCode) ? MathBN.convert(left) : null
}

/** Throws `INVALID_DATA` unless a record call holds 1 to 50 transactions. */
export function throwIfBatchSizeInvalid(count: number): void {
  if (!count || count > MAX_TRANSACTIONS_PER_BATCH) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `transactions must hold 1 to ${MAX_TRANSACTIONS_PER_BATCH} items, got ${count}.`
    )
  }
}

/** What {@link checkRecordItem} reads off one item. */
export interface CheckedRecordItem {
  currency: string
  /** Null when the item leaves the amount out (a full refund). */
  amount: Decimal | null
  fee: Decimal | null
}

/**
 * The checks of one item that need no ledger state: its currency is the order's, its kind has
 * (or has not) a parent as it must, its amount is > 0 and its fee ≥ 0, each with no more
 * decimals than the currency has. `amount` may be left out only when `amountOptional`.
 */
export function checkRecordItem(
  field: string,
  item: { kind: TransactionKind; currency_code?: string; parent_id?: string | null; amount?: BigNumberInput | null; fee?: BigNumberInput | null },
  orderCurrency: string,
  amountOptional = false,
  exact = false
): CheckedRecordItem {
  const currency = (item.currency_code ?? orderCurrency).toLowerCase()
  throwIfCurrencyMismatch(`${field}.currency_code`, currency, orderCurrency)
  throwIfParentRuleBroken(field, item.kind, item.parent_id)
  const missing = item.amount === null || item.amount === undefined
  const amount = missing && amountOptional ? null : parseAmount(item.amount, currency, `${field}.amount`, { exact })
  const fee = item.fee === null || item.fee === undefined ? null : parseAmountOrZero(item.fee, currency, `${field}.fee`)
  return { currency, amount, fee }
}

/** The status moves the ledger allows: `succeeded` and `failed` are final. */
export const ALLOWED_STATUS_TRANSITIONS: Record<Status, readonly Status[]> = {
  pending: [TransactionStatus.SUCCEEDED, TransactionStatus.FAILED, TransactionStatus.REQUIRES_ACTION],
  requires_action: [TransactionStatus.SUCCEEDED, TransactionStatus.FAILED],
  succeeded: [],
  failed: [],
}

/** Throws `INVALID_STATUS_TRANSITION` unless `from → to` is an allowed move (or no move). */
export function throwIfInvalidStatusTransition(id: string, from: Status, to: Status): void {
  if (from === to) {
    return
  }
  if (!ALLOWED_STATUS_TRANSITIONS[from].includes(to)) {
    const allowed = ALLOWED_STATUS_TRANSITIONS[from]
    ledgerError(
      LedgerErrorCode.INVALID_STATUS_TRANSITION,
      `status cannot move from ${from} to ${to} on transaction ${id}` +
        (allowed.length ? `; allowed: ${allowed.join(", ")}.` : `: ${from} is final.`),
      { from, to, allowed }
    )
  }
}

/** Throws `CURRENCY_MISMATCH` when a transaction's currency is not the order's. */
export function throwIfCurrencyMismatch(field: string, currency: string, orderCurrency: string): void {
  if (currency.toLowerCase() !== orderCurrency.toLowerCase()) {
    ledgerError(
      LedgerErrorCode.CURRENCY_MISMATCH,
      `${field} is ${currency.toLowerCase()} but the order's currency is ${orderCurrency.toLowerCase()}.`
    )
  }
}

/** The fields of a stored transaction the rules look at. */
export interface RuleTransaction {
  id: string
  order_id: string
  kind: TransactionKind
  status: Status
  amount: BigNumberInput
  parent_id?: string | null
  /** When known, what is left rounds to zero in it. */
  currency_code?: string
}

/** What is left on a payment after its refunds and chargebacks. */
export interface RefundFigures {
  /** Succeeded and pending refunds and chargebacks, as a positive figure. */
  refunded_amount: Decimal
  /** Of those, the pending ones. */
  pending_refund_amount: Decimal
  /** What can still be refunded: payment − refunded_amount (0 unless the payment succeeded). */
  refundable_amount: Decimal
}

/** Zero when `value` rounds to zero in the row's currency (when it has one), else `value`. */
function zeroIfRounded(value: Decimal, row: RuleTransaction): Decimal {
  return row.currency_code && roundsToZero(value, row.currency_code) ? MathBN.convert(0) : value
}

/**
 * Refund figures of a payment from its children (and their reversals). Failed refunds free
 * their amount again, and so does a succeeded reversal of a refund or chargeback (the refund
 * bounced, the chargeback was won).
 */
export function refundFigures(payment: RuleTransaction, children: RuleTransaction[]): RefundFigures {
  let refunded = MathBN.convert(0)
  let pending = MathBN.convert(0)
  const reversedIds = new Set<string>()
  for (const child of children) {
    if (child.parent_id !== payment.id || !REVERSAL_KINDS.includes(child.kind)) {
      continue
    }
    if (child.status === TransactionStatus.FAILED) {
      continue
    }
    reversedIds.add(child.id)
    refunded = MathBN.add(refunded, MathBN.abs(child.amount))
    if (child.status !== TransactionStatus.SUCCEEDED) {
      pending = MathBN.add(pending, MathBN.abs(child.amount))
    }
  }
  for (const row of children) {
    if (row.kind === TransactionKind.REVERSAL && row.status === TransactionStatus.SUCCEEDED && reversedIds.has(row.parent_id ?? "")) {
      refunded = MathBN.sub(refunded, MathBN.abs(row.amount))
    }
  }
  const refundable =
    payment.kind === TransactionKind.PAYMENT && payment.status === TransactionStatus.SUCCEEDED
      ? zeroIfRounded(MathBN.max(MathBN.sub(payment.amount, refunded), 0), payment)
      : MathBN.convert(0)
  return { refunded_amount: refunded, pending_refund_amount: pending, refundable_amount: refundable }
}

/**
 * What is left to reverse on a succeeded refund or chargeback: its amount less its non-failed
 * reversals.
 */
export function reversibleAmount(reversed: RuleTransaction, children: RuleTransaction[]): Decimal {
  let used = MathBN.convert(0)
  for (const child of children) {
    if (child.parent_id === reversed.id && child.kind === TransactionKind.REVERSAL && child.status !== TransactionStatus.FAILED) {
      used = MathBN.add(used, MathBN.abs(child.amount))
    }
  }
  return zeroIfRounded(MathBN.max(MathBN.sub(MathBN.abs(reversed.amount), used), 0), reversed)
}

/** Throws `INVALID_DATA` unless the parent of a reversal is a succeeded refund or chargeback. */
export function throwIfNotReversible(field: string, parent: RuleTransaction): void {
  if (!REVERSAL_KINDS.includes(parent.kind) || parent.status !== TransactionStatus.SUCCEEDED) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `${field}: a reversal turns back a succeeded refund or chargeback; transaction ${parent.id} is a ${parent.status} ${parent.kind}.`
    )
  }
}

/** What is left on an authorization after its captures and voids. */
export function authorizationRemaining(auth: RuleTransaction, children: RuleTransaction[]): Decimal {
  let used = MathBN.convert(0)
  for (const child of children) {
    if (child.parent_id !== auth.id || child.status === TransactionStatus.FAILED) {
      continue
    }
    if (child.kind === TransactionKind.PAYMENT || child.kind === TransactionKind.VOID) {
      used = MathBN.add(used, MathBN.abs(child.amount))
    }
  }
  return zeroIfRounded(MathBN.max(MathBN.sub(auth.amount, used), 0), auth)
}

/** Throws `NOT_FOUND` when a parent is missing or belongs to another order. */
export function throwIfParentMissing(
  field: string,
  parentId: string,
  parent: RuleTransaction | undefined,
  orderId: string
): asserts parent is RuleTransaction {
  if (!parent || parent.order_id !== orderId) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `${field}: transaction ${parentId} was not found on order ${orderId}.`)
  }
}

/** Throws `NOT_REFUNDABLE` unless the parent of a refund or chargeback is a succeeded payment. */
export function throwIfNotRefundable(field: string, kind: TransactionKind, parent: RuleTransaction): void {
  if (parent.kind !== TransactionKind.PAYMENT || parent.status !== TransactionStatus.SUCCEEDED) {
    ledgerError(
      LedgerErrorCode.NOT_REFUNDABLE,
      `${field}: a ${kind} must reverse a succeeded payment; transaction ${parent.id} is a ${parent.status} ${parent.kind}.`,
      { parent_id: parent.id, parent_kind: parent.kind, parent_status: parent.status }
    )
  }
}

/** Throws `AMOUNT_EXCEEDS_REFUNDABLE` when a reversal is larger than what is left to refund. */
export function throwIfExceedsRefundable(
  field: string,
  amount: BigNumberInput,
  figures: RefundFigures,
  parent: RuleTransaction,
  currencyCode: string
): void {
  if (fitWithinRounding(amount, figures.refundable_amount, currencyCode) === null) {
    ledgerError(
      LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
      `${field} ${formatMoney(amount, currencyCode)} exceeds what is left to refund on payment ${parent.id}: ` +
        `${formatMoney(figures.refundable_amount, currencyCode)}.`,
      refundFiguresDetails(parent, figures, currencyCode)
    )
  }
}

/**
 * Throws `PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH` when the caller's idea of what was refunded so far
 * is stale; the error carries the fresh figures so the caller can ask again.
 */
export function throwIfPreviouslyRefundedMismatch(
  expected: BigNumberInput,
  figures: RefundFigures,
  parent: RuleTransaction,
  currencyCode: string
): void {
  if (!MathBN.eq(expected, figures.refunded_amount)) {
    ledgerError(
      LedgerErrorCode.PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH,
      `previously_refunded_amount is ${toDecimalString(expected)} but ${toDecimalString(
        figures.refunded_amount
      )} has been refunded on payment ${parent.id} so far; check the fresh figures and try again.`,
      refundFiguresDetails(parent, figures, currencyCode)
    )
  }
}

/** The fresh figures a refund conflict answers with. */
export function refundFiguresDetails(parent: RuleTransaction, figures: RefundFigures, currencyCode: string) {
  return {
    transaction_id: parent.id,
    amount: Number(toDecimalString(parent.amount)),
    refunded_amount: Number(toDecimalString(figures.refunded_amount)),
    pending_refund_amount: Number(toDecimalString(figures.pending_refund_amount)),
    refundable_amount: Number(toDecimalString(figures.refundable_amount)),
    formatted_refunded_amount: formatMoney(figures.refunded_amount, currencyCode),
    formatted_refundable_amount: formatMoney(figures.refundable_amount, currencyCode),
  }
}

/**
 * Throws unless a void cancels an authorization (pending or succeeded) or a pending payment.
 */
export function throwIfNotVoidable(field: string, parent: RuleTransaction): void {
  const voidable =
    (parent.kind === TransactionKind.AUTHORIZATION &&
      (parent.status === TransactionStatus.SUCCEEDED || parent.status === TransactionStatus.PENDING)) ||
    (parent.kind === TransactionKind.PAYMENT &&
      (parent.status === TransactionStatus.PENDING || parent.status === TransactionStatus.REQUIRES_ACTION))
  if (!voidable) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `${field}: a void cancels an authorization or a pending payment; transaction ${parent.id} is a ${parent.status} ${parent.kind}.`
    )
  }
}

/** Throws unless the parent of a capture (a payment with a parent) is a succeeded authorization. */
export function throwIfNotCapturable(field: string, parent: RuleTransaction): void {
  if (parent.kind !== TransactionKind.AUTHORIZATION || parent.status !== TransactionStatus.SUCCEEDED) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `${field}: a payment's parent must be a succeeded authorization; transaction ${parent.id} is a ${parent.status} ${parent.kind}.`
    )
  }
}

/** Throws when a capture or void is larger than what is left on the authorization. */
export function throwIfExceedsAuthorization(
  field: string,
  amount: BigNumberInput,
  remaining: BigNumberInput,
  parent: RuleTransaction,
  currencyCode: string
): void {
  if (fitWithinRounding(amount, remaining, currencyCode) === null) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `${field} ${formatMoney(amount, currencyCode)} exceeds what is left on authorization ${parent.id}: ` +
        `${formatMoney(remaining, currencyCode)}.`
    )
  }
}

/** Which kinds need, allow or forbid a parent. */
export function throwIfParentRuleBroken(field: string, kind: TransactionKind, parentId?: string | null): void {
  const needsParent =
    kind === TransactionKind.REFUND ||
    kind === TransactionKind.CHARGEBACK ||
    kind === TransactionKind.VOID ||
    kind === TransactionKind.REVERSAL
  if (needsParent && !parentId) {
    ledgerError(LedgerErrorCode.INVALID_DATA, `${field}.parent_id is required for a ${kind}.`)
  }
  if (kind === TransactionKind.AUTHORIZATION && parentId) {
    ledgerError(LedgerErrorCode.INVALID_DATA, `${field}.parent_id must not be set for an authorization.`)
  }
}
