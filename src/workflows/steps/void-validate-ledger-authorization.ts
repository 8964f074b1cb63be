import type { MedusaContainer, PaymentDTO } from "@medusajs/framework/types"
import { MathBN, Modules, PaymentCollectionStatus } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { LedgerOrderInput, LedgerTransactionInput } from "../../modules/order-ledger/types"
import { TransactionReference } from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { checkRecordItem } from "../../utils/ledger-rules"
import { exactDecimal, formatMoney } from "../../utils/money"
import type { MedusaPaymentRecord } from "../utils/medusa-payments"
import { planLedgerReconcile, type PlanLedgerRow } from "../utils/reconcile-plan"
import {
  authorizationDetails,
  loadMedusaAuthorization,
  type ProviderAuthorization,
} from "./capture-validate-ledger-authorization"

/**
 * Input of {@link validateLedgerVoidStep}.
 *
 * @example
 * validateLedgerVoidStep({ order, transaction_id: "oltx_1" })
 */
export type ValidateLedgerVoidStepInput = {
  /** The authorization's order, with Medusa's current total. */
  order: LedgerOrderInput
  /** The ledger authorization (`oltx_…`) to void. */
  transaction_id: string
}

/**
 * What {@link validateLedgerVoidStep} found: the Medusa payment to cancel, and what the reconcile
 * needs to plan the ledger's void once Medusa has canceled it (see {@link planLedgerVoid}).
 *
 * @example
 * // { medusa_payment_id: "pay_1", amount: "150", payment: { id: "pay_1", … }, rows: [{ id: "oltx_1", … }], cancel_payment_collection_id: "pay_col_1" }
 */
export type LedgerVoidPlan = {
  authorization: ProviderAuthorization
  medusa_payment_id: string
  /** What is left on the authorization, which the void takes: an exact decimal string. */
  amount: string
  /** Medusa's payment as the reconcile reads it (not canceled yet). */
  payment: MedusaPaymentRecord
  /** The authorization and its children, as the reconcile reads them. */
  rows: PlanLedgerRow[]
  /**
   * The payment's collection, when this payment is the last of it not canceled and nothing of it
   * is captured: Medusa's own cancel flows then mark the collection canceled, so Medusa's payment
   * status of the order says canceled, as the ledger does.
   */
  cancel_payment_collection_id: string | null
}

/**
 * The ledger's void of a canceled Medusa payment, planned by the reconcile's own planner, so the
 * provider action writes exactly the row the reconcile would (reference `payment_canceled`,
 * `reference_id` the `pay_…`, what was left on the authorization, parent the authorization).
 * Null when the ledger already has it or nothing is left.
 *
 * @example
 * const item = planLedgerVoid(order, plan, "2026-12-01T10:00:00.000Z")
 * // { kind: "void", amount: "150", reference: "payment_canceled", reference_id: "pay_1", parent_id: "oltx_1", … }
 */
export function planLedgerVoid(order: LedgerOrderInput, plan: LedgerVoidPlan, canceledAt: string): LedgerTransactionInput | null {
  const reconcile = planLedgerReconcile({ order, payments: [{ ...plan.payment, canceled_at: canceledAt }] }, plan.rows)
  const planned = reconcile.stages[2].find(
    (t) => t.reference === TransactionReference.PAYMENT_CANCELED && t.reference_id === plan.medusa_payment_id
  )
  if (!planned) {
    return null
  }
  const { key: _key, parent_key: _parentKey, ...item } = planned
  return item
}

/** Medusa's payment as the reconcile's planner reads it. */
function toMedusaPaymentRecord(payment: PaymentDTO): MedusaPaymentRecord {
  const iso = (value: string | Date | undefined) => (value ? new Date(value).toISOString() : new Date(0).toISOString())
  const record = {
    id: payment.id,
    amount: exactDecimal(payment.raw_amount ?? payment.amount) ?? "0",
    currency_code: payment.currency_code.toLowerCase(),
    provider_id: payment.provider_id,
    data: payment.data ?? null,
    created_at: iso(payment.created_at),
    canceled_at: null,
    // A payment from checkout: not made by the ledger for an outside payment.
    ledger_transaction_id: null,
    ledger_transaction_ids: [],
    // Checked to have none: a payment with captures is not voided.
    captures: [],
    refunds: [],
  }
  return record
}

