import { MathBN } from "@medusajs/framework/utils"
import { monotonicFactory } from "ulid"
import type { BigNumberInput } from "@medusajs/framework/types"
import {
  PaymentMethod,
  REVERSAL_KINDS,
  TransactionKind,
  TransactionReference,
  TransactionStatus,
} from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import {
  authorizationRemaining,
  checkRecordItem,
  fitWithinRounding,
  reversibleAmount,
  throwIfNotReversible,
  refundFigures,
  refundFiguresDetails,
  throwIfBatchSizeInvalid,
  throwIfExceedsAuthorization,
  throwIfExceedsRefundable,
  throwIfInvalidStatusTransition,
  throwIfNotCapturable,
  throwIfNotRefundable,
  throwIfNotVoidable,
  throwIfParentMissing,
  throwIfPreviouslyRefundedMismatch,
  type RuleTransaction,
} from "../../utils/ledger-rules"
import { formatMoney, parseAmountOrZero, signedAmount, toDecimalString, type Decimal } from "../../utils/money"
import type {
  LedgerFamilyRow,
  LedgerOrderInput,
  LedgerTransactionSnapshot,
  NewLedgerTransactionRow,
  RecordLedgerTransactionsInput,
  RecordLedgerTransactionsResult,
  UpdateLedgerTransactionInput,
} from "./types"

/**
 * The ledger's write planning, pure: given a record call and the ledger's rows it touches (read
 * under the order's row lock), it runs every rule and prepares the rows to insert. No database,
 * so it is unit-tested on its own (integration-tests/unit/planning.spec.ts).
 */

/**
 * Ids as Medusa's `generateEntityId` makes them (`oltx_` + a ULID), from the same `ulid` library
 * but its monotonic generator: it draws randomness once per millisecond instead of once per
 * character, 50 times faster (65 µs an id is 3 ms of a batch of 50).
 */
const ulid = monotonicFactory()
const newTransactionId = () => `oltx_${ulid()}`

/** The ledger's rows a record call touches: the parents it names and all their children. */
export interface LedgerFamilies {
  parents: LedgerFamilyRow[]
  children: LedgerFamilyRow[]
}

/** The parents a record call must read before it can be planned. */
export function parentIdsOf(input: RecordLedgerTransactionsInput): string[] {
  const ids = input.transactions.map((t) => t.parent_id).filter((id): id is string => !!id)
  if (input.refund_guard) {
    ids.push(input.refund_guard.parent_id)
  }
  return [...new Set(ids)]
}

/**
 * The amount a refund or chargeback of `parent` may take: `amount` when it fits what is left,
 * or, with no amount, all that is left (`AMOUNT_EXCEEDS_REFUNDABLE` when nothing is). A failed
 * reversal takes nothing, so it is not bounded.
 */
export function reversalAmount(
  field: string,
  kind: TransactionKind,
  amount: Decimal | null,
  status: TransactionStatus,
  parent: RuleTransaction,
  family: RuleTransaction[],
  currencyCode: string
): Decimal {
  throwIfNotRefundable(`${field}.parent_id`, kind, parent)
  const figures = refundFigures(parent, family)
  if (amount === null) {
    if (!MathBN.gt(figures.refundable_amount, 0)) {
      ledgerError(
        LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
        `${field}: nothing is left to refund on payment ${parent.id}.`,
        refundFiguresDetails(parent, figures, currencyCode)
      )
    }
    return figures.refundable_amount
  }
  if (status !== TransactionStatus.FAILED) {
    throwIfExceedsRefundable(`${field}.amount`, amount, figures, parent, currencyCode)
    return fitWithinRounding(amount, figures.refundable_amount, currencyCode) as Decimal
  }
  return amount
}

/**
 * The refund guard: the payment exists on the order, is a succeeded payment, and — when the
 * caller says what was refunded so far — nobody refunded in between.
 */
export function checkRefundGuard(
  guard: { parent_id: string; previously_refunded_amount?: BigNumberInput | null },
  kind: TransactionKind,
  parent: RuleTransaction | undefined,
  family: RuleTransaction[],
  order: LedgerOrderInput
): asserts parent is RuleTransaction {
  throwIfParentMissing("transaction_id", guard.parent_id, parent, order.id)
  throwIfNotRefundable("transaction_id", kind, parent)
  const expected = guard.previously_refunded_amount
  if (expected !== undefined && expected !== null) {
    const parsed = parseAmountOrZero(expected, order.currency_code, "previously_refunded_amount")
    throwIfPreviouslyRefundedMismatch(parsed, refundFigures(parent, family), parent, order.currency_code)
  }
}

