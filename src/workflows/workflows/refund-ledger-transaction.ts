import type { BigNumberInput } from "@medusajs/framework/types"
import { MathBN } from "@medusajs/framework/utils"
import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, refundPaymentWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import type {
  LedgerOrderInput,
  RecordLedgerTransactionsInput,
} from "../../modules/order-ledger/types"
import {
  TransactionKind,
  TransactionReference,
  TransactionStatus,
} from "../../utils/constants"
import { toDecimalString } from "../../utils/money"
import { requestHash } from "../../utils/request-hash"
import { MEDUSA_REFUND_LEDGER_METADATA_KEY, attachMedusaRefundStep } from "../steps/attach-medusa-refund"
import { recordLedgerTransactionsStep } from "../steps/record-ledger-transactions"
import { refreshLedgerBalancesStep } from "../steps/refresh-ledger-balances"
import { retrieveLedgerOrdersStep } from "../steps/retrieve-ledger-orders"
import { retrieveLedgerTransactionOrderStep } from "../steps/retrieve-ledger-transaction-order"
import { createMedusaPaymentsStep } from "../steps/create-medusa-payments"
import { syncCoreOrderTransactionsStep } from "../steps/sync-core-order-transactions"
import {
  validateRefundStep,
  type RefundKind,
  type RefundPlan,
  type RefundStatus,
} from "../steps/validate-refund"
import { LEDGER_LOCK_OPTIONS, ledgerLockKeys } from "../utils/ledger-lock"
import { coreSyncInput } from "./record-ledger-transactions"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/**
 * Input of {@link refundLedgerTransactionWorkflow}.
 *
 * @example
 * const input: RefundLedgerTransactionWorkflowInput = {
 *   transaction_id: "oltx_123",
 *   amount: "25.00",
 *   previously_refunded_amount: 0,
 *   reason: "Damaged item",
 *   idempotency_key: "refund-2026-0042",
 * }
 */
export type RefundLedgerTransactionWorkflowInput = {
  /** The ledger payment (`oltx_…`) to refund; it must be a succeeded payment. */
  transaction_id: string
  /**
   * Positive, in the currency's major unit (25 means $25.00), with no more decimals than the
   * currency has. Leave it out to refund all that is left, computed under the order's row lock.
   */
  amount?: BigNumberInput | null
  /**
   * What the caller believes was refunded (succeeded + pending) on the payment so far. When it
   * differs, nothing is refunded and the error (409 `PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH`) carries
   * the fresh figures, so a refund is never made twice by accident.
   */
  previously_refunded_amount?: BigNumberInput | null
  /** Why the money goes back. */
  reason?: string | null
  /** A note for the merchant's records (also sent to Medusa as the refund's note). */
  note?: string | null
  /**
   * `succeeded` (default) or `pending` (moved on later with the update workflow; a failed refund
   * frees its amount again). A refund through Medusa's flow is always `succeeded`.
   */
  status?: RefundStatus
  /** `refund` (default), or `chargeback` for money the card network took back (never sent to Medusa). */
  kind?: RefundKind
  /** A client's `Idempotency-Key`: a repeat with the same body refunds nothing new. */
  idempotency_key?: string
  /** Who refunds (an admin user id), passed on to Medusa's refund. */
  created_by?: string
}

/**
 * What {@link refundLedgerTransactionWorkflow} did.
 *
 * @example
 * // { order_id: "order_123", transaction_id: "oltx_456", replayed: false, medusa_payment_id: "pay_789" }
 */
export type RefundLedgerTransactionWorkflowOutput = {
  order_id: string
  /** The ledger refund (`oltx_…`). */
  transaction_id: string
  /** True when an earlier request with the same idempotency key made this refund. */
  replayed: boolean
  /** The Medusa payment refunded through Medusa's own flow, or null for a ledger-only payment. */
  medusa_payment_id: string | null
}

export const refundLedgerTransactionWorkflowId = "refund-ledger-transaction"