/**
 * The payment's collection when canceling this payment leaves none of it authorized or captured;
 * else null.
 */
async function collectionToCancel(container: MedusaContainer, payment: PaymentDTO): Promise<string | null> {
  const payments = container.resolve(Modules.PAYMENT)
  const [collection] = await payments.listPaymentCollections(
    { id: payment.payment_collection_id },
    { select: ["id", "status"], relations: ["payments", "payments.captures"], take: 1 }
  )
  if (!collection || collection.status === PaymentCollectionStatus.CANCELED) {
    return null
  }
  const siblings = collection.payments ?? []
  const open = siblings.filter((p) => p.id !== payment.id && !p.canceled_at)
  const captured = siblings.some((p) => p.captured_at || (p.captures ?? []).length > 0)
  return open.length === 0 && !captured ? collection.id : null
}

export const validateLedgerVoidStepId = "validate-ledger-void"

/**
 * Checks a void before Medusa cancels the payment at its provider, under the order's ledger lock:
 * the authorization came from Medusa checkout, Medusa's payment is neither canceled already nor
 * captured (Medusa cannot cancel a payment that has captures: what was captured is given back
 * with a refund of its ledger payment), and something is left on the authorization. The void the
 * ledger will record is planned and checked here with the module's own item check, so a cancel
 * the ledger could not record is never made.
 *
 * @example
 * const plan = validateLedgerVoidStep({ order, transaction_id: "oltx_1" })
 */
export const validateLedgerVoidStep = createStep(
  validateLedgerVoidStepId,
  async (input: ValidateLedgerVoidStepInput, { container }) => {
    const { order } = input
    const loaded = await loadMedusaAuthorization(container, input.transaction_id, order, "void")
    const { authorization, payment, remaining } = loaded
    const currency = authorization.currency_code
    if (payment.canceled_at) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `Medusa payment ${payment.id} of authorization ${authorization.id} is already canceled. ` +
          `If the ledger does not show its void yet, run POST /admin/order-transactions/reconcile with order_ids ` +
          `["${order.id}"].`,
        authorizationDetails(loaded)
      )
    }
    const captures = payment.captures ?? []
    if (captures.length || payment.captured_at) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `Medusa cannot cancel payment ${payment.id} of authorization ${authorization.id}: it has captures ` +
          `(${formatMoney(loaded.medusa_captured, currency)} in ${captures.map((c) => c.id).join(", ") || "an automatic capture"}). ` +
          "Money captured goes back with a refund of its ledger payment (POST /admin/order-transactions/:id/refunds); " +
          "what is left uncaptured can be captured with POST /admin/order-transactions/:id/capture.",
        { ...authorizationDetails(loaded), medusa_capture_ids: captures.map((c) => c.id) }
      )
    }
    if (!MathBN.gt(remaining, 0)) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `Nothing is left to void on authorization ${authorization.id}.`,
        authorizationDetails(loaded)
      )
    }

    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const { parents, children } = await ledger.listFamilies([authorization.id])
    const plan: LedgerVoidPlan = {
      authorization,
      medusa_payment_id: payment.id,
      amount: MathBN.convert(remaining).toFixed(),
      payment: toMedusaPaymentRecord(payment),
      rows: [...parents, ...children],
      cancel_payment_collection_id: await collectionToCancel(container, payment),
    }
    // The void exactly as the reconcile would plan it once Medusa has canceled the payment, and
    // the same check the module runs when it records it.
    const item = planLedgerVoid(order, plan, new Date().toISOString())
    if (!item) {
      ledgerError(
        LedgerErrorCode.INVALID_DATA,
        `authorization ${authorization.id} already has the void of Medusa payment ${payment.id}.`,
        authorizationDetails(loaded)
      )
    }
    checkRecordItem("void", item, order.currency_code)
    return new StepResponse(plan)
  }
)
