import type { BigNumberInput, PaymentDTO } from "@medusajs/framework/types"
import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, capturePaymentWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import type { LedgerOrderInput, RecordLedgerTransactionsInput } from "../../modules/order-ledger/types"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { exactDecimal } from "../../utils/money"
import { requestHash } from "../../utils/request-hash"
import { findLedgerReplayStep, replayOutput } from "../steps/capture-find-ledger-replay"
import { recordLedgerMirrorStep } from "../steps/capture-record-ledger-mirror"
import { validateLedgerCaptureStep, type LedgerCapturePlan } from "../steps/capture-validate-ledger-authorization"
import { retrieveLedgerOrdersStep } from "../steps/retrieve-ledger-orders"
import { retrieveLedgerTransactionOrderStep } from "../steps/retrieve-ledger-transaction-order"
import { LEDGER_LOCK_OPTIONS, ledgerLockKeys } from "../utils/ledger-lock"
import { publishLedgerChangesStep } from "../steps/publish-ledger-changes"

/**
 * Input of {@link captureLedgerAuthorizationWorkflow}.
 *
 * @example
 * const input: CaptureLedgerAuthorizationWorkflowInput = {
 *   transaction_id: "oltx_123",
 *   amount: 50,
 *   captured_by: "user_123",
 * }
 */
export type CaptureLedgerAuthorizationWorkflowInput = {
  /** The ledger authorization (`oltx_…`, reference `payment`) that mirrors a Medusa payment from checkout. */
  transaction_id: string
  /**
   * Positive, in the currency's major unit, with no more decimals than the currency has. Leave it
   * out to capture all that is left on the authorization, exactly (Medusa's amounts can carry more
   * decimals than the currency).
   */
  amount?: BigNumberInput | null
  /** Who captures (an admin user id), passed on to Medusa's capture. */
  captured_by?: string
  /**
   * A client's `Idempotency-Key`: a repeat with the same body answers the first capture's row
   * and calls no provider; the same key with another body is 409 `IDEMPOTENCY_KEY_MISMATCH`.
   */
  idempotency_key?: string
}

/**
 * What {@link captureLedgerAuthorizationWorkflow} did.
 *
 * @example
 * // { order_id: "order_123", transaction_id: "oltx_456", medusa_payment_id: "pay_1", medusa_capture_id: "capt_1", created: true, replayed: false }
 */
export type CaptureLedgerAuthorizationWorkflowOutput = {
  order_id: string
  /** The ledger payment (`oltx_…`, reference `capture`) that mirrors the new Medusa capture. */
  transaction_id: string
  /** The Medusa payment captured. */
  medusa_payment_id: string
  /** The new Medusa capture (`capt_…`). */
  medusa_capture_id: string
  /** False when the reconcile had already mirrored the capture (or on a replay), and its row is answered. */
  created: boolean
  /** True when an earlier request with the same idempotency key made this capture. */
  replayed: boolean
}

export const captureLedgerAuthorizationWorkflowId = "capture-ledger-authorization"

/**
 * Captures an authorization that came from Medusa checkout through its payment provider, in full
 * (no `amount`: all that is left) or in part (the rest stays authorized and can be captured
 * later), and records the capture in the ledger exactly once.
 *
 * Under the order's ledger lock, from the check to the ledger write: a repeat of an earlier
 * request with the same `Idempotency-Key` answers that request's row and calls no provider;
 * otherwise it checks the authorization and the amount against what is left (so racing captures
 * of one authorization never capture more than it holds), and that the ledger and Medusa agree on
 * it, then runs Medusa's own `capturePaymentWorkflow` (the provider captures, Medusa
 * adds its capture and its core order transaction), then records the ledger payment: reference
 * `capture`, `reference_id` the new `capt_…`, parent the authorization, the exact Medusa amount,
 * the authorization's gateway, method and card. Nothing is added to Medusa's core order
 * transactions by the ledger (Medusa's capture flow added its own). Should the reconcile have
 * mirrored the capture first, its row is the answer. Money a provider captured is not given back
 * by a compensation: should the ledger write fail, Medusa keeps its capture and the reconcile
 * brings it into the ledger. Emits `order_transaction.created` for a new row.
 *
 * @example
 * // Capture $50.00 of an authorization; the rest stays authorized.
 * const { result } = await captureLedgerAuthorizationWorkflow(container).run({
 *   input: { transaction_id: "oltx_123", amount: 50, captured_by: "user_123" },
 * })
 *
 * @example
 * // Capture all that is left.
 * await captureLedgerAuthorizationWorkflow(container).run({ input: { transaction_id: "oltx_123" } })
 */
