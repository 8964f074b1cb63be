import { Modules, PaymentCollectionStatus } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"

/**
 * Input of {@link voidMedusaPaymentStep}.
 *
 * @example
 * voidMedusaPaymentStep({ payment_id: "pay_123" })
 */
export type VoidMedusaPaymentStepInput = {
  /** The Medusa payment (`pay_…`) to cancel at its provider. */
  payment_id: string
}

/**
 * What {@link voidMedusaPaymentStep} did.
 *
 * @example
 * // { payment_id: "pay_123", canceled_at: "2026-12-01T10:00:00.000Z" }
 */
export type VoidMedusaPaymentStepOutput = {
  payment_id: string
  /** When Medusa marked the payment canceled, ISO 8601. */
  canceled_at: string
}

export const voidMedusaPaymentStepId = "void-medusa-payment"

/**
 * Cancels a Medusa payment through the payment module's `cancelPayment`, which calls the
 * payment provider's `cancelPayment` (the provider releases the authorization) and sets the
 * payment's `canceled_at`. Medusa 2.21 has no cancel-payment workflow, and core-flows'
 * `cancelPaymentStep` logs a provider's refusal and carries on, which would let the ledger record
 * a void the provider never made: this step lets the refusal fail the workflow instead, before
 * the ledger writes anything. No compensation: an authorization a provider released cannot be
 * taken back (as Medusa's own capture step does not give captured money back); should a later
 * step fail, the payment stays canceled and the reconcile brings its void into the ledger.
 *
 * @example
 * const canceled = voidMedusaPaymentStep({ payment_id: "pay_123" })
 */
export const voidMedusaPaymentStep = createStep(
  voidMedusaPaymentStepId,
  async (input: VoidMedusaPaymentStepInput, { container }) => {
    const payments = container.resolve(Modules.PAYMENT)
    const payment = await payments.cancelPayment(input.payment_id)
    const canceledAt = payment.canceled_at ? new Date(payment.canceled_at) : new Date()
    return new StepResponse<VoidMedusaPaymentStepOutput>({
      payment_id: payment.id,
      canceled_at: canceledAt.toISOString(),
    })
  }
)

/**
 * Input of {@link voidMedusaPaymentCollectionStep}.
 *
 * @example
 * voidMedusaPaymentCollectionStep({ payment_collection_id: "pay_col_123" })
 */
export type VoidMedusaPaymentCollectionStepInput = {
  /** The payment collection whose last open payment was canceled; null: nothing to do. */
  payment_collection_id: string | null
}

export const voidMedusaPaymentCollectionStepId = "void-medusa-payment-collection"

/**
 * Marks a payment collection canceled once its last open payment was canceled with nothing
 * captured, as Medusa's own `cancelPaymentCollectionWorkflow` and order cancel do, so Medusa's
 * payment status of the order (the order list's badge) says canceled, as the ledger does. No
 * compensation, for the reason of {@link voidMedusaPaymentStep}: the payment stays canceled. Does
 * nothing without a collection id.
 *
 * @example
 * voidMedusaPaymentCollectionStep({ payment_collection_id: "pay_col_123" })
 */
export const voidMedusaPaymentCollectionStep = createStep(
  voidMedusaPaymentCollectionStepId,
  async (input: VoidMedusaPaymentCollectionStepInput, { container }) => {
    if (!input.payment_collection_id) {
      return new StepResponse(null)
    }
    const payments = container.resolve(Modules.PAYMENT)
    const collection = await payments.updatePaymentCollections(input.payment_collection_id, {
      status: PaymentCollectionStatus.CANCELED,
    })
    return new StepResponse({ id: collection.id, status: collection.status })
  }
)
