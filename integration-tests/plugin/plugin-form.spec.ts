import fs from "fs"
import path from "path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"

jest.setTimeout(180_000)

/**
 * The plugin loaded THE WAY STORES LOAD IT: `plugins: [{ resolve }]` in a host config with no
 * `modules` entry (integration-tests/plugin/host/medusa-config.ts), so everything comes from the
 * built package in `.medusa/server`. `npm test` runs `medusa plugin:build` first; without a build
 * this form fails silently (404s), which is what this suite is here to catch.
 */
const ROOT = path.resolve(__dirname, "../..")
const HOST = path.join(__dirname, "host")
const BUILT = path.join(ROOT, ".medusa/server/src")
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf-8"))

describe("the built package", () => {
  it("exists: run `medusa plugin:build` (npm test does) before this suite", () => {
    expect(fs.existsSync(path.join(BUILT, "modules/order-ledger/index.js"))).toBe(true)
  })

  it("has a file behind every `exports` entry", () => {
    const targets: string[] = []
    for (const [key, value] of Object.entries(pkg.exports as Record<string, string | Record<string, string>>)) {
      for (const target of typeof value === "string" ? [value] : Object.values(value)) {
        if (key === "./*") {
          // "./*" → "./.medusa/server/src/*.js": check it with a real subpath.
          targets.push(target.replace("*", "utils/index"))
        } else {
          targets.push(target.replace("*", "order-ledger"))
        }
      }
    }
    const missing = targets.filter((t) => !fs.existsSync(path.join(ROOT, t)))
    expect(missing).toEqual([])
    expect(targets).toEqual(
      expect.arrayContaining([
        "./.medusa/server/src/workflows/index.js",
        "./.medusa/server/src/modules/order-ledger/index.js",
        "./.medusa/server/src/admin/index.js",
      ])
    )
  })

  it("ships no tests", () => {
    const shipped = fs.readdirSync(path.join(ROOT, ".medusa/server"), { recursive: true }) as string[]
    expect(shipped.filter((f) => /__tests__|\.spec\.|integration-tests/.test(f))).toEqual([])
  })
})

