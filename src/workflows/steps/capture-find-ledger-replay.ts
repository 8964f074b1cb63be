import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import { replayOf } from "../../modules/order-ledger/planning"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/**
 * Input of {@link findLedgerReplayStep}.
 *
 * @example
 * findLedgerReplayStep({ idempotency: { key: "capture-2026-0042", request_hash: "9f2c…" } })
 */
export type FindLedgerReplayStepInput = {
  /** The request's `Idempotency-Key` and hash; none means the request is never a replay. */
  idempotency?: { key: string; request_hash: string }
}

/**
 * The row an earlier request with the same `Idempotency-Key` recorded, or null for a new key.
 *
 * @example
 * // { order_id: "order_1", transaction_id: "oltx_2", reference_id: "capt_1", medusa_payment_id: "pay_1" }
 */
export type LedgerReplay = {
  order_id: string
  transaction_id: string
  /** The row's Medusa record: the `capt_…` of a capture, the `pay_…` of a void. */
  reference_id: string | null
  /** The Medusa payment the row mirrors (its `metadata.medusa_payment_id`). */
  medusa_payment_id: string | null
} | null

/**
 * What a replay answers: the first request's row, created by it, not by this one.
 *
 * @example
 * replayOutput({ order_id: "order_1", transaction_id: "oltx_2", reference_id: "capt_1", medusa_payment_id: "pay_1" })
 * // { order_id: "order_1", transaction_id: "oltx_2", reference_id: "capt_1", medusa_payment_id: "pay_1", created: false, replayed: true }
 */
export function replayOutput(replay: LedgerReplay) {
  if (!replay) {
    return ledgerError(LedgerErrorCode.NOT_FOUND, "The provider action neither ran nor was a replay.")
  }
  return {
    order_id: replay.order_id,
    transaction_id: replay.transaction_id,
    reference_id: replay.reference_id,
    medusa_payment_id: replay.medusa_payment_id as string,
    created: false,
    replayed: true,
  }
}

export const findLedgerReplayStepId = "find-ledger-provider-action-replay"

/**
 * Tells a repeat of a provider action (same `Idempotency-Key`, same request) from a new one,
 * under the order's ledger lock and before any provider is called: a repeat answers the row the
 * first request recorded, and the provider is not called again (a capture retried after a lost
 * answer never captures twice). The same key with another request is 409
 * `IDEMPOTENCY_KEY_MISMATCH`. Used by both provider actions.
 *
 * @example
 * const replay = findLedgerReplayStep({ idempotency })
 */
export const findLedgerReplayStep = createStep(
  findLedgerReplayStepId,
  async (input: FindLedgerReplayStepInput, { container }) => {
    if (!input.idempotency) {
      return new StepResponse<LedgerReplay>(null)
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const [stored] = await ledger.listLedgerIdempotencyKeys(
      { key: input.idempotency.key },
      { select: ["request_hash", "order_id", "transaction_ids"], take: 1 }
    )
    const replay = replayOf(
      input.idempotency,
      stored ? { ...stored, transaction_ids: stored.transaction_ids as unknown as string[] } : null
    )
    if (!replay) {
      return new StepResponse<LedgerReplay>(null)
    }
    const [transactionId] = replay.transaction_ids
    const [row] = await ledger.listTransactionPage({ id: transactionId }, { limit: 1 })
    const paymentId = row?.metadata?.medusa_payment_id
    return new StepResponse<LedgerReplay>({
      order_id: replay.order_id,
      transaction_id: transactionId,
      reference_id: row?.reference_id ?? null,
      medusa_payment_id: typeof paymentId === "string" ? paymentId : null,
    })
  }
)
