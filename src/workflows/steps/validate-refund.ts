import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { checkRefundGuard, replayOf, reversalAmount } from "../../modules/order-ledger/planning"
import type { LedgerOrderInput, LedgerTransactionRow } from "../../modules/order-ledger/types"
import {
  TransactionKind,
  TransactionReference,
  TransactionStatus,
} from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import {
  fitWithinRounding,
  refundFigures,
  refundFiguresDetails,
  throwIfNotRefundable,
  throwIfParentMissing,
} from "../../utils/ledger-rules"
import { formatMoney, parseAmount, parseAmountOrZero, toDecimalString } from "../../utils/money"
import { sumMedusaAmounts } from "../utils/medusa-payments"

/** The kinds the refund workflow records: a refund, or a chargeback guarded the same way. */
export type RefundKind = typeof TransactionKind.REFUND | typeof TransactionKind.CHARGEBACK

/** The statuses a refund may be recorded with. */
export type RefundStatus = typeof TransactionStatus.PENDING | typeof TransactionStatus.SUCCEEDED

/**
 * Input of {@link validateRefundStep}.
 *
 * @example
 * validateRefundStep({ order, transaction_id: "oltx_123", amount: 25, previously_refunded_amount: 0 })
 */
export type ValidateRefundStepInput = {
  /** The payment's order, with Medusa's current total. */
  order: LedgerOrderInput
  /** The ledger payment to refund. */
  transaction_id: string
  /** Positive, in the currency's major unit; none means all that is left. */
  amount?: BigNumberInput | null
  /** What the caller believes was refunded (succeeded + pending) so far. */
  previously_refunded_amount?: BigNumberInput | null
  status?: RefundStatus
  kind?: RefundKind
  /** The request's `Idempotency-Key` and hash: a repeat of a finished refund skips the figure checks. */
  idempotency?: { key: string; request_hash: string }
}

/**
 * The payment being refunded, as the refund workflow needs it.
 *
 * @example
 * // { id: "oltx_123", kind: "payment", status: "succeeded", amount: "100", reference: "manual", … }
 */
export type RefundParent = Pick<
  LedgerTransactionRow,
  | "id"
  | "order_id"
  | "kind"
  | "status"
  | "amount"
  | "currency_code"
  | "reference"
  | "reference_id"
  | "payment_method"
  | "gateway"
  | "card_brand"
  | "card_last4"
  | "medusa_payment_id"
>

/**
 * What {@link validateRefundStep} found: the payment, and the Medusa payment to refund through, if any.
 *
 * @example
 * // { parent: { id: "oltx_123", reference: "capture", reference_id: "capt_1", … }, medusa_payment_id: "pay_1", replay: false }
 */
export type RefundPlan = {
  parent: RefundParent
  /**
   * The Medusa payment (`pay_…`) whose capture the ledger payment mirrors: the refund then runs
   * through Medusa's own refund flow so the provider pays the money back. Null for payments
   * recorded in the ledger only.
   */
  medusa_payment_id: string | null
  /** True when the idempotency key was already used for this very request: a replay. */
  replay: boolean
}

export const validateRefundStepId = "validate-order-transaction-refund"

/**
 * Checks a refund before anything is written: the amount against the currency's decimals, that
 * the transaction is a succeeded payment, the caller's `previously_refunded_amount` and what is
 * left to refund (read now, under Medusa's lock on the order; the module checks again under the
 * row lock when it writes). For a payment that mirrors a Medusa capture it also finds the Medusa
 * payment and checks that Medusa has as much left to refund, before any provider is called.
 *
 * @example
 * const plan = validateRefundStep({ order, transaction_id: "oltx_123", amount: 25 })
 */