medusaIntegrationTestRunner({
  medusaConfigFile: HOST,
  testSuite: ({ api, getContainer }) => {
    describe("plugin form (plugins: [{ resolve }])", () => {
      it("registers the ledger module from the built package, not from src/", () => {
        const config = getContainer().resolve(ContainerRegistrationKeys.CONFIG_MODULE)
        const entry = (config.modules as Record<string, { resolve?: string }>)["order_ledger"]
        expect(entry?.resolve).toBe(path.join(ROOT, ".medusa/server/src/modules/order-ledger"))
        expect(config.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ resolve: ROOT })]))
      })

      it("answers its admin routes, and only with auth", async () => {
        const container = getContainer()
        const admin = await createAdminHeaders(container)
        const order = await createOrder(container, { total: 190 })

        const unauthenticated = await api
          .get(`/admin/orders/${order.id}/balance`)
          .catch((e: { response: unknown }) => e.response)
        expect(unauthenticated.status).toBe(401)

        const created = await api.post(
          `/admin/orders/${order.id}/transactions`,
          {
            transactions: [
              {
                kind: "payment",
                amount: 150,
                payment_method: "card",
                gateway: "stripe",
                external_id: "ch_plugin_form",
                card_brand: "visa",
                card_last4: "4242",
                fee: 4.65,
              },
              { kind: "payment", status: "pending", amount: 40, payment_method: "bank_transfer" },
            ],
          },
          admin
        )
        expect(created.status).toBe(200)
        expect(created.data.transactions).toHaveLength(2)
        expect(created.data.transactions[0]).toMatchObject({
          order_id: order.id,
          kind: "payment",
          status: "succeeded",
          amount: 150,
          formatted_amount: "$150.00",
          card_last4: "4242",
        })

        const balance = await api.get(`/admin/orders/${order.id}/balance`, admin)
        expect(balance.status).toBe(200)
        expect(balance.data.balance).toMatchObject({
          order_id: order.id,
          order_total: 190,
          paid_total: 150,
          pending_total: 40,
          outstanding_amount: 40,
          formatted_outstanding_amount: "$40.00",
          status: "customer_owes",
        })

        const duplicate = await api
          .post(
            `/admin/orders/${order.id}/transactions`,
            { transactions: [{ kind: "payment", amount: 1, gateway: "stripe", external_id: "ch_plugin_form" }] },
            admin
          )
          .catch((e: { response: unknown }) => e.response)
        expect(duplicate.status).toBe(409)
        expect(duplicate.data.code).toBe("DUPLICATE_TRANSACTION")
      })

      it("query.graph on an order returns its transactions, and its balance", async () => {
        const container = getContainer()
        const admin = await createAdminHeaders(container)
        const owes = await createOrder(container, { total: 190 })
        const settled = await createOrder(container, { total: 80 })
        await api.post(
          `/admin/orders/${owes.id}/transactions`,
          { transactions: [{ kind: "payment", amount: "100.50", payment_method: "cash" }] },
          admin
        )
        await api.post(
          `/admin/orders/${settled.id}/transactions`,
          { transactions: [{ kind: "payment", amount: 80, payment_method: "bank_transfer" }] },
          admin
        )

        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data: orders } = await query.graph({
          entity: "order",
          fields: ["id", "email", "ledger_transactions.*"],
          filters: { id: [owes.id, settled.id] },
        })
        const byId = new Map(orders.map((o: Record<string, any>) => [o.id, o]))
        expect((byId.get(owes.id) as Record<string, any>).ledger_transactions).toEqual([
          expect.objectContaining({
            id: expect.stringMatching(/^oltx_/),
            order_id: owes.id,
            kind: "payment",
            status: "succeeded",
            payment_method: "cash",
            amount: 100.5,
          }),
        ])
        expect((byId.get(settled.id) as Record<string, any>).ledger_transactions).toEqual([
          expect.objectContaining({ order_id: settled.id, amount: 80, payment_method: "bank_transfer" }),
        ])

        // Medusa 2.21's Query fetches two read-only links of one module keyed on the same order
        // field in one batch, with the first link's entity, so `ledger_balance.*` is asked for
        // in its own call (README, "Known limitations").
        const { data: balances } = await query.graph({
          entity: "order",
          fields: ["id", "ledger_balance.*"],
          filters: { id: [owes.id, settled.id] },
        })
        const balanceOf = (id: string) => (balances.find((o: Record<string, any>) => o.id === id) as Record<string, any>)
        expect(balanceOf(owes.id).ledger_balance).toMatchObject({
          order_id: owes.id,
          paid_total: 100.5,
          outstanding_amount: 89.5,
          status: "customer_owes",
        })
        expect(balanceOf(settled.id).ledger_balance).toMatchObject({ order_id: settled.id, status: "settled" })

        // The balance can be filtered on, and leads back to its order.
        const { data: owing } = await query.graph({
          entity: "ledger_balance",
          fields: ["order_id", "outstanding_amount", "order.id", "order.email"],
          filters: { status: "customer_owes" },
        })
        expect(owing).toEqual([
          expect.objectContaining({ order_id: owes.id, order: expect.objectContaining({ id: owes.id }) }),
        ])
      })

      it("exports workflows a store can run in its own code (`<package>/workflows`)", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 25 })
        // The file `exports["./workflows"]` points at, as a store's `import … from "<package>/workflows"` gets it.
        const workflows = require(path.join(ROOT, pkg.exports["./workflows"]))
        const { result } = await workflows.recordLedgerTransactionsWorkflow(container).run({
          input: { order_id: order.id, transactions: [{ kind: "payment", amount: 25, payment_method: "gift_card" }] },
        })
        expect(result.transaction_ids).toHaveLength(1)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "ledger_balance",
          fields: ["status", "net_paid"],
          filters: { order_id: order.id },
        })
        expect(data).toEqual([expect.objectContaining({ status: "settled", net_paid: 25 })])
      })
    })
  },
})