/** Checks an item against its parent: what it may reverse, void or capture, and how much. */
function checkAgainstParent(
  field: string,
  kind: TransactionKind,
  status: TransactionStatus,
  amount: Decimal | null,
  parent: RuleTransaction,
  family: RuleTransaction[],
  currency: string
): Decimal {
  if (REVERSAL_KINDS.includes(kind)) {
    return reversalAmount(field, kind, amount, status, parent, family, currency)
  }
  if (kind === TransactionKind.REVERSAL) {
    return reversedAmount(field, amount, parent, family, currency)
  }
  const given = amount as Decimal
  if (kind === TransactionKind.VOID) {
    throwIfNotVoidable(`${field}.parent_id`, parent)
    if (parent.kind === TransactionKind.AUTHORIZATION) {
      const remaining = authorizationRemaining(parent, family)
      throwIfExceedsAuthorization(`${field}.amount`, given, remaining, parent, currency)
      return fitWithinRounding(given, remaining, currency) as Decimal
    } else if (!MathBN.eq(given, parent.amount)) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `${field}.amount must equal the pending payment's amount (${toDecimalString(parent.amount)}) to void it.`
      )
    }
  } else if (kind === TransactionKind.PAYMENT) {
    throwIfNotCapturable(`${field}.parent_id`, parent)
    if (status !== TransactionStatus.FAILED) {
      const remaining = authorizationRemaining(parent, family)
      throwIfExceedsAuthorization(`${field}.amount`, given, remaining, parent, currency)
      return fitWithinRounding(given, remaining, currency) as Decimal
    }
  }
  return given
}

/**
 * The amount a reversal of a succeeded refund or chargeback takes: `amount` when it fits what
 * is left to reverse, or, with no amount, all of it. `INVALID_DATA` when it does not fit.
 */
function reversedAmount(
  field: string,
  amount: Decimal | null,
  parent: RuleTransaction,
  family: RuleTransaction[],
  currency: string
): Decimal {
  throwIfNotReversible(`${field}.parent_id`, parent)
  const left = reversibleAmount(parent, family)
  const wanted = amount ?? left
  const fitted = MathBN.gt(wanted, 0) ? fitWithinRounding(wanted, left, currency) : null
  if (fitted === null) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `${field}.amount ${formatMoney(wanted, currency)} exceeds what is left to reverse on ${parent.kind} ${parent.id}: ` +
        `${formatMoney(left, currency)}.`
    )
  }
  return fitted
}

/**
 * Runs every rule of a record call against the ledger as it is under the lock and prepares
 * the rows to insert, in input order. Items of one call see each other: two refunds of one
 * payment in a batch add up.
 *
 * @example
 * const rows = planRecord(input, await repository.findFamilies(parentIdsOf(input), context))
 */
export function planRecord(
  input: RecordLedgerTransactionsInput,
  families: LedgerFamilies,
  options: { now?: Date; newId?: () => string } = {}
): NewLedgerTransactionRow[] {
  const { order, transactions } = input
  throwIfBatchSizeInvalid(transactions.length)
  const newId = options.newId ?? newTransactionId
  const now = (options.now ?? new Date()).toISOString()
  const parentById = new Map(families.parents.map((p) => [p.id, p]))
  // Children grow as the batch is planned, so two refunds in one batch add up.
  const family: RuleTransaction[] = [...families.children]

  if (input.refund_guard) {
    const parent = parentById.get(input.refund_guard.parent_id)
    checkRefundGuard(input.refund_guard, transactions[0].kind, parent, family, order)
  }

  const rows = transactions.map((t, index): NewLedgerTransactionRow => {
    const field = transactions.length > 1 || !input.refund_guard ? `transactions[${index}]` : "refund"
    const amountOptional =
      (!!input.refund_guard && REVERSAL_KINDS.includes(t.kind)) || (!!input.reversal && t.kind === TransactionKind.REVERSAL)
    const checked = checkRecordItem(field, t, order.currency_code, amountOptional, !!input.exact_amounts)
    const status = t.status ?? TransactionStatus.SUCCEEDED
    let amount = checked.amount
    if (t.parent_id) {
      const parent = parentById.get(t.parent_id)
      throwIfParentMissing(`${field}.parent_id`, t.parent_id, parent, order.id)
      amount = checkAgainstParent(field, t.kind, status, amount, parent, family, checked.currency)
    }
    const id = newId()
    const signed = toDecimalString(signedAmount(t.kind, amount as Decimal))
    family.push({ id, order_id: order.id, kind: t.kind, status, amount: signed, parent_id: t.parent_id ?? null })
    return {
      id,
      order_id: order.id,
      kind: t.kind,
      status,
      amount: signed,
      currency_code: checked.currency,
      reference: t.reference ?? TransactionReference.MANUAL,
      reference_id: t.reference_id ?? null,
      parent_id: t.parent_id ?? null,
      payment_method: t.payment_method ?? PaymentMethod.OTHER,
      gateway: t.gateway ?? "manual",
      external_id: t.external_id ?? null,
      fee: checked.fee ? checked.fee.toFixed() : null,
      card_brand: t.card_brand ?? null,
      card_last4: t.card_last4 ?? null,
      message: t.message ?? null,
      reason: t.reason ?? null,
      note: t.note ?? null,
      occurred_at: t.occurred_at ? new Date(t.occurred_at).toISOString() : now,
      medusa_payment_id: null,
      metadata: t.metadata ?? null,
    }
  })
  throwIfDuplicateInBatch(rows)
  return rows
}

type UniqueFields = Pick<NewLedgerTransactionRow, "gateway" | "external_id" | "reference" | "reference_id">

