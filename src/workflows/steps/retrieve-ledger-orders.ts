import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import type { LedgerOrderInput } from "../../modules/order-ledger/types"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { listLedgerOrders } from "../utils/order-totals"

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
 * Reads orders' currency and Medusa's current order total from the Order module, in one call.
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
    const orders = await listLedgerOrders(container, ids, { skipDraftOrders: input.skip_draft_orders })
    if (input.throw_if_missing !== false && orders.length !== ids.length) {
      const found = new Set(orders.map((o) => o.id))
      const missing = ids.filter((id) => !found.has(id))
      ledgerError(LedgerErrorCode.NOT_FOUND, `Order with id: ${missing.join(", ")} was not found.`)
    }
    return new StepResponse(orders)
  }
)
