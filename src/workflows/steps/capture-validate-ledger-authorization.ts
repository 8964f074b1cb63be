import type { BigNumberInput, MedusaContainer, PaymentDTO } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type {
  LedgerOrderInput,
  LedgerTransactionInput,
  LedgerTransactionRow,
} from "../../modules/order-ledger/types"
import { TransactionKind, TransactionReference, TransactionStatus } from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import {
  authorizationRemaining,
  checkRecordItem,
  throwIfCurrencyMismatch,
  throwIfExceedsAuthorization,
  throwIfNotCapturable,
} from "../../utils/ledger-rules"
import {
  currencyDecimals,
  exactDecimal,
  formatMoney,
  parseAmount,
  toDecimalString,
  type Decimal,
} from "../../utils/money"
import { sumMedusaAmounts } from "../utils/medusa-payments"

/**
 * What the provider actions (capture and void of an authorization that came from Medusa
 * checkout) check before a provider is called, all read under the order's ledger lock. The
 * capture's checks are here; the void's, in `void-validate-ledger-authorization.ts`, share
 * {@link loadMedusaAuthorization}.
 */

/** The provider action a check is made for: it words the messages. */
export type ProviderAction = "capture" | "void"

/**
 * The ledger authorization a provider action acts on, as the workflows need it.
 *
 * @example
 * // { id: "oltx_1", order_id: "order_1", amount: "150", currency_code: "usd", reference_id: "pay_1", gateway: "pp_system_default", … }
 */
export type ProviderAuthorization = Pick<
  LedgerTransactionRow,
  | "id"
  | "order_id"
  | "amount"
  | "currency_code"
  | "reference_id"
  | "payment_method"
  | "gateway"
  | "card_brand"
  | "card_last4"
>

/**
 * A ledger authorization from Medusa checkout and its Medusa payment, with what each says is
 * left, read by {@link loadMedusaAuthorization}.
 *
 * @example
 * const loaded = await loadMedusaAuthorization(container, "oltx_1", order, "capture")
 * // loaded.remaining: "150", loaded.medusa_remaining: "150", loaded.payment.id: "pay_1"
 */
export type LoadedMedusaAuthorization = {
  authorization: ProviderAuthorization
  /** What the ledger has left on the authorization: amount − its captures and voids (not failed). */
  remaining: Decimal
  /** The Medusa payment (`pay_…`) with its captures. */
  payment: PaymentDTO
  /** Medusa's captures of the payment, summed exactly. */
  medusa_captured: Decimal
  /** What Medusa has left to capture: the payment's amount − its captures. */
  medusa_remaining: Decimal
}

/**
 * Reads a ledger authorization and the Medusa payment it mirrors, and checks what every provider
 * action needs: the row exists on the order (`NOT_FOUND`), is a succeeded authorization
 * (`INVALID_DATA`) that came from Medusa checkout (reference `payment`; a bookkeeping
 * authorization has no provider behind it, and the message says how to record its capture or void
 * instead), and Medusa has the payment in the same currency.
 *
 * @example
 * const { authorization, payment, remaining } = await loadMedusaAuthorization(container, "oltx_1", order, "void")
 */
