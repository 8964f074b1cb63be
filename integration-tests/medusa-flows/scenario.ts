import type { AxiosInstance } from "axios"
import { setTimeout as sleep } from "timers/promises"

/**
 * Medusa's own flows, driven over Medusa's own admin and store HTTP API exactly as a storefront
 * and the dashboard drive them, on fresh data, recording every answer and, after every step that
 * changes an order, the order as the dashboard reads it. Nothing here calls a route of the
 * order-ledger plugin: the same scenario runs on a store without the plugin and on one with it,
 * and `medusa-flows.spec.ts` compares the two records.
 */

type Headers = { headers: Record<string, string> }
type Body = Record<string, unknown>
/** A JSON body Medusa answered, read field by field by the flows (its shape is what is compared). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>

/** One request of a flow: what was asked, Medusa's status and body, and the order after it. */
export interface Step {
  step: string
  request: string
  status: number
  body: unknown
  /** The order after the step, settled (see {@link Scenario.settle}); absent for reads and cart steps. */
  order?: OrderSnapshot
}

/** An order as Medusa's admin shows it. */
export interface OrderSnapshot {
  /** `GET /admin/orders/:id` with the dashboard's default fields (status, payment and fulfillment status, totals, summary, items, credit lines, payment collections with payments, captures and refunds). */
  order: Answer
  /** The order's own transactions (`order_transaction`): Medusa writes them for captures, refunds, credit lines. */
  transactions: Answer
  /** `GET /admin/orders/:id/changes`: returns, claims, exchanges and edits as the timeline shows them. */
  changes: Answer
}

/** Everything one flow did and saw. */
export interface FlowRecord {
  flow: string
  steps: Step[]
  /** The order the flow placed. */
  order_id?: string
  /** A failure of the scenario itself (a body Medusa did not answer as expected), after the steps recorded. */
  error?: string
}

/** What the store set up for the flows. */
export interface FlowStore {
  region_id: string
  sales_channel_id: string
  publishable_key: string
  stock_location_id: string
  shipping_option_id: string
  /** The variant every checkout buys. */
  variant_id: string
  /** A dearer variant: exchanges, replacement claims and order edits add it. */
  upgrade_variant_id: string
}

/** The price of the variant bought at checkout, the dearer one, shipping, and the tax rate: amounts with more decimals than the currency, as real stores have. */
export const PRICES = { unit: 10.99, upgrade: 24.5, shipping: 4.95, tax_rate: 19 } as const

const ORDER_TRANSACTION_FIELDS = [
  "id",
  "transactions.id",
  "transactions.amount",
  "transactions.currency_code",
  "transactions.reference",
  "transactions.reference_id",
  "transactions.version",
  "transactions.return_id",
  "transactions.claim_id",
  "transactions.exchange_id",
].join(",")

export class Scenario {
  private readonly storeHeaders: Headers

  constructor(
    private readonly api: AxiosInstance,
    private readonly admin: Headers,
    readonly store: FlowStore,
    /** Resolves when the server has no workflow running (the runner's `waitWorkflowExecutions`). */
    private readonly waitWorkflows: () => Promise<void>
  ) {
    this.storeHeaders = { headers: { "x-publishable-api-key": store.publishable_key } }
  }

