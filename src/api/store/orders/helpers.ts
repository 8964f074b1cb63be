import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LedgerErrorCode, ledgerError } from "../../../utils/errors"
import { fieldName } from "./validators"

type Row = Record<string, unknown>

/**
 * The one answer for an order a customer may not see, whether it does not exist or belongs to
 * someone else: the same status and the same body, so order ids cannot be probed.
 */
export const STORE_ORDER_NOT_FOUND_MESSAGE = "Order not found."

/**
 * Checks that the order exists, is not a draft and belongs to the signed-in customer, as Medusa's
 * own `GET /store/orders` does (`customer_id` = the auth context's `actor_id`); otherwise answers
 * `NOT_FOUND` with {@link STORE_ORDER_NOT_FOUND_MESSAGE}.
 */
export async function retrieveCustomerOrderId(
  scope: MedusaContainer,
  orderId: string,
  customerId: string
): Promise<string> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "customer_id"],
    filters: { id: orderId, is_draft_order: false },
  })
  const [order] = data as { id: string; customer_id: string | null }[]
  if (!order || !customerId || order.customer_id !== customerId) {
    ledgerError(LedgerErrorCode.NOT_FOUND, STORE_ORDER_NOT_FOUND_MESSAGE)
  }
  return order.id
}

/**
 * The keys a store answer carries: all public `keys`, or the request's `fields` applied to them
 * the way Medusa reads `fields` (a plain list replaces, `+f` adds, `-f` removes). The validator
 * has already refused anything outside `keys`.
 */
export function selectedKeys(fields: string | undefined, keys: readonly string[], always: readonly string[] = []) {
  const entries = (fields ?? "").split(",").filter((entry) => fieldName(entry) !== "")
  if (!entries.length) {
    return [...keys]
  }
  const replaces = entries.some((entry) => !/^[-+ \t]/.test(entry))
  const selected = new Set<string>(replaces ? [] : keys)
  for (const entry of entries) {
    const name = fieldName(entry)
    if (entry.startsWith("-")) {
      selected.delete(name)
    } else {
      selected.add(name)
    }
  }
  for (const name of always) {
    selected.add(name)
  }
  return keys.filter((key) => selected.has(key))
}

/** A copy of `row` with only the allow-listed `keys` it has: the store routes' last line of defence. */
export function pickKeys(row: Row, keys: readonly string[]): Row {
  const picked: Row = {}
  for (const key of keys) {
    if (key in row) {
      picked[key] = row[key]
    }
  }
  return picked
}
