import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"

type Headers = Record<string, string>

/**
 * Creates a publishable API key linked to a new sales channel, through the admin API as a
 * merchant would in the dashboard, and answers its token (the `x-publishable-api-key` value).
 */
export async function createPublishableKey(api: AxiosInstance, admin: { headers: Headers }) {
  const { data: channel } = await api.post("/admin/sales-channels", { name: "Webshop" }, admin)
  const { data: key } = await api.post("/admin/api-keys", { title: "Storefront", type: "publishable" }, admin)
  await api.post(
    `/admin/api-keys/${key.api_key.id}/sales-channels`,
    { add: [channel.sales_channel.id] },
    admin
  )
  return { token: key.api_key.token as string, sales_channel_id: channel.sales_channel.id as string }
}

/**
 * Signs a customer up the way a storefront does: registers an emailpass identity
 * (`POST /auth/customer/emailpass/register`), creates the customer with that token
 * (`POST /store/customers`), then logs in (`POST /auth/customer/emailpass`) for a token that
 * carries the customer as `actor_id`. Answers the customer, the token, and request options with
 * both the bearer token and the publishable key.
 */
export async function registerCustomer(
  api: AxiosInstance,
  publishableKey: string,
  { email, password = "correct horse battery staple", first_name = "Test" }: {
    email: string
    password?: string
    first_name?: string
  }
) {
  const storeHeaders: Headers = { "x-publishable-api-key": publishableKey }
  const { data: registration } = await api.post("/auth/customer/emailpass/register", { email, password })
  const { data: created } = await api.post(
    "/store/customers",
    { email, first_name },
    { headers: { ...storeHeaders, authorization: `Bearer ${registration.token}` } }
  )
  const { data: login } = await api.post("/auth/customer/emailpass", { email, password })
  const token = login.token as string
  return {
    customer: created.customer as { id: string; email: string },
    token,
    headers: { headers: { ...storeHeaders, authorization: `Bearer ${token}` } as Headers },
  }
}

/**
 * Creates a placed (non-draft) order for a customer through the Order module: one line of
 * `total` in `currency_code`, so its current order total is `total`.
 */
export async function createCustomerOrder(
  container: MedusaContainer,
  { customer_id, email, total = 190, currency_code = "usd" }: {
    customer_id: string
    email: string
    total?: number | string
    currency_code?: string
  }
) {
  const orderModule = container.resolve(Modules.ORDER)
  return orderModule.createOrders({
    customer_id,
    currency_code,
    email,
    items: [{ title: "Ledger test item", quantity: 1, unit_price: total }],
  })
}
