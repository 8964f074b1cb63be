import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * Creates a real Medusa order through the Order module: one line of `total` in `currency_code`,
 * so its summary's current order total is `total`.
 */
export async function createOrder(
  container: MedusaContainer,
  { total = 190, currency_code = "usd", email = "buyer@ledger.test" }: {
    total?: number | string
    currency_code?: string
    email?: string
  } = {}
) {
  const orderModule = container.resolve(Modules.ORDER)
  const order = await orderModule.createOrders({
    currency_code,
    email,
    items: [{ title: "Ledger test item", quantity: 1, unit_price: total }],
  })
  return order
}