  /**
   * Sets a store up over the admin API as a merchant would: a USD region paid through Medusa's
   * system payment provider with a 19% tax, a sales channel and publishable key, a stock location
   * with a shipping fulfillment set served by the manual provider, a flat-rate shipping option, and
   * two published products in the shipping profile (inventory not managed).
   */
  static async setUpStore(api: AxiosInstance, admin: Headers): Promise<FlowStore> {
    const post = async (path: string, body: Body) => (await api.post(path, body, admin)).data
    const { region } = await post("/admin/regions", {
      name: "US",
      currency_code: "usd",
      countries: ["us"],
      payment_providers: ["pp_system_default"],
    })
    await post("/admin/tax-regions", {
      country_code: "us",
      provider_id: "tp_system",
      default_tax_rate: { rate: PRICES.tax_rate, code: "TAX", name: "Sales tax" },
    })
    const { sales_channel } = await post("/admin/sales-channels", { name: "Webshop" })
    const { api_key } = await post("/admin/api-keys", { title: "Storefront", type: "publishable" })
    await post(`/admin/api-keys/${api_key.id}/sales-channels`, { add: [sales_channel.id] })
    const { shipping_profile } = await post("/admin/shipping-profiles", { name: "Parcels", type: "default" })
    const { stock_location } = await post("/admin/stock-locations", {
      name: "Warehouse",
      address: { address_1: "Dock 1", city: "Town", country_code: "us", postal_code: "10001" },
    })
    await post(`/admin/stock-locations/${stock_location.id}/sales-channels`, { add: [sales_channel.id] })
    await post(`/admin/stock-locations/${stock_location.id}/fulfillment-providers`, { add: ["manual_manual"] })
    const withSet = await post(`/admin/stock-locations/${stock_location.id}/fulfillment-sets?fields=*fulfillment_sets`, {
      name: "Warehouse shipping",
      type: "shipping",
    })
    const { fulfillment_set } = await post(
      `/admin/fulfillment-sets/${withSet.stock_location.fulfillment_sets[0].id}/service-zones`,
      { name: "US", geo_zones: [{ type: "country", country_code: "us" }] }
    )
    const { shipping_option } = await post("/admin/shipping-options", {
      name: "Standard",
      service_zone_id: fulfillment_set.service_zones[0].id,
      shipping_profile_id: shipping_profile.id,
      provider_id: "manual_manual",
      price_type: "flat",
      type: { label: "Standard", description: "3-5 days", code: "standard" },
      prices: [{ currency_code: "usd", amount: PRICES.shipping }],
      rules: [
        { attribute: "enabled_in_store", value: "true", operator: "eq" },
        { attribute: "is_return", value: "false", operator: "eq" },
      ],
    })
    const product = async (title: string, amount: number) =>
      (
        await post("/admin/products", {
          title,
          status: "published",
          shipping_profile_id: shipping_profile.id,
          options: [{ title: "Size", values: ["M"] }],
          variants: [{ title: "M", options: { Size: "M" }, manage_inventory: false, prices: [{ currency_code: "usd", amount }] }],
          sales_channels: [{ id: sales_channel.id }],
        })
      ).product.variants[0].id as string
    return {
      region_id: region.id,
      sales_channel_id: sales_channel.id,
      publishable_key: api_key.token,
      stock_location_id: stock_location.id,
      shipping_option_id: shipping_option.id,
      variant_id: await product("T-shirt", PRICES.unit),
      upgrade_variant_id: await product("Hoodie", PRICES.upgrade),
    }
  }

  /** Runs one flow into a fresh record; a failure of the flow ends the record with its message. */
  async run(flow: string, body: (f: FlowRun) => Promise<void>): Promise<FlowRecord> {
    const record: FlowRecord = { flow, steps: [] }
    try {
      await body(new FlowRun(this, record))
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
    }
    if (record.order_id) {
      // The end state once more, after a longer quiet time: a late background write shows here.
      record.steps.push({ step: "end state", request: "(none)", status: 0, body: null, order: await this.settle(record.order_id, 1000) })
      // And the order as the storefront shows it to the customer.
      const path = `/store/orders/${record.order_id}`
      const seen = await this.send("get", path, undefined, "store")
      record.steps.push({ step: "storefront: the order", request: `GET ${path}`, status: seen.status, body: seen.data })
    }
    return record
  }

  /** Sends a request and answers the response whatever its status (axios throws on 4xx/5xx). */
  async send(method: "get" | "post", path: string, body: Body | undefined, scope: "admin" | "store") {
    const headers = scope === "admin" ? this.admin : this.storeHeaders
    try {
      return method === "get" ? await this.api.get(path, headers) : await this.api.post(path, body ?? {}, headers)
    } catch (error) {
      const response = (error as { response?: { status: number; data: unknown } }).response
      if (!response) {
        throw error
      }
      return response
    }
  }

  /** Milliseconds spent reading orders, waiting for workflows, and sleeping (printed by the run). */
  readonly timing = { read: 0, wait: 0, sleep: 0, reads: 0 }