export const validateRefundStep = createStep(
  validateRefundStepId,
  async (input: ValidateRefundStepInput, { container }) => {
    const { order } = input
    const kind = input.kind ?? TransactionKind.REFUND
    const status = input.status ?? TransactionStatus.SUCCEEDED
    const amount =
      input.amount === undefined || input.amount === null
        ? null
        : parseAmount(input.amount, order.currency_code, "amount")
    if (input.previously_refunded_amount !== undefined && input.previously_refunded_amount !== null) {
      parseAmountOrZero(input.previously_refunded_amount, order.currency_code, "previously_refunded_amount")
    }

    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const { parents, children } = await ledger.listFamilies([input.transaction_id])
    const found = parents[0]
    throwIfParentMissing("transaction_id", input.transaction_id, found, order.id)
    throwIfNotRefundable("transaction_id", kind, found)

    const replay = await isReplay(ledger, input.idempotency)
    const [row] = await ledger.listTransactionPage({ id: found.id }, { limit: 1 })
    const parent = toRefundParent(row)
    if (replay) {
      // A repeat of a refund that was recorded: the figures moved since, so answer the first answer.
      const medusaPaymentId = refundsThroughMedusa(parent, kind)
        ? (await medusaRefundFigures(container, parent)).payment_id
        : null
      return new StepResponse<RefundPlan>({ parent, medusa_payment_id: medusaPaymentId, replay: true })
    }

    // The same checks the module runs again under the order's row lock when it records.
    const guard = { parent_id: found.id, previously_refunded_amount: input.previously_refunded_amount }
    checkRefundGuard(guard, kind, found, children, order)
    const wanted = reversalAmount("refund", kind, amount, status, found, children, order.currency_code)

    if (!refundsThroughMedusa(parent, kind)) {
      return new StepResponse<RefundPlan>({ parent, medusa_payment_id: null, replay: false })
    }

    if (input.status === TransactionStatus.PENDING) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `status: payment ${parent.id} came from Medusa capture ${parent.reference_id}, so its refund runs ` +
          "through Medusa's refund flow and succeeds or fails at once; pending is for refunds recorded by hand."
      )
    }
    const medusa = await medusaRefundFigures(container, parent)
    if (fitWithinRounding(wanted, medusa.refundable, order.currency_code) === null) {
      ledgerError(
        LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
        `amount ${formatMoney(wanted, order.currency_code)} exceeds what Medusa payment ${medusa.payment_id} has ` +
          `left to refund: ${formatMoney(medusa.refundable, order.currency_code)}.`,
        {
          ...refundFiguresDetails(found, refundFigures(found, children), order.currency_code),
          medusa_payment_id: medusa.payment_id,
          medusa_refundable_amount: Number(toDecimalString(medusa.refundable)),
        }
      )
    }
    return new StepResponse<RefundPlan>({ parent, medusa_payment_id: medusa.payment_id, replay: false })
  }
)

/**
 * A payment that mirrors a Medusa capture is refunded through Medusa's refund flow, so the
 * provider pays the money back (a chargeback is not: the card network took the money). An
 * outside payment carried as a system-provider payment is refunded in the ledger first and then
 * in Medusa's payment module (`createMedusaRefunds`), with no credit line.
 */
function refundsThroughMedusa(parent: RefundParent, kind: RefundKind): boolean {
  return parent.reference === TransactionReference.CAPTURE && !!parent.reference_id && kind === TransactionKind.REFUND
}

/**
 * True when the key was used for this very request; `IDEMPOTENCY_KEY_MISMATCH` when it was used
 * for another. The module checks again when it writes.
 */
async function isReplay(
  ledger: OrderLedgerModuleService,
  idempotency: ValidateRefundStepInput["idempotency"]
): Promise<boolean> {
  if (!idempotency) {
    return false
  }
  const [existing] = await ledger.listLedgerIdempotencyKeys(
    { key: idempotency.key },
    { select: ["request_hash", "order_id", "transaction_ids"], take: 1 }
  )
  const stored = existing && { ...existing, transaction_ids: existing.transaction_ids as unknown as string[] }
  return !!replayOf(idempotency, stored ?? null)
}

function toRefundParent(row: LedgerTransactionRow): RefundParent {
  return {
    id: row.id,
    order_id: row.order_id,
    kind: row.kind,
    status: row.status,
    amount: row.amount,
    currency_code: row.currency_code,
    reference: row.reference,
    reference_id: row.reference_id ?? null,
    payment_method: row.payment_method,
    gateway: row.gateway,
    card_brand: row.card_brand ?? null,
    card_last4: row.card_last4 ?? null,
    medusa_payment_id: row.medusa_payment_id ?? null,
  }
}

/**
 * The Medusa payment whose capture a ledger payment mirrors and what it has left to refund (captured − refunded), or `NOT_REFUNDABLE` when
 * Medusa has no such payment.
 */
async function medusaRefundFigures(container: MedusaContainer, parent: RefundParent) {
  const payments = container.resolve(Modules.PAYMENT)
  const captureId = parent.reference_id as string
  const [capture] = await payments.listCaptures({ id: captureId }, { relations: ["payment"], take: 1 })
  if (!capture?.payment?.id) {
    ledgerError(
      LedgerErrorCode.NOT_REFUNDABLE,
      `transaction_id: payment ${parent.id} mirrors Medusa capture ${captureId}, which Medusa does not have; ` +
        "it cannot be refunded through Medusa.",
      { parent_id: parent.id, capture_id: captureId }
    )
  }
  const payment = await payments.retrievePayment(capture.payment.id, { relations: ["captures", "refunds"] })
  if (payment.currency_code.toLowerCase() !== parent.currency_code.toLowerCase()) {
    ledgerError(
      LedgerErrorCode.CURRENCY_MISMATCH,
      `Medusa payment ${payment.id} is in ${payment.currency_code} but payment ${parent.id} is in ${parent.currency_code}.`
    )
  }
  const refundable = MathBN.max(MathBN.sub(sumMedusaAmounts(payment.captures), sumMedusaAmounts(payment.refunds)), 0)
  return { payment_id: payment.id, refundable }
}
