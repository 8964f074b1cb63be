import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import type { LedgerOrderInput, RecordLedgerTransactionsInput } from "../../modules/order-ledger/types"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { requestHash } from "../../utils/request-hash"
import { findLedgerReplayStep, replayOutput } from "../steps/capture-find-ledger-replay"
import { recordLedgerMirrorStep } from "../steps/capture-record-ledger-mirror"
import { retrieveLedgerOrdersStep } from "../steps/retrieve-ledger-orders"
import { retrieveLedgerTransactionOrderStep } from "../steps/retrieve-ledger-transaction-order"
import {
  voidMedusaPaymentCollectionStep,
  voidMedusaPaymentStep,
  type VoidMedusaPaymentStepOutput,
} from "../steps/void-medusa-payment"
import { planLedgerVoid, validateLedgerVoidStep, type LedgerVoidPlan } from "../steps/void-validate-ledger-authorization"
import { LEDGER_LOCK_OPTIONS, ledgerLockKeys } from "../utils/ledger-lock"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/**
 * Input of {@link voidLedgerAuthorizationWorkflow}.
 *
 * @example
 * const input: VoidLedgerAuthorizationWorkflowInput = { transaction_id: "oltx_123" }
 */
export type VoidLedgerAuthorizationWorkflowInput = {
  /** The ledger authorization (`oltx_…`, reference `payment`) that mirrors a Medusa payment from checkout. */
  transaction_id: string
  /** A client's `Idempotency-Key`: a repeat answers the first void's row and calls no provider. */
  idempotency_key?: string
}

/**
 * What {@link voidLedgerAuthorizationWorkflow} did.
 *
 * @example
 * // { order_id: "order_123", transaction_id: "oltx_456", medusa_payment_id: "pay_1", created: true, replayed: false }
 */
export type VoidLedgerAuthorizationWorkflowOutput = {
  order_id: string
  /** The ledger void (`oltx_…`, reference `payment_canceled`). */
  transaction_id: string
  /** The Medusa payment canceled. */
  medusa_payment_id: string
  /** False when the reconcile had already mirrored the cancellation (or on a replay), and its row is answered. */
  created: boolean
  /** True when an earlier request with the same idempotency key made this void. */
  replayed: boolean
}

export const voidLedgerAuthorizationWorkflowId = "void-ledger-authorization"

/**
 * Voids an authorization that came from Medusa checkout through its payment provider, and records
 * the void in the ledger exactly once.
 *
 * Under the order's ledger lock: a repeat of an earlier request with the same `Idempotency-Key`
 * answers that request's row and calls no provider; otherwise it checks that the authorization
 * came from Medusa, that Medusa's payment is neither canceled nor captured (Medusa cannot cancel a
 * payment with captures) and that something is left; then Medusa's payment module cancels the payment (the provider releases the
 * authorization, Medusa sets `canceled_at`) and, when it was the last open payment of its
 * collection, the collection is marked canceled as Medusa's own cancel flows do; then the ledger
 * records the void exactly as the reconcile would (reference `payment_canceled`, `reference_id`
 * the `pay_…`, what was left on the authorization, parent the authorization). Nothing is added to
 * Medusa's core order transactions (an authorization never was one). A released authorization is
 * not taken back by a compensation: should the ledger write fail, the reconcile brings the void
 * in. Emits `order_transaction.created` for a new row.
 *
 * @example
 * const { result } = await voidLedgerAuthorizationWorkflow(container).run({
 *   input: { transaction_id: "oltx_123" },
 * })
 */
export const voidLedgerAuthorizationWorkflow = createWorkflow(
  voidLedgerAuthorizationWorkflowId,
  (input: WorkflowData<VoidLedgerAuthorizationWorkflowInput>) => {
    const orderId = retrieveLedgerTransactionOrderStep({ id: input.transaction_id })
    const orderIds = transform({ orderId }, ({ orderId }) => [orderId])
    const lockKeys = transform({ orderIds }, ({ orderIds }) => ledgerLockKeys(orderIds))
    acquireLockStep({ key: lockKeys, ...LEDGER_LOCK_OPTIONS })

    const replay = findLedgerReplayStep(transform({ input }, ({ input }) => ({ idempotency: voidIdempotency(input) })))

    const voided = when("void-through-medusa", { replay }, ({ replay }) => !replay).then(() => {
      const orders = retrieveLedgerOrdersStep({ order_ids: orderIds })
      const order = transform({ orders }, ({ orders }) => orders[0])

      const validateInput = transform({ input, order }, ({ input, order }) => ({
        order,
        transaction_id: input.transaction_id,
      }))
      const plan = validateLedgerVoidStep(validateInput)

      const canceled = voidMedusaPaymentStep(
        transform({ plan }, ({ plan }) => ({ payment_id: plan.medusa_payment_id }))
      )
      // (A `when` cannot nest in another's `then` in Medusa 2.21: the step does nothing without a collection.)
      voidMedusaPaymentCollectionStep(
        transform({ plan }, ({ plan }) => ({ payment_collection_id: plan.cancel_payment_collection_id }))
      )

      const recordInput = transform({ order, plan, canceled, input }, buildVoidRecordInput)
      const result = recordLedgerMirrorStep(recordInput)

      // No event for a row the reconcile recorded (it emitted its own): `created` is then empty.

      return transform({ result, plan }, ({ result, plan }): VoidLedgerAuthorizationWorkflowOutput => ({
        order_id: result.order_id,
        transaction_id: result.transaction_ids[0],
        medusa_payment_id: plan.medusa_payment_id,
        created: !result.replayed,
        replayed: false,
      }))
    })

    publishLedgerChangesStep()
    releaseLockStep({ key: lockKeys })

    const output = transform({ voided, replay }, ({ voided, replay }): VoidLedgerAuthorizationWorkflowOutput => {
      if (voided) {
        return voided
      }
      const { reference_id, ...first } = replayOutput(replay)
      return { ...first, medusa_payment_id: first.medusa_payment_id ?? (reference_id as string) }
    })
    return new WorkflowResponse(output)
  }
)

/**
 * The request's idempotency key and the hash it is bound to (the authorization), if it has a key.
 *
 * @example
 * voidIdempotency({ transaction_id: "oltx_1", idempotency_key: "k1" }) // { key: "k1", request_hash: "…" }
 */
export function voidIdempotency(input: VoidLedgerAuthorizationWorkflowInput) {
  return input.idempotency_key
    ? { key: input.idempotency_key, request_hash: requestHash("void", input.transaction_id, {}) }
    : undefined
}

/**
 * The record call of a void: the void the reconcile plans for the canceled payment, dated when
 * Medusa canceled it.
 *
 * @example
 * const recordInput = transform({ order, plan, canceled, input }, buildVoidRecordInput)
 */
export function buildVoidRecordInput({
  order,
  plan,
  canceled,
  input,
}: {
  order: LedgerOrderInput
  plan: LedgerVoidPlan
  canceled: VoidMedusaPaymentStepOutput
  input: VoidLedgerAuthorizationWorkflowInput
}): RecordLedgerTransactionsInput {
  const item = planLedgerVoid(order, plan, canceled.canceled_at)
  if (!item) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `Nothing is left to void on authorization ${plan.authorization.id}.`
    )
  }
  return { order, transactions: [item], idempotency: voidIdempotency(input), exact_amounts: true }
}