export async function loadMedusaAuthorization(
  container: MedusaContainer,
  transactionId: string,
  order: LedgerOrderInput,
  action: ProviderAction
): Promise<LoadedMedusaAuthorization> {
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const [row] = await ledger.listTransactionPage({ id: transactionId }, { limit: 1 })
  if (!row || row.order_id !== order.id) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Order transaction with id: ${transactionId} was not found.`)
  }
  const verb = action === "capture" ? "captured" : "voided"
  if (row.kind !== TransactionKind.AUTHORIZATION) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `transaction ${row.id} is a ${row.kind}, not an authorization: only an authorization that came from ` +
        `Medusa checkout can be ${verb} through its payment provider.`
    )
  }
  if (row.reference !== TransactionReference.PAYMENT || !row.reference_id) {
    const bookkeeping =
      action === "capture"
        ? `record a payment with parent_id ${row.id}`
        : `record a void with parent_id ${row.id}`
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `authorization ${row.id} was recorded in the ledger (reference ${row.reference}), not by Medusa checkout, ` +
        `so no payment provider holds it: a bookkeeping authorization is ${verb} by bookkeeping. To do that, ` +
        `${bookkeeping} through POST /admin/orders/${row.order_id}/transactions.`
    )
  }
  if (row.status !== TransactionStatus.SUCCEEDED) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `authorization ${row.id} is ${row.status}: only a succeeded authorization can be ${verb}.`
    )
  }

  const { children } = await ledger.listFamilies([row.id])
  const remaining = authorizationRemaining(row, children)

  const payments = container.resolve(Modules.PAYMENT)
  const [payment] = await payments.listPayments({ id: row.reference_id }, { relations: ["captures"], take: 1 })
  if (!payment) {
    ledgerError(
      LedgerErrorCode.NOT_FOUND,
      `authorization ${row.id} mirrors Medusa payment ${row.reference_id}, which Medusa does not have.`
    )
  }
  throwIfCurrencyMismatch(`Medusa payment ${payment.id}'s currency`, payment.currency_code, row.currency_code)
  const medusaCaptured = sumMedusaAmounts(payment.captures)
  const medusaRemaining = MathBN.max(MathBN.sub(exactDecimal(payment.raw_amount ?? payment.amount) ?? 0, medusaCaptured), 0)

  return {
    authorization: {
      id: row.id,
      order_id: row.order_id,
      amount: row.amount,
      currency_code: row.currency_code,
      reference_id: row.reference_id,
      payment_method: row.payment_method,
      gateway: row.gateway,
      card_brand: row.card_brand ?? null,
      card_last4: row.card_last4 ?? null,
    },
    remaining,
    payment,
    medusa_captured: medusaCaptured,
    medusa_remaining: medusaRemaining,
  }
}

/** The figures a provider action's errors carry, so a client can ask again with fresh ones. */
export function authorizationDetails(loaded: LoadedMedusaAuthorization) {
  return {
    transaction_id: loaded.authorization.id,
    medusa_payment_id: loaded.payment.id,
    authorization_remaining_amount: Number(toDecimalString(loaded.remaining)),
    medusa_remaining_amount: Number(toDecimalString(loaded.medusa_remaining)),
  }
}

/**
 * Throws unless the ledger and Medusa agree on what is left on the authorization. When Medusa has
 * less left (a capture made in Medusa that the ledger has not mirrored yet), 409
 * `CONCURRENT_REQUEST`: the reconcile brings it in, then the action can be asked again. When the
 * ledger has less left (a capture or void recorded by hand against the Medusa authorization), 400
 * `INVALID_DATA`: no retry helps.
 *
 * @example
 * throwIfLedgerDisagreesWithMedusa(loaded, "capture")
 */
export function throwIfLedgerDisagreesWithMedusa(loaded: LoadedMedusaAuthorization, action: ProviderAction): void {
  const { remaining, medusa_remaining: medusa, authorization, payment } = loaded
  if (MathBN.eq(remaining, medusa)) {
    return
  }
  const currency = authorization.currency_code
  const figures =
    `the ledger has ${formatMoney(remaining, currency)} left on authorization ${authorization.id} but Medusa ` +
    `payment ${payment.id} has ${formatMoney(medusa, currency)} left to capture`
  if (MathBN.gt(remaining, medusa)) {
    ledgerError(
      LedgerErrorCode.CONCURRENT_REQUEST,
      `Cannot ${action} yet: ${figures}. A capture made in Medusa is not in the ledger yet; retry in a moment, or run ` +
        `POST /admin/order-transactions/reconcile with order_ids ["${authorization.order_id}"] first.`,
      authorizationDetails(loaded)
    )
  }
  ledgerError(
    LedgerErrorCode.INVALID_DATA,
    `Cannot ${action}: ${figures}. Captures or voids recorded by hand against this authorization are not known ` +
      "to the payment provider.",
    authorizationDetails(loaded)
  )
}

/**
 * Input of {@link validateLedgerCaptureStep}.
 *
 * @example
 * validateLedgerCaptureStep({ order, transaction_id: "oltx_1", amount: 50 })
 */
export type ValidateLedgerCaptureStepInput = {
  /** The authorization's order, with Medusa's current total. */
  order: LedgerOrderInput
  /** The ledger authorization (`oltx_…`) to capture. */
  transaction_id: string
  /**
   * Positive, in the currency's major unit, with no more decimals than the currency has. None
   * means all that is left on the authorization (exactly, with Medusa's own precision).
   */
  amount?: BigNumberInput | null
}

