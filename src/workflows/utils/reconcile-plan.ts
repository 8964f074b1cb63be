import { MathBN } from "@medusajs/framework/utils"
import type { LedgerOrderInput, LedgerTransactionInput } from "../../modules/order-ledger/types"
import {
  TransactionKind,
  TransactionReference,
  TransactionStatus,
  type TransactionKind as Kind,
  type TransactionStatus as Status,
} from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { authorizationRemaining, refundFigures, type RuleTransaction } from "../../utils/ledger-rules"
import { formatMoney, signedAmount, toDecimalString, type Decimal } from "../../utils/money"
import { MEDUSA_REFUND_LEDGER_METADATA_KEY } from "../steps/attach-medusa-refund"
import { medusaPaymentInstrument, type MedusaOrderPayments, type MedusaPaymentRecord } from "./medusa-payments"

/**
 * The reconcile's plan: which of Medusa's payment records an order's ledger lacks, as ledger
 * transactions, in the order they can be recorded. Pure: it reads nothing and writes nothing.
 *
 * Mapping:
 * - a Medusa payment (`pay_…`, authorized) → `authorization`, reference `payment`;
 * - each capture (`capt_…`) → `payment`, reference `capture`, parent the authorization;
 * - each refund (`ref_…`) → `refund`, reference `refund`, parent a ledger payment of one of the
 *   payment's captures (see {@link allocateRefund});
 * - a canceled payment → `void` of what is left on its authorization, reference `payment_canceled`.
 *
 * A record already in the ledger (same `reference` + `reference_id`) is skipped. A Medusa refund
 * made by the ledger's own refund flow (its metadata names a ledger transaction of the order) is
 * already in the ledger as that transaction and is skipped too.
 */

/** A ledger row as the planner needs it; `amount` is the stored, signed decimal. */
export interface PlanLedgerRow {
  id: string
  order_id: string
  kind: Kind
  status: Status
  amount: string
  parent_id: string | null
  reference: string
  reference_id: string | null
  currency_code?: string
  /** The Medusa payment that carries an outside payment. */
  medusa_payment_id?: string | null
}

/**
 * A transaction to record. `key` names it until the ledger gives it an id; `parent_key` names a
 * parent planned in an earlier stage (the recorder swaps in the parent's real id).
 */
export interface PlannedTransaction extends LedgerTransactionInput {
  key: string
  parent_key?: string
}

/** The plan of one order. */
export interface LedgerReconcilePlan {
  order: LedgerOrderInput
  /**
   * Stage 1 authorizations, stage 2 captures, stage 3 refunds and voids: each stage's parents
   * are recorded by an earlier stage or already in the ledger.
   */
  stages: [PlannedTransaction[], PlannedTransaction[], PlannedTransaction[]]
  /** Medusa records already in the ledger. */
  skipped: number
  /** Transactions the plan records. */
  planned: number
}

const refKey = (reference: string, referenceId: string) => `${reference}:${referenceId}`

/**
 * Splits a Medusa refund over the ledger payments of its payment's captures. Medusa refunds
 * belong to a payment, not to a capture, so the ledger picks the parent: the oldest capture with
 * enough left to refund takes the whole refund; when no single capture has enough (a payment
 * captured in parts), the refund is spread over the captures, oldest first, as one row per part
 * (`ref_…`, then `ref_…:2`, `ref_…:3`), recorded together. Throws `AMOUNT_EXCEEDS_REFUNDABLE`
 * when the captures together have less left than the refund (for example after a chargeback
 * recorded by hand).
 *
 * @example
 * allocateRefund("10", [{ id: "oltx_1", refundable: "6" }, { id: "oltx_2", refundable: "40" }])
 * // [{ parent: "oltx_2", amount: "10" }]
 */