export const captureLedgerAuthorizationWorkflow = createWorkflow(
  captureLedgerAuthorizationWorkflowId,
  (input: WorkflowData<CaptureLedgerAuthorizationWorkflowInput>) => {
    const orderId = retrieveLedgerTransactionOrderStep({ id: input.transaction_id })
    const orderIds = transform({ orderId }, ({ orderId }) => [orderId])
    const lockKeys = transform({ orderIds }, ({ orderIds }) => ledgerLockKeys(orderIds))
    acquireLockStep({ key: lockKeys, ...LEDGER_LOCK_OPTIONS })

    const replay = findLedgerReplayStep(transform({ input }, ({ input }) => ({ idempotency: captureIdempotency(input) })))

    const captured = when("capture-through-medusa", { replay }, ({ replay }) => !replay).then(() => {
      const orders = retrieveLedgerOrdersStep({ order_ids: orderIds })
      const order = transform({ orders }, ({ orders }) => orders[0])

      const validateInput = transform({ input, order }, ({ input, order }) => ({
        order,
        transaction_id: input.transaction_id,
        amount: input.amount,
      }))
      const plan = validateLedgerCaptureStep(validateInput)

      const captureInput = transform({ plan, input }, ({ plan, input }) => ({
        payment_id: plan.medusa_payment_id,
        amount: plan.amount,
        captured_by: input.captured_by,
      }))
      const payment = capturePaymentWorkflow.runAsStep({ input: captureInput })

      const recordInput = transform({ order, plan, payment, input }, buildCaptureRecordInput)
      const result = recordLedgerMirrorStep(recordInput)

      // No event for a row the reconcile recorded (it emitted its own): `created` is then empty.
      // (A `when` cannot nest in another's `then` in Medusa 2.21, hence no `when` here.)

      return transform(
        { result, plan, recordInput },
        ({ result, plan, recordInput }): CaptureLedgerAuthorizationWorkflowOutput => ({
          order_id: result.order_id,
          transaction_id: result.transaction_ids[0],
          medusa_payment_id: plan.medusa_payment_id,
          medusa_capture_id: recordInput.transactions[0].reference_id as string,
          created: !result.replayed,
          replayed: false,
        })
      )
    })

    publishLedgerChangesStep()
    releaseLockStep({ key: lockKeys })

    const output = transform(
      { captured, replay },
      ({ captured, replay }): CaptureLedgerAuthorizationWorkflowOutput => {
        if (captured) {
          return captured
        }
        const { reference_id, ...first } = replayOutput(replay)
        return { ...first, medusa_capture_id: reference_id as string }
      }
    )
    return new WorkflowResponse(output)
  }
)

/**
 * The request's idempotency key and the hash it is bound to (the authorization and the amount
 * asked), if it has a key.
 *
 * @example
 * captureIdempotency({ transaction_id: "oltx_1", amount: 50, idempotency_key: "k1" }) // { key: "k1", request_hash: "…" }
 */
export function captureIdempotency(input: CaptureLedgerAuthorizationWorkflowInput) {
  return input.idempotency_key
    ? { key: input.idempotency_key, request_hash: requestHash("capture", input.transaction_id, { amount: input.amount }) }
    : undefined
}

type CaptureRecord = NonNullable<PaymentDTO["captures"]>[number]

/**
 * The capture Medusa's capture flow just made: the one of the payment's captures that was not
 * there before, of the amount asked (the newest, should two be new).
 *
 * @example
 * newMedusaCapture(payment, plan) // { id: "capt_2", amount: 50, … }
 */
export function newMedusaCapture(payment: PaymentDTO, plan: LedgerCapturePlan): CaptureRecord {
  const before = new Set(plan.medusa_capture_ids)
  const fresh = (payment.captures ?? []).filter((c) => !before.has(c.id))
  const asked = fresh.filter((c) => exactDecimal(c.raw_amount ?? c.amount) === plan.amount)
  const capture = (asked.length ? asked : fresh).sort(
    (a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime()
  )[0]
  if (!capture) {
    ledgerError(
      LedgerErrorCode.NOT_FOUND,
      `Medusa's capture flow answered payment ${payment.id} with no new capture; the reconcile will mirror it.`
    )
  }
  return capture
}

/**
 * The record call of a capture: the checked ledger payment of the plan, with the new Medusa
 * capture's id and exact amount.
 *
 * @example
 * const recordInput = transform({ order, plan, payment, input }, buildCaptureRecordInput)
 */
export function buildCaptureRecordInput({
  order,
  plan,
  payment,
  input,
}: {
  order: LedgerOrderInput
  plan: LedgerCapturePlan
  payment: PaymentDTO
  input: CaptureLedgerAuthorizationWorkflowInput
}): RecordLedgerTransactionsInput {
  const capture = newMedusaCapture(payment, plan)
  return {
    order,
    transactions: [
      {
        ...plan.item,
        amount: exactDecimal(capture.raw_amount ?? capture.amount) ?? plan.amount,
        reference_id: capture.id,
        occurred_at: capture.created_at ? new Date(capture.created_at).toISOString() : null,
      },
    ],
    idempotency: captureIdempotency(input),
    exact_amounts: true,
  }
}