/**
 * What {@link validateLedgerCaptureStep} found: the Medusa payment to capture, how much, and the
 * ledger payment to record once Medusa has captured it (all but the new capture's id).
 *
 * @example
 * // { medusa_payment_id: "pay_1", amount: "50", medusa_capture_ids: [], item: { kind: "payment", parent_id: "oltx_1", … } }
 */
export type LedgerCapturePlan = {
  authorization: ProviderAuthorization
  medusa_payment_id: string
  /** What to capture, an exact decimal string. */
  amount: string
  /** Medusa's captures of the payment before this one: the new capture is the one not among them. */
  medusa_capture_ids: string[]
  /** The ledger payment to record, checked already; its `reference_id` is the new capture's id. */
  item: LedgerTransactionInput
}

/**
 * The amount a capture takes: all that is left when none is given; else the typed amount, checked
 * against the currency's decimals. A typed amount that rounds, in the currency, to all that is
 * left (24.98 of 24.9781) takes exactly what is left, so the authorization is fully captured.
 *
 * @example
 * captureAmount(undefined, "24.9781", "eur") // 24.9781
 * captureAmount("24.98", "24.9781", "eur") // 24.9781
 * captureAmount("10", "24.9781", "eur") // 10
 */
export function captureAmount(amount: BigNumberInput | null | undefined, remaining: BigNumberInput, currencyCode: string): Decimal {
  if (amount === undefined || amount === null) {
    return MathBN.convert(remaining)
  }
  const typed = parseAmount(amount, currencyCode, "amount")
  const rounded = MathBN.convert(remaining).decimalPlaces(currencyDecimals(currencyCode))
  return MathBN.eq(typed, rounded) ? MathBN.convert(remaining) : typed
}

export const validateLedgerCaptureStepId = "validate-ledger-capture"

/**
 * Checks a capture before Medusa's capture flow calls the provider, under the order's ledger lock
 * (so racing captures each see what the one before them captured): the authorization came from
 * Medusa checkout, Medusa's payment is not canceled, the ledger and Medusa agree on what is left,
 * something is left, and the amount fits it. The ledger payment to record afterwards is checked
 * here with the same item check the module runs when it writes, so a capture the ledger could not
 * record is never made.
 *
 * @example
 * const plan = validateLedgerCaptureStep({ order, transaction_id: "oltx_1", amount: 50 })
 */
export const validateLedgerCaptureStep = createStep(
  validateLedgerCaptureStepId,
  async (input: ValidateLedgerCaptureStepInput, { container }) => {
    const { order } = input
    const loaded = await loadMedusaAuthorization(container, input.transaction_id, order, "capture")
    const { authorization, payment, remaining } = loaded
    const currency = authorization.currency_code
    if (payment.canceled_at) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `Medusa payment ${payment.id} of authorization ${authorization.id} was canceled: nothing is left to capture.`,
        authorizationDetails(loaded)
      )
    }
    if (!MathBN.gt(remaining, 0) && !MathBN.gt(loaded.medusa_remaining, 0)) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `Nothing is left to capture on authorization ${authorization.id}: it is fully captured or voided.`,
        authorizationDetails(loaded)
      )
    }
    throwIfLedgerDisagreesWithMedusa(loaded, "capture")

    const amount = captureAmount(input.amount, remaining, currency)
    const parent = { ...authorization, kind: TransactionKind.AUTHORIZATION, status: TransactionStatus.SUCCEEDED }
    throwIfNotCapturable("transaction_id", parent)
    throwIfExceedsAuthorization("amount", amount, remaining, parent, currency)

    const item: LedgerTransactionInput = {
      kind: TransactionKind.PAYMENT,
      status: TransactionStatus.SUCCEEDED,
      amount: toDecimalString(amount),
      currency_code: currency,
      parent_id: authorization.id,
      reference: TransactionReference.CAPTURE,
      payment_method: authorization.payment_method,
      gateway: authorization.gateway,
      card_brand: authorization.card_brand,
      card_last4: authorization.card_last4,
      metadata: { medusa_payment_id: payment.id },
    }
    // The module runs this same check when it records: a Medusa amount it would refuse is
    // refused here, before the provider captures anything. The amount is Medusa's (a typed one
    // was held to the currency's decimals above), so it is checked at Medusa's precision.
    checkRecordItem("capture", item, order.currency_code, false, true)

    return new StepResponse<LedgerCapturePlan>({
      authorization,
      medusa_payment_id: payment.id,
      amount: toDecimalString(amount),
      medusa_capture_ids: (payment.captures ?? []).map((c) => c.id),
      item,
    })
  }
)