export function allocateRefund(
  amount: string,
  captures: { id: string; refundable: Decimal | string }[],
  context: { refund_id: string; payment_id: string; currency_code: string } = {
    refund_id: "",
    payment_id: "",
    currency_code: "usd",
  }
): { parent: string; amount: string }[] {
  const whole = captures.find((c) => MathBN.gte(c.refundable, amount))
  if (whole) {
    return [{ parent: whole.id, amount }]
  }
  const parts: { parent: string; amount: string }[] = []
  let left = MathBN.convert(amount)
  for (const capture of captures) {
    if (!MathBN.gt(left, 0)) {
      break
    }
    const take = MathBN.min(left, capture.refundable)
    if (MathBN.gt(take, 0)) {
      parts.push({ parent: capture.id, amount: toDecimalString(take) })
      left = MathBN.sub(left, take)
    }
  }
  if (MathBN.gt(left, 0)) {
    ledgerError(
      LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
      `Medusa refund ${context.refund_id} of ${formatMoney(amount, context.currency_code)} exceeds what is left ` +
        `to refund on the ledger payments of Medusa payment ${context.payment_id}.`
    )
  }
  return parts
}

/**
 * Plans what an order's ledger lacks of its Medusa payments.
 *
 * @example
 * const plan = planLedgerReconcile(medusaOrder, ledgerRows)
 * // plan.stages[0]: authorizations to record, plan.skipped: records already there
 */
