import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import {
  MEDUSA_ORDER_PAYMENT_FIELDS,
  toMedusaOrderPayments,
  type MedusaOrderPayments,
  type QueryOrderWithPayments,
} from "../utils/medusa-payments"

/**
 * Input of {@link listMedusaPaymentsStep}.
 *
 * @example
 * const input: ListMedusaPaymentsStepInput = { order_ids: ["order_123"], throw_if_missing: true }
 */
export type ListMedusaPaymentsStepInput = {
  /** The orders to read (one batch, e.g. up to 500). */
  order_ids: string[]
  /** Throw `NOT_FOUND` when an order is missing (default false: missing orders are left out). */
  throw_if_missing?: boolean
}

export const listMedusaPaymentsStepId = "list-medusa-payments"

/**
 * Reads orders with Medusa's own payment records in one Query call: order → payment_collections →
 * payments (amount, currency, provider, data, canceled_at) → captures and refunds, plus the
 * order's current total. Amounts come back as exact decimal strings.
 *
 * @example
 * const orders = listMedusaPaymentsStep({ order_ids: ["order_123"] })
 */
export const listMedusaPaymentsStep = createStep(
  listMedusaPaymentsStepId,
  async (input: ListMedusaPaymentsStepInput, { container }) => {
    const ids = [...new Set(input.order_ids)]
    if (!ids.length) {
      return new StepResponse([] as MedusaOrderPayments[])
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: MEDUSA_ORDER_PAYMENT_FIELDS,
      filters: { id: ids },
    })
    const orders = (data as unknown as QueryOrderWithPayments[]).map(toMedusaOrderPayments)
    if (input.throw_if_missing && orders.length !== ids.length) {
      const found = new Set(orders.map((o) => o.order.id))
      ledgerError(
        LedgerErrorCode.NOT_FOUND,
        `Order with id: ${ids.filter((id) => !found.has(id)).join(", ")} was not found.`
      )
    }
    return new StepResponse(orders)
  }
)