  /** The order as the dashboard reads it, its transactions and its changes, each with its HTTP status. */
  async readOrder(orderId: string): Promise<OrderSnapshot> {
    const t = Date.now()
    this.timing.reads++
    const [order, transactions, changes] = await Promise.all([
      this.send("get", `/admin/orders/${orderId}`, undefined, "admin"),
      this.send("get", `/admin/orders/${orderId}?fields=${ORDER_TRANSACTION_FIELDS}`, undefined, "admin"),
      this.send("get", `/admin/orders/${orderId}/changes`, undefined, "admin"),
    ])
    this.timing.read += Date.now() - t
    return {
      order: { status: order.status, ...(order.data as Body) },
      transactions: { status: transactions.status, ...(transactions.data as Body) },
      changes: { status: changes.status, ...(changes.data as Body) },
    }
  }

  /**
   * The order once the server is quiet. Subscribers (the plugin's among them) run after Medusa's
   * events, after the HTTP answer: wait `quietMs`, then until no workflow runs, then read. A write
   * that comes later still is in the next step's read, or in the flow's end state (read after a
   * longer quiet time), so it cannot go unseen.
   */
  async settle(orderId: string, quietMs = 150): Promise<OrderSnapshot> {
    await this.quiet(quietMs)
    return this.readOrder(orderId)
  }

  /** Sleeps `ms`, then waits until no workflow runs. */
  private async quiet(ms: number) {
    const t = Date.now()
    await sleep(ms)
    const w = Date.now()
    await this.waitWorkflows()
    this.timing.sleep += w - t
    this.timing.wait += Date.now() - w
  }
}

/** One flow being run: its steps go into its record. */
export class FlowRun {
  order_id?: string
  /** The order as last read, settled after the flow's last step that may change it. */
  private latest?: OrderSnapshot

  constructor(
    private readonly scenario: Scenario,
    private readonly record: FlowRecord
  ) {}

  get store() {
    return this.scenario.store
  }

  /**
   * One admin request of the flow. The order is read after it (settled) when the request may
   * change it; `expect` is the status the flow needs to go on (a different one ends the flow).
   */
  async admin(step: string, path: string, body?: Body, { expect = 200, read = true }: { expect?: number; read?: boolean } = {}) {
    return this.request(step, "post", path, body, "admin", expect, read)
  }

  /** One admin read of the flow (recorded, the order not read again). */
  async get(step: string, path: string, { expect = 200 }: { expect?: number } = {}) {
    return this.request(step, "get", path, undefined, "admin", expect, false)
  }

