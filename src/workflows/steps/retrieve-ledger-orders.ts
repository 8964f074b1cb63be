import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import type { LedgerOrderInput } from "../../modules/order-ledger/types"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { LEDGER_ORDER_FIELDS, toLedgerOrder, type LedgerQueryOrder } from "../utils/order-totals"

/** Input of {@link retrieveLedgerOrdersStep}. */
export type RetrieveLedgerOrdersStepInput = {
  order_ids: string[]
  /** Throw `NOT_FOUND` when an order is missing (default true). */
  throw_if_missing?: boolean
  /** Leave draft orders out, as if missing (for refreshes triggered by order events). */
  skip_draft_orders?: boolean
}

export const retrieveLedgerOrdersStepId = "retrieve-ledger-orders"

/**
 * Reads orders' currency and Medusa's current order total through Query, in one call.
 *
 * @example
 * const orders = retrieveLedgerOrdersStep({ order_ids: [input.order_id] })
 */
export const retrieveLedgerOrdersStep = createStep(
  retrieveLedgerOrdersStepId,
  async (input: RetrieveLedgerOrdersStepInput, { container }) => {
    const ids = [...new Set(input.order_ids)]
    if (!ids.length) {
      return new StepResponse([] as LedgerOrderInput[])
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: LEDGER_ORDER_FIELDS,
      filters: input.skip_draft_orders ? { id: ids, is_draft_order: false } : { id: ids },
    })
    const orders = (data as unknown as LedgerQueryOrder[]).map(toLedgerOrder)
    if (input.throw_if_missing !== false && orders.length !== ids.length) {
      const found = new Set(orders.map((o) => o.id))
      const missing = ids.filter((id) => !found.has(id))
      ledgerError(LedgerErrorCode.NOT_FOUND, `Order with id: ${missing.join(", ")} was not found.`)
    }
    return new StepResponse(orders)
  }
)
