import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type {
  RecordLedgerTransactionsInput,
  RecordLedgerTransactionsResult,
} from "../../modules/order-ledger/types"
import { LedgerErrorCode } from "../../utils/errors"

/**
 * What {@link recordLedgerMirrorStep} did: the record call's result, or, when the Medusa record
 * was already in the ledger, the existing row as a replay (`replayed: true`, so nothing is
 * emitted and nothing is compensated).
 *
 * @example
 * // { order_id: "order_1", transaction_ids: ["oltx_2"], replayed: false, voided_payment_ids: [], … }
 */
export type RecordLedgerMirrorStepOutput = RecordLedgerTransactionsResult

export const recordLedgerMirrorStepId = "record-ledger-mirror"

/**
 * Records the one ledger row that mirrors a Medusa record a provider action just made (the
 * capture `capt_…` of a capture, the cancellation `pay_…` of a void), exactly as
 * `recordLedgerTransactionsStep` does (checked under the order's row lock, balance refreshed in
 * the same database transaction), with one difference: when the reconcile mirrored the same
 * Medusa record first (the unique `(reference, reference_id)` index answers
 * `DUPLICATE_TRANSACTION`), the step answers that row instead of failing (and binds the request's
 * `Idempotency-Key` to it), so the provider action still answers its row and Medusa's own books
 * (the capture's core order transaction) are not compensated away. Compensation removes only what
 * this step wrote.
 *
 * Used by both provider actions (`captureLedgerAuthorizationWorkflow`, `voidLedgerAuthorizationWorkflow`).
 *
 * @example
 * const result = recordLedgerMirrorStep({ order, transactions: [{ kind: "payment", reference: "capture", reference_id: "capt_1", … }] })
 */
export const recordLedgerMirrorStep = createStep(
  recordLedgerMirrorStepId,
  async (input: RecordLedgerTransactionsInput, { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    try {
      const result = await ledger.recordTransactions(input)
      return new StepResponse<RecordLedgerMirrorStepOutput, RecordLedgerTransactionsResult>(result, result)
    } catch (error) {
      const existing = await mirroredAlready(ledger, input, error)
      if (!existing) {
        throw error
      }
      // The request's key answers the existing row from now on, as it would the row it recorded.
      const key = input.idempotency
        ? await ledger.createLedgerIdempotencyKeys({
            ...input.idempotency,
            order_id: input.order.id,
            transaction_ids: [existing] as unknown as Record<string, unknown>,
          })
        : null
      const replay: RecordLedgerMirrorStepOutput = {
        order_id: input.order.id,
        transaction_ids: [existing],
        replayed: true,
        voided_payment_ids: [],
        idempotency_key_id: key?.id,
      }
      return new StepResponse<RecordLedgerMirrorStepOutput, RecordLedgerTransactionsResult>(replay, replay)
    }
  },
  async (result: RecordLedgerTransactionsResult | undefined, { container }) => {
    if (!result) {
      return
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    if (result.replayed) {
      // Only the key this step stored for a row the reconcile had recorded.
      if (result.idempotency_key_id) {
        await ledger.deleteLedgerIdempotencyKeys(result.idempotency_key_id)
      }
      return
    }
    await ledger.revertRecordedTransactions(result)
  }
)

/** The id of the order's row that already mirrors the one item of `input`, when `error` says it is there. */
async function mirroredAlready(
  ledger: OrderLedgerModuleService,
  input: RecordLedgerTransactionsInput,
  error: unknown
): Promise<string | null> {
  const [item] = input.transactions
  if ((error as { code?: unknown } | null)?.code !== LedgerErrorCode.DUPLICATE_TRANSACTION || !item?.reference_id) {
    return null
  }
  const [row] = await ledger.listLedgerTransactions(
    { reference: item.reference, reference_id: item.reference_id },
    { select: ["id", "order_id"], take: 1 }
  )
  return row && row.order_id === input.order.id ? row.id : null
}