  /** An admin request that is not part of the record (the self-test's hidden write). */
  async unrecorded(path: string, body: Body) {
    const response = await this.scenario.send("post", path, body, "admin")
    if (response.status !== 200) {
      throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.data).slice(0, 600)}`)
    }
    this.latest = undefined
  }

  /** One storefront request (recorded; the cart steps come before the order exists). */
  async storefront(step: string, path: string, body?: Body) {
    return this.request(step, "post", path, body, "store", 200, false)
  }

  private async request(
    step: string,
    method: "get" | "post",
    path: string,
    body: Body | undefined,
    scope: "admin" | "store",
    expectStatus: number,
    read: boolean
  ) {
    const response = await this.scenario.send(method, path, body, scope)
    const entry: Step = { step, request: `${method.toUpperCase()} ${path}`, status: response.status, body: response.data }
    this.record.steps.push(entry)
    if (read && this.order_id) {
      entry.order = this.latest = await this.scenario.settle(this.order_id)
    }
    if (response.status !== expectStatus) {
      throw new Error(`${step}: ${entry.request} answered ${response.status}, not ${expectStatus}: ${JSON.stringify(response.data).slice(0, 600)}`)
    }
    return response.data as Answer
  }

  /**
   * Checkout through the store API, as a storefront does: a cart with a shipping address and
   * `quantity` of the variant, the shipping option, a payment collection, a session with
   * `pp_system_default`, complete. The order is read (settled) after it.
   */
  async checkout(quantity = 1) {
    const { cart } = await this.storefront("create cart", "/store/carts", {
      region_id: this.store.region_id,
      sales_channel_id: this.store.sales_channel_id,
      email: "buyer@flows.test",
      shipping_address: { first_name: "Ada", last_name: "Buyer", address_1: "Street 1", city: "Town", country_code: "us", postal_code: "10001" },
      items: [{ variant_id: this.store.variant_id, quantity }],
    })
    await this.storefront("add shipping method", `/store/carts/${cart.id}/shipping-methods`, { option_id: this.store.shipping_option_id })
    const { payment_collection } = await this.storefront("create payment collection", "/store/payment-collections", { cart_id: cart.id })
    await this.storefront("start payment session", `/store/payment-collections/${payment_collection.id}/payment-sessions`, {
      provider_id: "pp_system_default",
    })
    const completed = await this.storefront("complete cart", `/store/carts/${cart.id}/complete`, {})
    if (completed.type !== "order") {
      throw new Error(`cart did not complete: ${JSON.stringify(completed).slice(0, 600)}`)
    }
    this.order_id = completed.order.id as string
    this.record.order_id = this.order_id
    const last = this.record.steps[this.record.steps.length - 1]
    last.order = this.latest = await this.scenario.settle(this.order_id)
    return this.order_id
  }

  /** The order as the dashboard reads it now: as read, settled, after the last step. */
  async order(): Promise<Answer> {
    return (this.latest ?? (await this.scenario.settle(this.order_id!))).order
  }

  /** The order's checkout payment (the first payment of its first collection). */
  async payment(): Promise<Answer> {
    const order = await this.order()
    return order.order.payment_collections[0].payments[0]
  }

  /** Ships every item of the order in one fulfillment (from the shipping method's option and location). */
  async fulfillAll() {
    const order = await this.order()
    return this.admin("fulfill items", `/admin/orders/${this.order_id}/fulfillments`, {
      items: order.order.items.map((i: { id: string; quantity: number }) => ({ id: i.id, quantity: i.quantity })),
    })
  }
}

/** Medusa's figure as a number (`summary` answers numbers). */
const num = (value: unknown) => Number(value)

/**
 * The flows, in the order they run: each places its own order. Steps named "refused: …" are
 * requests Medusa refuses, recorded for their status and error body.
 */
export const FLOWS: Record<string, (f: FlowRun) => Promise<void>> = {
  async checkout(f) {
    const orderId = await f.checkout(2)
    if (process.env.MEDUSA_FLOWS_SELF_TEST === "1") {
      // A test of the test (medusa-flows.spec.ts sets this on the store with the plugin only): a
      // write nobody recorded as a step, as a plugin's background write would be. Money recorded
      // in the ledger goes into Medusa's books, so the comparison must fail from here on.
      await f.unrecorded(`/admin/orders/${orderId}/transactions`, {
        transactions: [{ kind: "payment", amount: 5, payment_method: "bank_transfer", external_id: "SELF-TEST-1" }],
      })
    }
    await f.get("read the order", `/admin/orders/${orderId}`)
    await f.get("refused: unknown order", "/admin/orders/order_01JZZZZZZZZZZZZZZZZZZZZZZZ", { expect: 404 })
    await f.admin("refused: capture of an unknown payment", "/admin/payments/pay_01JZZZZZZZZZZZZZZZZZZZZZZZ/capture", {}, { expect: 404, read: false })
  },

  async "capture (full)"(f) {
    await f.checkout()
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.admin("capture again (Medusa answers the captured payment)", `/admin/payments/${payment.id}/capture`, {})
  },

  async "capture (partial, then the rest)"(f) {
    await f.checkout(2)
    const payment = await f.payment()
    const first = 10
    await f.admin("refused: capture of a negative amount", `/admin/payments/${payment.id}/capture`, { amount: -1 }, { expect: 400 })
    await f.admin("capture part", `/admin/payments/${payment.id}/capture`, { amount: first })
    await f.admin("refused: capture more than is left", `/admin/payments/${payment.id}/capture`, { amount: num(payment.amount) }, { expect: 400 })
    await f.admin("capture the rest", `/admin/payments/${payment.id}/capture`, { amount: num(payment.amount) - first })
  },

  async refund(f) {
    await f.checkout(2)
    const payment = await f.payment()
    await f.admin("refused: refund before capture", `/admin/payments/${payment.id}/refund`, { amount: 5 }, { expect: 400 })
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.admin("refund part", `/admin/payments/${payment.id}/refund`, { amount: 5, note: "Scratched" })
    await f.admin("refused: refund more than captured", `/admin/payments/${payment.id}/refund`, { amount: num(payment.amount) }, { expect: 400 })
    await f.admin("refused: refund without an amount (the whole payment)", `/admin/payments/${payment.id}/refund`, {}, { expect: 400 })
    await f.admin("refund the rest", `/admin/payments/${payment.id}/refund`, { amount: num(payment.amount) - 5 })
  },

  async "cancel (authorized, not captured)"(f) {
    const orderId = await f.checkout()
    await f.admin("cancel", `/admin/orders/${orderId}/cancel`, {})
    await f.admin("refused: cancel again", `/admin/orders/${orderId}/cancel`, {}, { expect: 400 })
  },

  async "cancel (after capture: refund and credit line)"(f) {
    const orderId = await f.checkout(2)
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.admin("cancel", `/admin/orders/${orderId}/cancel`, {})
  },

  async "cancel (after a partial capture and a refund)"(f) {
    const orderId = await f.checkout(2)
    const payment = await f.payment()
    await f.admin("capture part", `/admin/payments/${payment.id}/capture`, { amount: 15 })
    await f.admin("refund part", `/admin/payments/${payment.id}/refund`, { amount: 4 })
    await f.admin("cancel", `/admin/orders/${orderId}/cancel`, {})
  },

  async "cancel (with a credit line added)"(f) {
    const orderId = await f.checkout()
    const payment = await f.payment()
    await f.admin("add credit line", `/admin/orders/${orderId}/credit-lines`, { amount: 3, reference: "goodwill", reference_id: "gw-1" })
    await f.admin("capture part", `/admin/payments/${payment.id}/capture`, { amount: 10 })
    await f.admin("cancel", `/admin/orders/${orderId}/cancel`, {})
  },

  async "return (request, receive, refund the difference)"(f) {
    const orderId = await f.checkout(2)
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.fulfillAll()
    const item = (await f.order()).order.items[0]
    const { return: ret } = await f.admin("begin return", "/admin/returns", { order_id: orderId, location_id: f.store.stock_location_id })
    await f.admin("request item", `/admin/returns/${ret.id}/request-items`, { items: [{ id: item.id, quantity: 1 }] })
    await f.admin("request return", `/admin/returns/${ret.id}/request`, {})
    await f.admin("begin receive", `/admin/returns/${ret.id}/receive`, {})
    await f.admin("receive item", `/admin/returns/${ret.id}/receive-items`, { items: [{ id: item.id, quantity: 1 }] })
    await f.admin("confirm receive", `/admin/returns/${ret.id}/receive/confirm`, {})
    const owed = -num((await f.order()).order.summary.pending_difference)
    await f.admin("refund the difference", `/admin/payments/${payment.id}/refund`, { amount: owed })
  },

  async "claim (refund)"(f) {
    const orderId = await f.checkout(2)
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.fulfillAll()
    const item = (await f.order()).order.items[0]
    const { claim } = await f.admin("begin claim", "/admin/claims", { type: "refund", order_id: orderId })
    await f.admin("claim item", `/admin/claims/${claim.id}/claim-items`, { items: [{ id: item.id, quantity: 1, reason: "production_failure" }] })
    await f.admin("return the item", `/admin/claims/${claim.id}/inbound/items`, { items: [{ id: item.id, quantity: 1 }] })
    await f.admin("request claim", `/admin/claims/${claim.id}/request`, {})
    const owed = -num((await f.order()).order.summary.pending_difference)
    if (owed > 0) {
      await f.admin("refund the difference", `/admin/payments/${payment.id}/refund`, { amount: owed })
    }
  },

  async "claim (replace)"(f) {
    const orderId = await f.checkout()
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.fulfillAll()
    const item = (await f.order()).order.items[0]
    const { claim } = await f.admin("begin claim", "/admin/claims", { type: "replace", order_id: orderId })
    await f.admin("claim item", `/admin/claims/${claim.id}/claim-items`, { items: [{ id: item.id, quantity: 1, reason: "wrong_item" }] })
    await f.admin("return the item", `/admin/claims/${claim.id}/inbound/items`, { items: [{ id: item.id, quantity: 1 }] })
    await f.admin("send a replacement", `/admin/claims/${claim.id}/outbound/items`, { items: [{ variant_id: f.store.variant_id, quantity: 1 }] })
    await f.admin("ship the replacement", `/admin/claims/${claim.id}/outbound/shipping-method`, { shipping_option_id: f.store.shipping_option_id })
    await f.admin("request claim", `/admin/claims/${claim.id}/request`, {})
  },

  async "exchange (dearer item, difference marked as paid)"(f) {
    const orderId = await f.checkout()
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    await f.fulfillAll()
    const item = (await f.order()).order.items[0]
    const { exchange } = await f.admin("begin exchange", "/admin/exchanges", { order_id: orderId })
    await f.admin("return the item", `/admin/exchanges/${exchange.id}/inbound/items`, { items: [{ id: item.id, quantity: 1 }] })
    await f.admin("send the dearer item", `/admin/exchanges/${exchange.id}/outbound/items`, {
      items: [{ variant_id: f.store.upgrade_variant_id, quantity: 1 }],
    })
    await f.admin("ship it", `/admin/exchanges/${exchange.id}/outbound/shipping-method`, { shipping_option_id: f.store.shipping_option_id })
    await f.admin("request exchange", `/admin/exchanges/${exchange.id}/request`, {})
    const unpaid = (await f.order()).order.payment_collections.find((c: { status: string }) => c.status === "not_paid")
    if (!unpaid) {
      throw new Error("the exchange left no unpaid payment collection to mark as paid")
    }
    await f.admin("mark the difference as paid", `/admin/payment-collections/${unpaid.id}/mark-as-paid`, { order_id: orderId })
  },

  async "order edit (raises the total, marked as paid)"(f) {
    const orderId = await f.checkout()
    const payment = await f.payment()
    await f.admin("capture", `/admin/payments/${payment.id}/capture`, {})
    const item = (await f.order()).order.items[0]
    await f.admin("begin edit", "/admin/order-edits", { order_id: orderId })
    await f.admin("raise the quantity", `/admin/order-edits/${orderId}/items/item/${item.id}`, { quantity: 3 })
    await f.admin("add an item", `/admin/order-edits/${orderId}/items`, { items: [{ variant_id: f.store.upgrade_variant_id, quantity: 1 }] })
    await f.admin("request edit", `/admin/order-edits/${orderId}/request`, {})
    await f.admin("confirm edit", `/admin/order-edits/${orderId}/confirm`, {})
    await f.admin("refused: confirm again", `/admin/order-edits/${orderId}/confirm`, {}, { expect: 400 })
    const unpaid = (await f.order()).order.payment_collections.find((c: { status: string }) => c.status === "not_paid")
    if (!unpaid) {
      throw new Error("the order edit left no unpaid payment collection to mark as paid")
    }
    await f.admin("mark the difference as paid", `/admin/payment-collections/${unpaid.id}/mark-as-paid`, { order_id: orderId })
  },
}

/** The flows' names, in order. */
export const FLOW_NAMES = Object.keys(FLOWS)

/** The figures a user sees first, for a one-line summary of a flow's end state. */
export function headline(record: FlowRecord): string {
  const last = [...record.steps].reverse().find((s) => s.order)?.order?.order as Answer | undefined
  const o = last?.order
  if (!o) {
    return `${record.steps.length} steps${record.error ? `, error: ${record.error}` : ""}`
  }
  const s = o.summary ?? {}
  const collections = (o.payment_collections ?? []) as { status: string }[]
  return [
    `${record.steps.length} steps`,
    `${o.status}/${o.payment_status}/${o.fulfillment_status}`,
    `total ${o.total}`,
    `paid ${s.paid_total}`,
    `refunded ${s.refunded_total}`,
    `pending ${s.pending_difference}`,
    `credit lines ${(o.credit_lines ?? []).length}`,
    `collections [${collections.map((c) => c.status).join(",")}]`,
    ...(record.error ? [`error: ${record.error}`] : []),
  ].join(", ")
}