/**
 * The hash an idempotent refund request is bound to: the payment and what was asked.
 *
 * @example
 * refundRequestHash({ transaction_id: "oltx_123", amount: 25 }) // "9f2c…" (sha256 hex)
 */
export function refundRequestHash(input: RefundLedgerTransactionWorkflowInput): string {
  const { transaction_id, amount, previously_refunded_amount, reason, note, status, kind } = input
  return requestHash("refund", transaction_id, { amount, previously_refunded_amount, reason, note, status, kind })
}

/**
 * The request's idempotency key and hash, if it has a key.
 *
 * @example
 * refundIdempotency({ transaction_id: "oltx_123", idempotency_key: "k1" }) // { key: "k1", request_hash: "…" }
 */
export function refundIdempotency(input: RefundLedgerTransactionWorkflowInput) {
  return input.idempotency_key
    ? { key: input.idempotency_key, request_hash: refundRequestHash(input) }
    : undefined
}

/**
 * Refunds a succeeded ledger payment in full (no `amount`: all that is left) or in part, never
 * more than is left and, with `previously_refunded_amount`, only if nobody refunded in between.
 *
 * Under the order's lock it validates the amount against the currency and the payment's refund
 * figures, then records the refund: the module checks the guard again under the order's row lock
 * in the same database transaction as the insert, so racing refunds, in one process or many, never
 * refund more than was paid.
 *
 * A payment recorded in the ledger only gets a ledger refund, added to Medusa's core order
 * transactions when it succeeds. A payment that mirrors a Medusa capture (`reference` `capture`)
 * is refunded through Medusa's own `refundPaymentWorkflow`, so the payment provider really pays
 * the money back: the ledger first reserves the refund (pending, counted by the guard), then
 * Medusa refunds the payment (adding its own order transaction), then the ledger refund is set to
 * `succeeded` with `reference` `refund` and the Medusa refund's id. If Medusa's refund fails, the
 * reservation is removed and no provider was called. Money a provider paid back cannot be taken
 * back: should a later step fail, Medusa keeps its refund (its metadata names the ledger refund)
 * and the reconcile brings it into the ledger. Emits `order_transaction.created`.
 *
 * @example
 * // Refund $25.00 of a payment, guarded against a refund made in between.
 * const { result } = await refundLedgerTransactionWorkflow(container).run({
 *   input: {
 *     transaction_id: "oltx_123",
 *     amount: 25,
 *     previously_refunded_amount: 0,
 *     reason: "Damaged item",
 *   },
 * })
 *
 * @example
 * // Refund all that is left.
 * await refundLedgerTransactionWorkflow(container).run({ input: { transaction_id: "oltx_123" } })
 */
