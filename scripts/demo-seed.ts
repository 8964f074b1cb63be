/**
 * The demo's seed, run by `npm run demo` as `medusa exec ./scripts/demo-seed.ts`.
 *
 * Everything goes through Medusa's own workflows and the plugin's: a US region, a sales channel,
 * a product, an admin user, and real Medusa orders whose money is recorded with
 * `recordLedgerTransactionsWorkflow`, one order per balance status. Each demo order has a fixed
 * email and `metadata.order_ledger_demo`, so a second run finds it and records nothing twice.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createOrderWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createUsersWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { ORDER_LEDGER_MODULE } from "../src/modules/order-ledger"
import type OrderLedgerModuleService from "../src/modules/order-ledger/service"
import type { LedgerTransactionInput } from "../src/modules/order-ledger/types"
import { recordLedgerTransactionsWorkflow } from "../src/workflows"

export const DEMO_ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL || "admin@example.com"
export const DEMO_ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD || "supersecret"

const REGION_NAME = "United States"
const SALES_CHANNEL_NAME = "Order Ledger Demo Store"
const PRODUCT_HANDLE = "order-ledger-demo-hoodie"
const UNIT_PRICE = 95

const daysAgo = (days: number, hour = 10) => {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - days)
  d.setUTCHours(hour, 0, 0, 0)
  return d.toISOString()
}

const address = (first_name: string, last_name: string, address_1: string, city: string, province: string, postal_code: string) => ({
  first_name,
  last_name,
  address_1,
  city,
  province,
  postal_code,
  country_code: "us",
})

/**
 * One demo order: who bought, how many hoodies, and the money movements in the order they
 * happened. `refund_of` names the index of the payment a refund reverses.
 */
interface DemoOrder {
  key: string
  email: string
  quantity: number
  address: ReturnType<typeof address>
  steps: (LedgerTransactionInput & { refund_of?: number })[][]
  expected: "settled" | "customer_owes" | "merchant_owes"
}

const DEMO_ORDERS: DemoOrder[] = [
  {
    // $190: a declined card, then the card that worked. Nothing owed.
    key: "settled",
    email: "ada.lovelace@example.com",
    quantity: 2,
    address: address("Ada", "Lovelace", "12 Analytical Row", "Boston", "MA", "02110"),
    expected: "settled",
    steps: [
      [
        {
          kind: "payment",
          status: "failed",
          amount: 190,
          payment_method: "card",
          gateway: "stripe",
          external_id: "ch_demo_declined_1001",
          card_brand: "mastercard",
          card_last4: "5100",
          message: "Your card was declined.",
          occurred_at: daysAgo(6, 9),
        },
        {
          kind: "payment",
          amount: 190,
          payment_method: "card",
          gateway: "stripe",
          external_id: "ch_demo_approved_1002",
          card_brand: "visa",
          card_last4: "4242",
          fee: "5.81",
          message: "Transaction approved",
          occurred_at: daysAgo(6, 10),
        },
      ],
    ],
  },
  {
    // $285: $100 cash at the counter, a $150 bank transfer still pending. $185 owed.
    key: "customer_owes",
    email: "grace.hopper@example.com",
    quantity: 3,
    address: address("Grace", "Hopper", "1 Compiler Way", "Arlington", "VA", "22201"),
    expected: "customer_owes",
    steps: [
      [
        {
          kind: "payment",
          amount: 100,
          payment_method: "cash",
          gateway: "manual",
          note: "Deposit paid at the pop-up store",
          occurred_at: daysAgo(4, 15),
        },
        {
          kind: "payment",
          status: "pending",
          amount: 150,
          payment_method: "bank_transfer",
          gateway: "manual",
          external_id: "BT-2026-0417",
          note: "Customer says the transfer is on its way",
          occurred_at: daysAgo(1, 11),
        },
      ],
    ],
  },
  {
    // $95: paid by card, then paid again by bank transfer; $40 of the transfer refunded so far.
    // The store still owes $55.
    key: "merchant_owes",
    email: "alan.turing@example.com",
    quantity: 1,
    address: address("Alan", "Turing", "7 Bletchley Park Rd", "Princeton", "NJ", "08540"),
    expected: "merchant_owes",
    steps: [
      [
        {
          kind: "payment",
          amount: 95,
          payment_method: "card",
          gateway: "stripe",
          external_id: "ch_demo_approved_2001",
          card_brand: "amex",
          card_last4: "0005",
          fee: "3.06",
          message: "Transaction approved",
          occurred_at: daysAgo(3, 13),
        },
        {
          kind: "payment",
          amount: 95,
          payment_method: "bank_transfer",
          gateway: "manual",
          external_id: "BT-2026-0388",
          note: "Customer paid twice",
          occurred_at: daysAgo(2, 9),
        },
      ],
      [
        {
          kind: "refund",
          amount: 40,
          refund_of: 1,
          payment_method: "bank_transfer",
          gateway: "manual",
          reason: "duplicate payment",
          note: "First part of the duplicate sent back; the rest is due",
          occurred_at: daysAgo(1, 16),
        },
      ],
    ],
  },
]