/** `DUPLICATE_TRANSACTION` when two items of one call share gateway + external_id or reference + reference_id. */
export function throwIfDuplicateInBatch(rows: UniqueFields[]): void {
  const seen = new Set<string>()
  for (const [i, r] of rows.entries()) {
    const keys: [string, string][] = []
    if (r.external_id) {
      keys.push([JSON.stringify(["e", r.gateway, r.external_id]), "gateway + external_id"])
    }
    if (r.reference_id) {
      keys.push([JSON.stringify(["r", r.reference, r.reference_id]), "reference + reference_id"])
    }
    for (const [key, what] of keys) {
      if (seen.has(key)) {
        ledgerError(
          LedgerErrorCode.DUPLICATE_TRANSACTION,
          `transactions[${i}] repeats ${what} of an earlier item in the same request.`
        )
      }
      seen.add(key)
    }
  }
}

/** The pairs a stored row must not already have, for one duplicate lookup. */
export function uniqueKeysOf(rows: UniqueFields[]): { external: [string, string][]; reference: [string, string][] } {
  return {
    external: rows.filter((r) => r.external_id).map((r) => [r.gateway, r.external_id as string]),
    reference: rows.filter((r) => r.reference_id).map((r) => [r.reference, r.reference_id as string]),
  }
}

/** `DUPLICATE_TRANSACTION` naming the stored row that one of `rows` repeats. */
export function throwIfStoredDuplicate(rows: UniqueFields[], existing: LedgerFamilyRow | null): void {
  if (!existing) {
    return
  }
  const sameExternal = rows.some((r) => r.gateway === existing.gateway && r.external_id === existing.external_id)
  ledgerError(
    LedgerErrorCode.DUPLICATE_TRANSACTION,
    sameExternal
      ? `external_id ${existing.external_id} of gateway ${existing.gateway} is already recorded as ${existing.id}.`
      : `reference ${existing.reference} ${existing.reference_id} is already recorded as ${existing.id}.`,
    { existing_id: existing.id }
  )
}

/** Pending payments that succeeded voids in these rows cancel (they move to failed). */
export function voidedPaymentIdsOf(rows: NewLedgerTransactionRow[]): string[] {
  return rows
    .filter((r) => r.kind === TransactionKind.VOID && r.status === TransactionStatus.SUCCEEDED && r.parent_id)
    .map((r) => r.parent_id as string)
}

/**
 * Checks an update of a stored transaction and answers its fields before and after: the status
 * moves only forward; a pending refund or chargeback may only succeed while it still fits what
 * is left on its payment (`families`: its payment and the payment's children); `reference_id`
 * is set once.
 */
export function planUpdate(
  row: LedgerTransactionSnapshot & LedgerFamilyRow,
  input: UpdateLedgerTransactionInput,
  families: LedgerFamilies
): { before: LedgerTransactionSnapshot; after: LedgerTransactionSnapshot } {
  if (input.status) {
    throwIfInvalidStatusTransition(row.id, row.status, input.status)
    const payment = families.parents.find((p) => p.id === row.parent_id)
    if (input.status === TransactionStatus.SUCCEEDED && payment && REVERSAL_KINDS.includes(row.kind)) {
      const others = families.children.filter((c) => c.id !== row.id)
      throwIfExceedsRefundable("amount", MathBN.abs(row.amount), refundFigures(payment, others), payment, row.currency_code)
    }
  }
  if (input.reference_id !== undefined && row.reference_id && row.reference_id !== input.reference_id) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `reference_id of transaction ${row.id} is already ${row.reference_id}; it is set once.`
    )
  }
  const before: LedgerTransactionSnapshot = {
    id: row.id,
    order_id: row.order_id,
    status: row.status,
    message: row.message,
    external_id: row.external_id,
    reference_id: row.reference_id,
    metadata: row.metadata,
  }
  const after: LedgerTransactionSnapshot = {
    ...before,
    ...(input.status !== undefined && { status: input.status }),
    ...(input.message !== undefined && { message: input.message }),
    ...(input.external_id !== undefined && { external_id: input.external_id }),
    ...(input.reference_id !== undefined && { reference_id: input.reference_id }),
    ...(input.metadata !== undefined && { metadata: input.metadata }),
  }
  return { before, after }
}

/**
 * The answer to a record call whose idempotency key is already stored: a replay of the first
 * call when it asked the same (`IDEMPOTENCY_KEY_MISMATCH` when not), or null for a new key.
 */
export function replayOf(
  idempotency: { key: string; request_hash: string },
  stored: { request_hash: string; order_id: string; transaction_ids: string[] } | null
): RecordLedgerTransactionsResult | null {
  if (!stored) {
    return null
  }
  if (stored.request_hash !== idempotency.request_hash) {
    ledgerError(
      LedgerErrorCode.IDEMPOTENCY_KEY_MISMATCH,
      "Idempotency-Key was already used with a different request; use a new key for a new request."
    )
  }
  return { order_id: stored.order_id, transaction_ids: stored.transaction_ids, replayed: true, voided_payment_ids: [] }
}