export function planLedgerReconcile(medusa: MedusaOrderPayments, rows: PlanLedgerRow[]): LedgerReconcilePlan {
  const { order } = medusa
  const byReference = new Map<string, PlanLedgerRow>()
  for (const row of rows) {
    if (row.reference_id) {
      byReference.set(refKey(row.reference, row.reference_id), row)
    }
  }
  const rowIds = new Set(rows.map((r) => r.id))
  // The ledger as it will be once the plan is recorded; planned rows carry their key as id.
  const simulated: RuleTransaction[] = rows.map((r) => ({ ...r }))
  const stages: LedgerReconcilePlan["stages"] = [[], [], []]
  let skipped = 0

  const plan = (stage: 0 | 1 | 2, item: PlannedTransaction, parentIsPlanned: boolean) => {
    if (parentIsPlanned && item.parent_id) {
      item.parent_key = item.parent_id
      delete item.parent_id
    }
    stages[stage].push(item)
    simulated.push({
      id: item.key,
      order_id: order.id,
      kind: item.kind,
      status: TransactionStatus.SUCCEEDED,
      amount: toDecimalString(signedAmount(item.kind, item.amount as string)),
      parent_id: item.parent_key ?? item.parent_id ?? null,
    })
  }
  const isPlanned = (id: string) => !rowIds.has(id)

  for (const payment of medusa.payments) {
    if (!MathBN.gt(payment.amount, 0)) {
      continue
    }
    // A Medusa payment the ledger made for outside payments (one record call's): its capture is
    // those payments, and a refund of it is a refund of one of them.
    const carriedRows = rows.filter(
      (r) =>
        r.kind === TransactionKind.PAYMENT &&
        (r.medusa_payment_id === payment.id || payment.ledger_transaction_ids.includes(r.id))
    )
    const carried = carriedRows[0]
    if (payment.ledger_transaction_id !== null && !carried) {
      // Made for a ledger payment this order does not have (for example compensated away).
      skipped++
      continue
    }
    const instrument = medusaPaymentInstrument(payment.provider_id, payment.data)
    const common = {
      status: TransactionStatus.SUCCEEDED,
      currency_code: payment.currency_code,
      gateway: payment.provider_id,
      payment_method: instrument.payment_method,
      card_brand: instrument.card_brand,
      card_last4: instrument.card_last4,
      metadata: { medusa_payment_id: payment.id },
    }

    let authId = carried?.id ?? ""
    const captureRowIds: string[] = []
    if (carried) {
      skipped += 1 + payment.captures.length
      captureRowIds.push(...carriedRows.map((r) => r.id))
    } else {
      // The authorization.
      const existingAuth = byReference.get(refKey(TransactionReference.PAYMENT, payment.id))
      if (existingAuth) {
        skipped++
        authId = existingAuth.id
      } else {
        authId = refKey(TransactionReference.PAYMENT, payment.id)
        plan(
          0,
          {
            ...common,
            key: authId,
            kind: TransactionKind.AUTHORIZATION,
            amount: payment.amount,
            reference: TransactionReference.PAYMENT,
            reference_id: payment.id,
            external_id: instrument.external_id,
            occurred_at: payment.created_at,
          },
          false
        )
      }

      // Its captures, each a ledger payment.
      for (const capture of payment.captures) {
        if (!MathBN.gt(capture.amount, 0)) {
          continue
        }
        const existing = byReference.get(refKey(TransactionReference.CAPTURE, capture.id))
        if (existing) {
          skipped++
          captureRowIds.push(existing.id)
          continue
        }
        const key = refKey(TransactionReference.CAPTURE, capture.id)
        captureRowIds.push(key)
        plan(
          1,
          {
            ...common,
            key,
            kind: TransactionKind.PAYMENT,
            amount: capture.amount,
            reference: TransactionReference.CAPTURE,
            reference_id: capture.id,
            parent_id: authId,
            occurred_at: capture.created_at,
          },
          isPlanned(authId)
        )
      }
    }

    // Its refunds, each on the ledger payment(s) of its captures.
    for (const refund of payment.refunds) {
      if (!MathBN.gt(refund.amount, 0)) {
        continue
      }
      const linked = refund.metadata?.[MEDUSA_REFUND_LEDGER_METADATA_KEY]
      if (byReference.has(refKey(TransactionReference.REFUND, refund.id)) || (typeof linked === "string" && rowIds.has(linked))) {
        skipped++
        continue
      }
      const candidates = captureRowIds.map((id) => {
        const row = simulated.find((s) => s.id === id) as RuleTransaction
        return { id, refundable: refundFigures(row, simulated).refundable_amount }
      })
      const parts = allocateRefund(refund.amount, candidates, {
        refund_id: refund.id,
        payment_id: payment.id,
        currency_code: payment.currency_code,
      })
      parts.forEach((part, i) => {
        const referenceId = i === 0 ? refund.id : `${refund.id}:${i + 1}`
        plan(
          2,
          {
            ...common,
            key: refKey(TransactionReference.REFUND, referenceId),
            kind: TransactionKind.REFUND,
            amount: part.amount,
            reference: TransactionReference.REFUND,
            reference_id: referenceId,
            parent_id: part.parent,
            occurred_at: refund.created_at,
            reason: refund.reason,
            note: refund.note,
          },
          isPlanned(part.parent)
        )
      })
    }

    // A canceled payment voids what is left on its authorization.
    if (payment.canceled_at && !carried) {
      planVoid(payment, authId)
    }
  }

  function planVoid(payment: MedusaPaymentRecord, authId: string) {
    if (byReference.has(refKey(TransactionReference.PAYMENT_CANCELED, payment.id))) {
      skipped++
      return
    }
    const auth = simulated.find((s) => s.id === authId) as RuleTransaction
    const remaining = authorizationRemaining(auth, simulated)
    if (!MathBN.gt(remaining, 0)) {
      return
    }
    const instrument = medusaPaymentInstrument(payment.provider_id, payment.data)
    plan(
      2,
      {
        key: refKey(TransactionReference.PAYMENT_CANCELED, payment.id),
        kind: TransactionKind.VOID,
        status: TransactionStatus.SUCCEEDED,
        amount: toDecimalString(remaining),
        currency_code: payment.currency_code,
        gateway: payment.provider_id,
        payment_method: instrument.payment_method,
        card_brand: instrument.card_brand,
        card_last4: instrument.card_last4,
        reference: TransactionReference.PAYMENT_CANCELED,
        reference_id: payment.id,
        parent_id: authId,
        occurred_at: payment.canceled_at,
        reason: "Payment canceled in Medusa",
        metadata: { medusa_payment_id: payment.id },
      },
      isPlanned(authId)
    )
  }

  return {
    order,
    stages,
    skipped,
    planned: stages[0].length + stages[1].length + stages[2].length,
  }
}
