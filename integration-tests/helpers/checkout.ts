import type { AxiosInstance } from "axios"
import { setTimeout as sleep } from "timers/promises"

type RequestOptions = { headers: Record<string, string> }

/** What a store needs before a customer can check out: region, channel, key, a product. */
export interface CheckoutStore {
  region_id: string
  sales_channel_id: string
  publishable_key: string
  variant_id: string
  /** The variant's price in the region's currency, before tax. */
  unit_price: number
  /** The region's currency. */
  currency_code: string
  /** The customer's country (taxes apply by it). */
  country_code: string
}

/**
 * Sets a store up over the admin API as a merchant would: a USD region paid through Medusa's
 * system payment provider (`pp_system_default`), a sales channel with a publishable API key, and
 * a published product whose variant costs `unit_price` (no inventory, no shipping profile, so a
 * cart needs no shipping method).
 */
export async function setUpCheckoutStore(
  api: AxiosInstance,
  admin: RequestOptions,
  {
    unit_price = 150,
    currency_code = "usd",
    country_code = "us",
    tax_rate,
  }: { unit_price?: number; currency_code?: string; country_code?: string; tax_rate?: number } = {}
): Promise<CheckoutStore> {
  const { data: region } = await api.post(
    "/admin/regions",
    { name: `Region ${country_code}`, currency_code, countries: [country_code], payment_providers: ["pp_system_default"] },
    admin
  )
  if (tax_rate !== undefined) {
    // A percentage tax, as real stores have: Medusa's totals then carry more decimals than the currency.
    await api.post(
      "/admin/tax-regions",
      { country_code, provider_id: "tp_system", default_tax_rate: { rate: tax_rate, code: "VAT", name: "VAT" } },
      admin
    )
  }
  const { data: channel } = await api.post("/admin/sales-channels", { name: "Webshop" }, admin)
  const { data: key } = await api.post("/admin/api-keys", { title: "Storefront", type: "publishable" }, admin)
  await api.post(`/admin/api-keys/${key.api_key.id}/sales-channels`, { add: [channel.sales_channel.id] }, admin)
  const { data: product } = await api.post(
    "/admin/products",
    {
      title: "Ledger T-shirt",
      status: "published",
      options: [{ title: "Size", values: ["M"] }],
      variants: [
        {
          title: "M",
          options: { Size: "M" },
          manage_inventory: false,
          prices: [{ currency_code, amount: unit_price }],
        },
      ],
      sales_channels: [{ id: channel.sales_channel.id }],
    },
    admin
  )
  return {
    region_id: region.region.id,
    sales_channel_id: channel.sales_channel.id,
    publishable_key: key.api_key.token,
    variant_id: product.product.variants[0].id,
    unit_price,
    currency_code,
    country_code,
  }
}

/**
 * Places an order through Medusa's store cart flow over HTTP, exactly as a storefront does:
 * create a cart with a line item, create its payment collection, start a payment session with
 * the system provider, complete the cart. Answers the order id and the cart.
 */
export async function checkout(
  api: AxiosInstance,
  store: CheckoutStore,
  { quantity = 1, email = "buyer@ledger.test" }: { quantity?: number; email?: string } = {}
) {
  const storeHeaders = { headers: { "x-publishable-api-key": store.publishable_key } }
  const { data: cartBody } = await api.post(
    "/store/carts",
    {
      region_id: store.region_id,
      sales_channel_id: store.sales_channel_id,
      email,
      shipping_address: { country_code: store.country_code, first_name: "Ada", last_name: "Buyer", address_1: "Street 1", city: "Town", postal_code: "10115" },
      items: [{ variant_id: store.variant_id, quantity }],
    },
    storeHeaders
  )
  const cartId = cartBody.cart.id as string
  const { data: collection } = await api.post("/store/payment-collections", { cart_id: cartId }, storeHeaders)
  await api.post(
    `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`,
    { provider_id: "pp_system_default" },
    storeHeaders
  )
  const { data: completed } = await api.post(`/store/carts/${cartId}/complete`, {}, storeHeaders)
  if (completed.type !== "order") {
    throw new Error(`cart did not complete: ${JSON.stringify(completed)}`)
  }
  return { order_id: completed.order.id as string, cart_id: cartId }
}

/** Medusa's payments of an order, with their captures and refunds, through the admin API. */
export async function medusaPayments(api: AxiosInstance, admin: RequestOptions, orderId: string) {
  const fields = [
    "id",
    "payment_collections.payments.id",
    "payment_collections.payments.amount",
    "payment_collections.payments.canceled_at",
    "payment_collections.payments.captures.id",
    "payment_collections.payments.captures.amount",
    "payment_collections.payments.refunds.id",
    "payment_collections.payments.refunds.amount",
  ].join(",")
  const { data } = await api.get(`/admin/orders/${orderId}?fields=${fields}`, admin)
  type Payment = {
    id: string
    amount: number
    canceled_at: string | null
    captures: { id: string; amount: number }[]
    refunds: { id: string; amount: number }[]
  }
  return (data.order.payment_collections as { payments: Payment[] }[]).flatMap((c) => c.payments)
}

/** Polls `check` until it answers something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 100 } = {}
): Promise<T> {
  const until = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) {
        return value
      }
    } catch (error) {
      last = error
    }
    if (Date.now() > until) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`)
    }
    await sleep(intervalMs)
  }
}