export default async function seedOrderLedgerDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const log = (message: string) => logger.info(`[demo-seed] ${message}`)

  // --- Sales channel, region, store -----------------------------------------------------------
  const salesChannelModule = container.resolve(Modules.SALES_CHANNEL)
  let [salesChannel] = await salesChannelModule.listSalesChannels({ name: SALES_CHANNEL_NAME })
  if (!salesChannel) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: [{ name: SALES_CHANNEL_NAME, description: "Where the demo orders were placed" }] },
    })
    salesChannel = result[0]
    log(`created sales channel ${salesChannel.id}`)
  }

  const regionModule = container.resolve(Modules.REGION)
  let [region] = await regionModule.listRegions({ name: REGION_NAME })
  if (!region) {
    const { result } = await createRegionsWorkflow(container).run({
      input: {
        regions: [
          { name: REGION_NAME, currency_code: "usd", countries: ["us"], payment_providers: ["pp_system_default"] },
        ],
      },
    })
    region = result[0]
    log(`created region ${region.id} (usd)`)
  }

  const storeModule = container.resolve(Modules.STORE)
  const [store] = await storeModule.listStores({}, { relations: ["supported_currencies"] })
  if (store && !store.supported_currencies?.some((c) => c.currency_code === "usd")) {
    await updateStoresWorkflow(container).run({
      input: {
        selector: { id: store.id },
        update: {
          supported_currencies: [{ currency_code: "usd", is_default: true }],
          default_sales_channel_id: store.default_sales_channel_id ?? salesChannel.id,
          default_region_id: store.default_region_id ?? region.id,
        },
      },
    })
    log("store currency set to usd")
  }

  // --- Product ---------------------------------------------------------------------------------
  const productModule = container.resolve(Modules.PRODUCT)
  let [product] = await productModule.listProducts({ handle: PRODUCT_HANDLE }, { relations: ["variants"] })
  if (!product) {
    const { result } = await createProductsWorkflow(container).run({
      input: {
        products: [
          {
            title: "Ledger Hoodie",
            handle: PRODUCT_HANDLE,
            description: "A warm hoodie, sold in the order ledger demo.",
            status: "published",
            options: [{ title: "Size", values: ["M"] }],
            variants: [
              {
                title: "M",
                sku: "LEDGER-HOODIE-M",
                options: { Size: "M" },
                manage_inventory: false,
                prices: [{ amount: UNIT_PRICE, currency_code: "usd" }],
              },
            ],
            sales_channels: [{ id: salesChannel.id }],
          },
        ],
      },
    })
    product = result[0]
    log(`created product ${product.id}`)
  }
  const variant = product.variants[0]

  // --- Admin user --------------------------------------------------------------------------------
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  let [user] = await userModule.listUsers({ email: DEMO_ADMIN_EMAIL })
  if (!user) {
    const { result } = await createUsersWorkflow(container).run({
      input: { users: [{ email: DEMO_ADMIN_EMAIL, first_name: "Demo", last_name: "Admin" }] },
    })
    user = result[0]
    log(`created admin user ${DEMO_ADMIN_EMAIL}`)
  }
  const identities = await authModule.listProviderIdentities({ provider: "emailpass", entity_id: DEMO_ADMIN_EMAIL })
  if (!identities.length) {
    const { authIdentity, error } = await authModule.register("emailpass", {
      body: { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD },
    })
    if (error || !authIdentity) {
      throw new Error(`Could not create the admin login: ${error}`)
    }
    await authModule.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })
    log(`created the emailpass login of ${DEMO_ADMIN_EMAIL}`)
  }

  // --- Orders and their money --------------------------------------------------------------------
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const demoOrders = async () => {
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "email", "metadata"],
      filters: { email: DEMO_ORDERS.map((d) => d.email) },
    })
    return data
  }
  const seeded = await demoOrders()
  for (const demo of DEMO_ORDERS) {
    const existing = seeded.find((o) => o.email === demo.email && o.metadata?.order_ledger_demo === demo.key)
    let orderId = existing?.id
    if (!orderId) {
      const { result } = await createOrderWorkflow(container).run({
        input: {
          region_id: region.id,
          sales_channel_id: salesChannel.id,
          email: demo.email,
          status: "pending",
          items: [{ variant_id: variant.id, quantity: demo.quantity, title: "Ledger Hoodie", unit_price: UNIT_PRICE }],
          shipping_address: demo.address,
          billing_address: demo.address,
          metadata: { order_ledger_demo: demo.key },
        },
      })
      orderId = result.id
      log(`created order ${orderId} for ${demo.email}`)
    }

    const recorded = await ledger.listLedgerTransactions({ order_id: orderId }, { select: ["id"] })
    if (recorded.length) {
      log(`order ${orderId} (${demo.key}) already has ${recorded.length} transactions: skipped`)
      continue
    }
    const ids: string[] = []
    for (const batch of demo.steps) {
      const transactions = batch.map(({ refund_of, ...t }) =>
        refund_of === undefined ? t : { ...t, parent_id: ids[refund_of] }
      )
      const { result } = await recordLedgerTransactionsWorkflow(container).run({
        input: { order_id: orderId, transactions },
      })
      ids.push(...result.transaction_ids)
    }
    log(`recorded ${ids.length} transactions on order ${orderId} (${demo.key})`)
  }

  // --- What the demo shows ----------------------------------------------------------------------
  const { data: balances } = await query.graph({
    entity: "ledger_balance",
    fields: ["order_id", "status", "order_total", "net_paid", "pending_total", "outstanding_amount", "order.email"],
    filters: { order_id: (await demoOrders()).map((o) => o.id) },
  })
  for (const demo of DEMO_ORDERS) {
    const balance = balances.find((b) => (b as { order?: { email?: string } }).order?.email === demo.email)
    if (!balance || balance.status !== demo.expected) {
      throw new Error(`Demo order ${demo.key} ended ${balance?.status ?? "without a balance"}, expected ${demo.expected}.`)
    }
    log(
      `${balance.order_id}  ${demo.email.padEnd(26)} ${String(balance.status).padEnd(14)} ` +
        `total ${balance.order_total}  paid ${balance.net_paid}  pending ${balance.pending_total}  outstanding ${balance.outstanding_amount}`
    )
  }
}