export const refundLedgerTransactionWorkflow = createWorkflow(
  refundLedgerTransactionWorkflowId,
  (input: WorkflowData<RefundLedgerTransactionWorkflowInput>) => {
    const orderId = retrieveLedgerTransactionOrderStep({ id: input.transaction_id })
    const orderIds = transform({ orderId }, ({ orderId }) => [orderId])
    const lockKeys = transform({ orderIds }, ({ orderIds }) => ledgerLockKeys(orderIds))
    acquireLockStep({ key: lockKeys, ...LEDGER_LOCK_OPTIONS })

    const orders = retrieveLedgerOrdersStep({ order_ids: orderIds })
    const order = transform({ orders }, ({ orders }) => orders[0])

    const validateInput = transform({ input, order }, ({ input, order }) => ({
      order,
      transaction_id: input.transaction_id,
      amount: input.amount,
      previously_refunded_amount: input.previously_refunded_amount,
      status: input.status,
      kind: input.kind,
      idempotency: refundIdempotency(input),
    }))
    const plan = validateRefundStep(validateInput)

    const recordInput = transform({ input, order, plan }, buildRefundRecordInput)
    const result = recordLedgerTransactionsStep(recordInput)

    when("refund-through-medusa", { result, plan }, ({ result, plan }) => {
      return !result.replayed && !!plan.medusa_payment_id
    }).then(() => {
      const refundInput = transform({ result, plan, input }, ({ result, plan, input }) => {
        // The reservation the record step just wrote (not a replay, so its rows are at hand).
        const row = (result.transactions ?? [])[0]
        return {
          payment_id: plan.medusa_payment_id as string,
          amount: toDecimalString(MathBN.abs(row.amount)),
          note: input.note ?? input.reason ?? undefined,
          created_by: input.created_by,
          metadata: { [MEDUSA_REFUND_LEDGER_METADATA_KEY]: row.id },
        }
      })
      refundPaymentWorkflow.runAsStep({ input: refundInput })

      const attachInput = transform({ result, plan }, ({ result, plan }) => ({
        transaction_id: result.transaction_ids[0],
        payment_id: plan.medusa_payment_id as string,
      }))
      attachMedusaRefundStep(attachInput)

      // Medusa's refund flow may add a credit line, which changes the order's total.
      const refreshed = retrieveLedgerOrdersStep({ order_ids: orderIds }).config({
        name: "retrieve-ledger-orders-after-medusa-refund",
      })
      refreshLedgerBalancesStep(refreshed)
    })

    // Adds a succeeded ledger-only refund to Medusa's core order transactions; a refund through
    // Medusa (reference `refund`) is skipped, Medusa's flow added its own. Also on a replay: the
    // step adds only what Medusa's books lack, so a retry after a crash brings them in step.
    when("sync-ledger-refund-to-core", { result }, ({ result }) => result.transaction_ids.length > 0).then(() => {
      const booksInput = transform({ result }, ({ result }) => coreSyncInput(result))
      const carried = createMedusaPaymentsStep(booksInput)
      syncCoreOrderTransactionsStep(
        transform({ booksInput, carried }, ({ booksInput, carried }) => ({
          ...booksInput,
          carried_transaction_ids: carried.carried_transaction_ids,
        }))
      )
    })


    publishLedgerChangesStep()
    releaseLockStep({ key: lockKeys })

    const output = transform({ result, plan }, ({ result, plan }): RefundLedgerTransactionWorkflowOutput => ({
      order_id: result.order_id,
      transaction_id: result.transaction_ids[0],
      replayed: result.replayed,
      medusa_payment_id: plan.medusa_payment_id,
    }))
    return new WorkflowResponse(output)
  }
)

/**
 * The record call of a refund: one refund (or chargeback) item on the payment, with the refund
 * guard. A refund through Medusa is reserved as `pending` with `reference` `refund`; it takes the
 * payment's method, gateway and card so the statement shows where the money went back.
 *
 * @example
 * const recordInput = transform({ input, order, plan }, buildRefundRecordInput)
 */
export function buildRefundRecordInput({
  input,
  order,
  plan,
}: {
  input: RefundLedgerTransactionWorkflowInput
  order: LedgerOrderInput
  plan: RefundPlan
}): RecordLedgerTransactionsInput {
  const throughMedusa = !!plan.medusa_payment_id
  return {
    order,
    transactions: [
      {
        kind: input.kind ?? TransactionKind.REFUND,
        status: throughMedusa ? TransactionStatus.PENDING : input.status ?? TransactionStatus.SUCCEEDED,
        amount: input.amount ?? null,
        currency_code: order.currency_code,
        parent_id: plan.parent.id,
        reference: throughMedusa ? TransactionReference.REFUND : TransactionReference.MANUAL,
        reference_id: null,
        payment_method: plan.parent.payment_method,
        gateway: plan.parent.gateway,
        card_brand: plan.parent.card_brand,
        card_last4: plan.parent.card_last4,
        reason: input.reason ?? null,
        note: input.note ?? null,
      },
    ],
    idempotency: refundIdempotency(input),
    refund_guard: {
      parent_id: plan.parent.id,
      previously_refunded_amount: input.previously_refunded_amount ?? null,
    },
  }
}
