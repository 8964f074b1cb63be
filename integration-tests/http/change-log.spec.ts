import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { settle, type Res } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { checkout, setUpCheckoutStore, waitFor } from "../helpers/checkout"

jest.setTimeout(240_000)

/** Every change of the log, in feed order, straight from the table. */
async function logged(container: any): Promise<{ id: string; resource_id: string; version: number }[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
  const { rows } = await pg.raw(`SELECT id, resource_id, version FROM ledger_change ORDER BY txid, seq`)
  return rows
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    const post = (url: string, body: unknown, headers: Record<string, string> = admin.headers) =>
      settle(api.post(url, body, { headers }))
    const get = (url: string, headers: Record<string, string> = admin.headers) => settle(api.get(url, { headers }))

    /** Follows the feed from `after` until it answers no more, and answers what it read. */
    async function drain(after?: string) {
      const read: any[] = []
      let cursor = after
      for (;;) {
        const res = await get(`/admin/ledger-changes?limit=100${cursor ? `&after=${cursor}` : ""}`)
        expect(res.status).toBe(200)
        read.push(...res.data.changes)
        cursor = res.data.next_cursor
        if (!res.data.has_more) {
          return { read, cursor: cursor as string }
        }
      }
    }

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })

    describe("history", () => {
      it("names the admin user, the API key and the checkout subscriber, with versions and what changed", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })

        // An admin user records a pending bank transfer.
        const recorded = await post(
          `/admin/orders/${order.id}/transactions`,
          { transactions: [{ kind: "payment", amount: 40, status: "pending", payment_method: "bank_transfer" }] },
          { ...admin.headers, "Idempotency-Key": "history-1" }
        )
        expect(recorded.status).toBe(200)
        const id = recorded.data.transactions[0].id
        const user = (await get("/admin/users/me")).data.user

        // A secret API key (an accounting integration) marks it succeeded.
        const key = await post("/admin/api-keys", { title: "Accounting", type: "secret" })
        expect(key.status).toBe(200)
        const basic = { Authorization: `Basic ${Buffer.from(`${key.data.api_key.token}:`).toString("base64")}` }
        const moved = await post(`/admin/order-transactions/${id}`, { status: "succeeded", message: "Seen on the statement" }, basic)
        expect(moved.status).toBe(200)

        // Setting it to what it is already changes nothing: no record, no version.
        const again = await post(`/admin/order-transactions/${id}`, { status: "succeeded", message: "Seen on the statement" })
        expect(again.status).toBe(200)

        const res = await get(`/admin/order-transactions/${id}/history`)
        expect(res.status).toBe(200)
        expect(res.data.history).toEqual([
          expect.objectContaining({
            id: expect.stringMatching(/^olchg_/),
            type: "order_transaction.created",
            resource_id: id,
            order_id: order.id,
            version: 1,
            actor: { type: "user", id: user.id },
            idempotency_key: "history-1",
            data: { object: expect.objectContaining({ id, status: "pending", version: 1 }), previous: null },
          }),
          expect.objectContaining({
            type: "order_transaction.updated",
            version: 2,
            actor: { type: "api_key", id: key.data.api_key.id },
            idempotency_key: null,
            data: {
              object: expect.objectContaining({ id, status: "succeeded", message: "Seen on the statement", version: 2 }),
              previous: { status: "pending", message: null },
            },
          }),
        ])
        expect(Date.parse(res.data.history[1].created_at)).toBeGreaterThanOrEqual(Date.parse(res.data.history[0].created_at))
        const transaction = await get(`/admin/order-transactions/${id}`)
        expect(transaction.data.transaction.version).toBe(2)

        // The order became settled-or-not through these: its balance's status moves are changes too.
        const { read } = await drain()
        const balanceMoves = read.filter((c) => c.type === "order_balance.updated" && c.order_id === order.id)
        expect(balanceMoves.map((c) => [c.data.previous.status, c.data.object.status])).toEqual([["settled", "customer_owes"]])
      })

      it("names the checkout subscriber for the authorization it mirrored", async () => {
        const store = await setUpCheckoutStore(api, admin, { unit_price: 150 })
        const { order_id } = await checkout(api, store)
        const rows = await waitFor("the checkout's authorization", async () => {
          const r = await get(`/admin/orders/${order_id}/transactions`)
          return r.data.transactions?.length ? r.data.transactions : null
        })
        const res = await get(`/admin/order-transactions/${rows[0].id}/history`)
        expect(res.data.history).toEqual([
          expect.objectContaining({
            type: "order_transaction.created",
            actor: { type: "system", id: "subscriber:order-ledger-reconcile-order-payments" },
          }),
        ])
      })

      it("answers 404 for an unknown id and 401 without auth", async () => {
        const missing = await get(`/admin/order-transactions/oltx_missing/history`)
        expect(missing.status).toBe(404)
        expect(missing.data.code).toBe("NOT_FOUND")
        expect((await get(`/admin/order-transactions/oltx_missing/history`, {})).status).toBe(401)
        expect((await get(`/admin/ledger-changes`, {})).status).toBe(401)
      })
    })

    describe("GET /admin/ledger-changes", () => {
      it("pages in one order with next_cursor; a cursor at the end answers the same cursor; bad input is 400", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        for (let i = 0; i < 5; i++) {
          await post(`/admin/orders/${order.id}/transactions`, { transactions: [{ kind: "payment", amount: 1 }] })
        }
        const pages: any[][] = []
        let cursor: string | undefined
        for (;;) {
          const res = await get(`/admin/ledger-changes?limit=2${cursor ? `&after=${cursor}` : ""}`)
          pages.push(res.data.changes)
          expect(res.data.changes.length).toBeLessThanOrEqual(2)
          cursor = res.data.next_cursor
          if (!res.data.has_more) {
            break
          }
        }
        const all = pages.flat()
        expect(all.map((c) => c.id)).toEqual((await logged(container)).map((c) => c.id))
        expect(all.filter((c) => c.type === "order_transaction.created")).toHaveLength(5)
        const end = await get(`/admin/ledger-changes?after=${cursor}`)
        expect(end.data).toEqual({ changes: [], next_cursor: cursor, has_more: false })

        for (const query of ["after=abc", "after=1.2.3", "limit=0", "limit=1001", "limit=x", "unknown=1"]) {
          const bad = await get(`/admin/ledger-changes?${query}`)
          expect([query, bad.status, bad.data.code]).toEqual([query, 400, "INVALID_DATA"])
        }
        expect((await get(`/admin/ledger-changes?after=abc`)).data.message).toContain("after")
      })

      it("never hands out a change while an older transaction that may still add one is in flight", async () => {
        const container = getContainer()
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
        const order = await createOrder(container, { total: 100 })
        const { cursor: start } = await drain()

        // A slow writer takes its transaction id first and commits last.
        const slow = await pg.transaction()
        await slow.raw(
          `INSERT INTO ledger_transaction (id, order_id, kind, status, amount, raw_amount, currency_code, occurred_at)
           VALUES ('oltx_slow_writer', ?, 'payment', 'succeeded', 5, '{"value":"5","precision":20}', 'usd', now())`,
          [order.id]
        )
        const fast = await post(`/admin/orders/${order.id}/transactions`, { transactions: [{ kind: "payment", amount: 7 }] })
        expect(fast.status).toBe(200)
        const fastId = fast.data.transactions[0].id
        expect((await logged(container)).map((c) => c.resource_id)).toContain(fastId) // committed

        const during = await drain(start)
        expect(during.read.map((c) => c.resource_id)).not.toContain(fastId)
        expect(during.cursor).toBe(start)

        await slow.commit()
        // Both come once every older transaction of the cluster has ended (other work may hold one briefly).
        const ids = await waitFor("the slow writer's change", async () => {
          const read = (await drain(start)).read.map((c) => c.resource_id)
          return read.includes("oltx_slow_writer") && read
        })
        expect(ids.indexOf("oltx_slow_writer")).toBeLessThan(ids.indexOf(fastId))
      })

      it("a follower reading while 8 writers run for 20 s misses none and repeats none", async () => {
        const container = getContainer()
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
        const orders = await Promise.all(Array.from({ length: 8 }, () => createOrder(container, { total: 1000 })))
        const { cursor: start } = await drain()
        const startCount = (await logged(container)).length
        const until = Date.now() + 20_000
        let writes = 0
        let failures = 0

        const writer = async (orderId: string, w: number) => {
          for (let i = 0; Date.now() < until; i++) {
            if (w === 7) {
              // Holds its transaction open while others commit, so commits come out of order.
              const trx = await pg.transaction()
              await trx.raw(
                `INSERT INTO ledger_transaction (id, order_id, kind, status, amount, raw_amount, currency_code, occurred_at)
                 VALUES (?, ?, 'payment', 'succeeded', 1, '{"value":"1","precision":20}', 'usd', now())`,
                [`oltx_slow_${i}`, orderId]
              )
              await new Promise((r) => setTimeout(r, 300))
              await trx.commit()
              writes++
              continue
            }
            const res = await post(`/admin/orders/${orderId}/transactions`, {
              transactions: [{ kind: "payment", amount: 1, status: i % 3 === 0 ? "pending" : "succeeded" }],
            })
            if (res.status !== 200) {
              failures++
              continue
            }
            writes++
            if (i % 3 === 0) {
              const moved = await post(`/admin/order-transactions/${res.data.transactions[0].id}`, { status: "succeeded" })
              moved.status === 200 ? writes++ : failures++
            }
          }
        }

        const seen: any[] = []
        let cursor = start
        let done = false
        const reader = (async () => {
          while (!done) {
            const res = await get(`/admin/ledger-changes?limit=50&after=${cursor}`)
            expect(res.status).toBe(200)
            seen.push(...res.data.changes)
            cursor = res.data.next_cursor
            if (!res.data.has_more) {
              await new Promise((r) => setTimeout(r, 20))
            }
          }
        })()
        await Promise.all(orders.map((o, w) => writer(o.id, w)))
        await new Promise((r) => setTimeout(r, 200))
        done = true
        await reader
        seen.push(...(await drain(cursor)).read)

        // The follower must have read exactly the log's changes since it started, in the log's order.
        const sinceStart = (await logged(container)).slice(startCount).map((c) => c.id)
        const seenIds = seen.map((c) => c.id)
        const missed = sinceStart.filter((id) => !seenIds.includes(id)).length
        const duplicated = seenIds.length - new Set(seenIds).size
        console.log(`feed follower: ${writes} writes (${failures} refused), ${sinceStart.length} changes logged, ${seen.length} read, ${missed} missed, ${duplicated} duplicated`)
        expect(failures).toBe(0)
        expect(writes).toBeGreaterThan(100)
        expect({ missed, duplicated }).toEqual({ missed: 0, duplicated: 0 })
        expect(seenIds).toEqual(sinceStart)
        // Each transaction's versions arrive in order.
        const lastVersion = new Map<string, number>()
        for (const c of seen) {
          expect(c.version).toBeGreaterThan(lastVersion.get(c.resource_id) ?? 0)
          lastVersion.set(c.resource_id, c.version)
        }
      })
    })

    describe("events", () => {
      it("come from the change log: one per change, none for a no-op update, with the change id", async () => {
        const container = getContainer()
        const eventBus = container.resolve(Modules.EVENT_BUS)
        const seen: any[] = []
        const handler = async (event: any) => {
          seen.push(event)
        }
        for (const name of ["order_transaction.created", "order_transaction.updated", "order_balance.updated"]) {
          eventBus.subscribe(name, handler, { subscriberId: `test-change-log-${name}` })
        }
        const order = await createOrder(container, { total: 30 })
        const res: Res = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "payment", amount: 30, status: "pending" }],
        })
        const id = res.data.transactions[0].id
        await post(`/admin/order-transactions/${id}`, { status: "succeeded" })
        await post(`/admin/order-transactions/${id}`, { status: "succeeded" }) // no-op
        await waitFor("four events", async () => seen.filter((e) => e.data.order_id === order.id).length >= 4)
        await new Promise((r) => setTimeout(r, 1500)) // a job tick: nothing more comes
        const mine = seen.filter((e) => e.data.order_id === order.id)
        expect(mine.map((e) => [e.name, e.data.version])).toEqual([
          ["order_transaction.created", 1],
          ["order_balance.updated", 2],
          ["order_transaction.updated", 2],
          ["order_balance.updated", 3],
        ])
        const log = await logged(container)
        expect(mine.map((e) => e.data.change_id)).toEqual(
          log.filter((c) => mine.some((e) => e.data.id === c.resource_id)).map((c) => c.id)
        )
      })
    })
  },
})
