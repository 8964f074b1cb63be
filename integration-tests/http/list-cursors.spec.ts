import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { settle, type Res } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"

jest.setTimeout(240_000)

type Row = Record<string, any>

const TRANSACTIONS = "/admin/order-transactions"
const BALANCES = "/admin/order-balances"

const TRANSACTION_ORDERS = ["created_at", "-created_at", "updated_at", "-updated_at", "occurred_at", "-occurred_at", "id", "-id"]
const BALANCE_ORDERS = ["updated_at", "-updated_at", "id", "-id"]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url")

/** The ids of `table` in the keyset order `order` (`-field` descending, then id the same way), as the database sorts them. */
async function idsInOrder(container: MedusaContainer, table: string, order: string, where = "true", bindings: string[] = []) {
  const field = order.replace(/^-/, "")
  const dir = order.startsWith("-") ? "DESC" : "ASC"
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(
    `SELECT id FROM ${table} WHERE deleted_at IS NULL AND ${where} ORDER BY ${field} ${dir}, id ${dir}`,
    bindings
  )
  return rows.map((r: Row) => r.id as string)
}

/** The database clock as exact text (microseconds, UTC): a point between two writes. */
async function dbNow(container: MedusaContainer): Promise<string> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)
  return rows[0].t
}

/**
 * Waits until nothing writes to the ledger any more (subscribers of Medusa's payment events run
 * after a request has answered): the latest `updated_at` of both tables holds still for 600 ms.
 */
async function quiet(container: MedusaContainer) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const latest = async () =>
    JSON.stringify(
      (await pg.raw(
        `SELECT (SELECT max(updated_at)::text FROM ledger_transaction) AS t, (SELECT max(updated_at)::text FROM ledger_balance) AS b`
      )).rows[0]
    )
  let last = await latest()
  for (let i = 0; i < 40; i++) {
    await sleep(600)
    const now = await latest()
    if (now === last) {
      return
    }
    last = now
  }
  throw new Error("the ledger kept being written to")
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    const get = (url: string) => settle(api.get(url, admin))
    const post = (url: string, body: unknown) => settle(api.post(url, body, admin))

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })

    /** Records transactions on an order and answers their ids, in the order sent. */
    async function record(orderId: string, transactions: Row[]): Promise<string[]> {
      const res = await post(`/admin/orders/${orderId}/transactions`, { transactions })
      expect(res.status).toBe(200)
      return res.data.transactions.map((t: Row) => t.id)
    }

    /**
     * Reads every page of `route` with the cursor (`query` holds the filters and `order`), calling
     * `between` after each page. Asserts the cursor answer's shape on every page: no count, the
     * limit, full pages while a next_cursor is given, and null next_cursor on the last.
     */
    async function pageAll(
      route: string,
      key: "transactions" | "balances",
      query: string,
      limit: number,
      between?: (page: number) => Promise<void>
    ): Promise<{ rows: Row[]; pages: number }> {
      const rows: Row[] = []
      let cursor = ""
      for (let page = 1; page <= 200; page++) {
        const res = await get(`${route}?${query}&limit=${limit}&cursor=${encodeURIComponent(cursor)}`)
        expect([res.status, res.data?.message]).toEqual([200, undefined])
        expect(res.data).not.toHaveProperty("count")
        expect(res.data).not.toHaveProperty("offset")
        expect(res.data.limit).toBe(limit)
        expect(res.data[key].length).toBeLessThanOrEqual(limit)
        rows.push(...res.data[key])
        if (res.data.next_cursor === null) {
          return { rows, pages: page }
        }
        expect(res.data[key]).toHaveLength(limit)
        expect(typeof res.data.next_cursor).toBe("string")
        cursor = res.data.next_cursor
        await between?.(page)
      }
      throw new Error("paging never ended")
    }

    const expectBadCursor = (res: Res, named = "cursor") => {
      expect([res.status, res.data.code, res.data.type]).toEqual([400, "INVALID_DATA", "invalid_data"])
      expect(res.data.message).toContain(named)
    }

    describe("GET /admin/order-transactions with cursor", () => {
      it("pages every transaction exactly once, in order, by each sort field ascending and descending", async () => {
        const container = getContainer()
        const [a, b, c] = [await createOrder(container), await createOrder(container), await createOrder(container)]
        // One call's rows share created_at (one statement), so id breaks the ties; occurred_at repeats too.
        await record(a.id, [1, 2, 3, 4, 5].map((i) => ({ kind: "payment", amount: i, occurred_at: `2026-01-0${(i % 3) + 1}T00:00:00Z` })))
        await record(b.id, [{ kind: "payment", amount: 6 }, { kind: "payment", amount: 7, status: "pending" }])
        await record(b.id, [{ kind: "authorization", amount: 8 }, { kind: "payment", amount: 9, occurred_at: "2026-01-01T00:00:00Z" }])
        await record(c.id, [10, 11, 12].map((i) => ({ kind: "payment", amount: i, occurred_at: "2025-12-31T23:59:59.999Z" })))
        await quiet(container)
        // Six rows updated within one millisecond, two of them at the same microsecond: a cursor
        // that kept a JS Date (milliseconds) would repeat or skip them.
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const sameMs = ["000001", "000002", "000002", "000003", "000999", "000500"]
        const ids = await idsInOrder(container, "ledger_transaction", "id")
        expect(ids).toHaveLength(12)
        for (const [i, us] of sameMs.entries()) {
          await pg.raw(`UPDATE ledger_transaction SET updated_at = ?::timestamptz WHERE id = ?`, [`2030-01-01T00:00:00.${us}Z`, ids[i * 2]])
        }

        for (const order of TRANSACTION_ORDERS) {
          const expected = await idsInOrder(container, "ledger_transaction", order)
          for (const limit of [1, 5, 12, 50]) {
            const { rows, pages } = await pageAll(TRANSACTIONS, "transactions", `order=${order}`, limit)
            const got = rows.map((r) => r.id)
            expect([order, limit, got]).toEqual([order, limit, expected])
            expect(new Set(got).size).toBe(12)
            expect(pages).toBe(Math.ceil(12 / limit))
          }
          // The answered values (milliseconds) never go backwards in the direction asked.
          const field = order.replace(/^-/, "")
          const { rows } = await pageAll(TRANSACTIONS, "transactions", `order=${order}`, 4)
          const values = rows.map((r) => (field === "id" ? r.id : Date.parse(r[field])))
          const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
          expect(values).toEqual(order.startsWith("-") ? sorted.reverse() : sorted)
        }

        // Rows come presented as on the offset list: formatted amounts, refund figures of payments.
        const first = await get(`${TRANSACTIONS}?cursor=&order=id&limit=1&kind=payment&status=succeeded&fields=id,kind,amount,currency_code`)
        expect(Object.keys(first.data.transactions[0]).sort()).toEqual(
          ["amount", "currency_code", "formatted_amount", "id", "kind", "pending_refund_amount", "refundable_amount", "refunded_amount",
            "formatted_pending_refund_amount", "formatted_refundable_amount", "formatted_refunded_amount"].sort()
        )
        // Default order without `order`: id, ascending, as the offset list.
        const byDefault = await pageAll(TRANSACTIONS, "transactions", "fields=id", 5)
        expect(byDefault.rows.map((r) => r.id)).toEqual(await idsInOrder(container, "ledger_transaction", "id"))
        expect(Object.keys(byDefault.rows[0])).toEqual(["id"])
        // Filters apply to every page.
        const ofB = await pageAll(TRANSACTIONS, "transactions", `order_id=${b.id}&kind=payment&order=-occurred_at`, 1)
        expect(ofB.rows.map((r) => r.id)).toEqual(
          await idsInOrder(container, "ledger_transaction", "-occurred_at", "order_id = ? AND kind = 'payment'", [b.id])
        )
        expect(ofB.rows).toHaveLength(3)
      })

      it("stays stable while rows are inserted between pages: later rows appear, none is skipped or repeated", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 10_000 })
        const initial = [
          ...(await record(order.id, [{ kind: "payment", amount: 1 }, { kind: "payment", amount: 2 }])),
          ...(await record(order.id, [{ kind: "payment", amount: 3 }, { kind: "payment", amount: 4 }])),
          ...(await record(order.id, [{ kind: "payment", amount: 5 }, { kind: "payment", amount: 6 }])),
          ...(await record(order.id, [{ kind: "payment", amount: 7 }])),
        ]
        const where: [string, string[]] = ["order_id = ?", [order.id]]

        // Ascending by created_at: rows recorded while a reader pages sort after its cursor and
        // appear on later pages.
        const inserted: string[] = []
        const asc = await pageAll(TRANSACTIONS, "transactions", `order_id=${order.id}&order=created_at`, 2, async (page) => {
          if (page <= 3) {
            inserted.push(...(await record(order.id, [{ kind: "payment", amount: 100 + page }, { kind: "payment", amount: 200 + page }])))
          }
        })
        const ascIds = asc.rows.map((r) => r.id)
        expect(new Set(ascIds).size).toBe(ascIds.length)
        expect(ascIds).toEqual(expect.arrayContaining([...initial, ...inserted]))
        expect(ascIds).toHaveLength(initial.length + inserted.length)
        expect(ascIds).toEqual(await idsInOrder(container, "ledger_transaction", "created_at", ...where))

        // Descending: new rows sort before the cursor, so they do not appear; none of the rows
        // there when paging began is skipped or repeated (offset paging would repeat them).
        const before = await idsInOrder(container, "ledger_transaction", "-created_at", ...where)
        const desc = await pageAll(TRANSACTIONS, "transactions", `order_id=${order.id}&order=-created_at`, 3, async () => {
          await record(order.id, [{ kind: "payment", amount: 1 }])
        })
        expect(desc.rows.map((r) => r.id)).toEqual(before)

        // By occurred_at: an import backdated behind the cursor does not shift the pages either.
        const byOccurred = await idsInOrder(container, "ledger_transaction", "occurred_at", ...where)
        const backdated: string[] = []
        const occurred = await pageAll(TRANSACTIONS, "transactions", `order_id=${order.id}&order=occurred_at`, 4, async () => {
          backdated.push(...(await record(order.id, [{ kind: "payment", amount: 1, occurred_at: "2001-01-01T00:00:00Z" }])))
        })
        expect(occurred.rows.map((r) => r.id)).toEqual(byOccurred)
        expect(backdated.length).toBeGreaterThan(0)

        // Offset paging under the same kind of insert repeats a row: what the cursor is for.
        const offsetFirst = await get(`${TRANSACTIONS}?order_id=${order.id}&order=-created_at&limit=2&offset=0`)
        await record(order.id, [{ kind: "payment", amount: 1 }])
        const offsetSecond = await get(`${TRANSACTIONS}?order_id=${order.id}&order=-created_at&limit=2&offset=2`)
        const firstIds = offsetFirst.data.transactions.map((t: Row) => t.id)
        expect(offsetSecond.data.transactions.map((t: Row) => t.id)).toContain(firstIds[1])
      })

      it("filters on updated_at windows, with the cursor and with offset paging", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 1000 })
        const ids = await record(order.id, [1, 2, 3, 4].map((i) => ({ kind: "payment", amount: i * 10, status: "pending", payment_method: "bank_transfer" })))
        await quiet(container)
        const before = await dbNow(container)
        await sleep(5)
        for (const id of [ids[2], ids[0]]) {
          const moved = await post(`${TRANSACTIONS}/${id}`, { status: "succeeded" })
          expect(moved.status).toBe(200)
          await quiet(container)
        }
        await quiet(container)
        const after = await dbNow(container)

        const q = (s: string) => s.replace(/\$/g, "%24")
        const since = await get(`${TRANSACTIONS}?${q(`updated_at[$gt]=${before}`)}&order=updated_at`)
        expect(since.status).toBe(200)
        expect(since.data.transactions.map((t: Row) => t.id)).toEqual([ids[2], ids[0]])
        expect(since.data.count).toBe(2)
        const untouched = await get(`${TRANSACTIONS}?${q(`updated_at[$lte]=${before}`)}&order=id`)
        expect(untouched.data.transactions.map((t: Row) => t.id).sort()).toEqual([ids[1], ids[3]].sort())
        const windowed = await get(`${TRANSACTIONS}?${q(`updated_at[$gte]=${before}&updated_at[$lt]=${after}`)}`)
        expect(windowed.data.count).toBe(2)
        const none = await get(`${TRANSACTIONS}?${q(`updated_at[$gt]=${after}`)}`)
        expect(none.data.count).toBe(0)

        const paged = await pageAll(TRANSACTIONS, "transactions", `${q(`updated_at[$gt]=${before}`)}&order=updated_at`, 1)
        expect(paged.rows.map((t) => [t.id, t.status])).toEqual([
          [ids[2], "succeeded"],
          [ids[0], "succeeded"],
        ])
        // The order's own list and the CSV export take the same filter.
        const own = await get(`/admin/orders/${order.id}/transactions?${q(`updated_at[$gt]=${before}`)}`)
        expect(own.data.count).toBe(2)
        const csv = await get(`${TRANSACTIONS}/export?${q(`updated_at[$gt]=${before}`)}`)
        expect(csv.status).toBe(200)
        const csvIds = String(csv.data).split("\n").map((line) => line.split(",")[0]).filter((id) => id.startsWith("oltx_"))
        expect(csvIds.sort()).toEqual([ids[0], ids[2]].sort())
        // Dates are checked as for the other ranges.
        const bad = await get(`${TRANSACTIONS}?${q("updated_at[$gt]=yesterday")}`)
        expect([bad.status, bad.data.code]).toEqual([400, "INVALID_DATA"])
        expect(bad.data.message).toContain("updated_at")
      })

      it("pages fields read through Query (linked order fields) the same way", async () => {
        const container = getContainer()
        const a = await createOrder(container, { email: "a@ledger.test" })
        const b = await createOrder(container, { email: "b@ledger.test" })
        await record(a.id, [{ kind: "payment", amount: 1 }, { kind: "payment", amount: 2 }, { kind: "payment", amount: 3 }])
        await record(b.id, [{ kind: "payment", amount: 4 }, { kind: "payment", amount: 5 }])
        const expected = await idsInOrder(container, "ledger_transaction", "-created_at")
        const { rows } = await pageAll(TRANSACTIONS, "transactions", "order=-created_at&fields=id,amount,currency_code,order.email", 2)
        expect(rows.map((r) => r.id)).toEqual(expected)
        const emails: Record<string, string> = { [a.id]: "a@ledger.test", [b.id]: "b@ledger.test" }
        const byId = new Map((await get(`${TRANSACTIONS}?fields=id,order_id&limit=50`)).data.transactions.map((t: Row) => [t.id, t.order_id]))
        for (const row of rows) {
          expect(row.order?.email).toBe(emails[byId.get(row.id) as string])
          expect(row.formatted_amount).toMatch(/^\$\d\.00$/)
        }
      })

      it("answers 400 INVALID_DATA naming cursor for a malformed, mismatched or foreign cursor, never a 500", async () => {
        const order = await createOrder(getContainer())
        await record(order.id, [{ kind: "payment", amount: 1 }, { kind: "payment", amount: 2 }, { kind: "payment", amount: 3 }])
        await record((await createOrder(getContainer())).id, [{ kind: "payment", amount: 4 }])
        const first = await get(`${TRANSACTIONS}?cursor=&order=created_at&limit=1`)
        expect(first.status).toBe(200)
        const cursor: string = first.data.next_cursor
        const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString())
        expect(decoded).toEqual(
          expect.objectContaining({ sort: "created_at", dir: "asc", id: first.data.transactions[0].id, value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) })
        )

        const malformed = [
          "not a cursor",
          "%%%",
          "abc",
          b64("null"),
          b64("[1,2]"),
          b64({ ...decoded, v: 2 }),
          b64({ ...decoded, sort: "amount" }),
          b64({ ...decoded, dir: "up" }),
          b64({ ...decoded, value: "2026-02-30T00:00:00.000000Z" }),
          b64({ ...decoded, value: "2026-13-01T00:00:00.000000Z" }),
          b64({ ...decoded, value: "yesterday" }),
          b64({ ...decoded, value: 5 }),
          b64({ ...decoded, id: "" }),
          b64({ ...decoded, id: "x".repeat(300) }),
          b64({ ...decoded, list: "orders" }),
          "A".repeat(1100),
        ]
        for (const bad of malformed) {
          const res = await get(`${TRANSACTIONS}?order=created_at&cursor=${encodeURIComponent(bad)}`)
          expect([bad, res.status]).toEqual([bad, 400])
          expectBadCursor(res)
        }
        // The cursor is good for the order it was issued for only.
        for (const other of ["-created_at", "updated_at", "occurred_at", "id"]) {
          const res = await get(`${TRANSACTIONS}?order=${other}&cursor=${cursor}`)
          expectBadCursor(res)
          expect(res.data.message).toContain("order=created_at")
        }
        // Without `order` the default is id: good for an id cursor, not for this one.
        const idCursor = (await get(`${TRANSACTIONS}?cursor=&order=id&limit=1`)).data.next_cursor
        expect((await get(`${TRANSACTIONS}?cursor=${idCursor}`)).status).toBe(200)
        const noOrder = await get(`${TRANSACTIONS}?cursor=${cursor}`)
        expectBadCursor(noOrder)
        expect(noOrder.data.message).toContain("order=created_at")
        // A balances cursor is not a transactions cursor.
        const balancesPage = (await get(`${BALANCES}?cursor=&order=id&limit=1`)).data
        expect(balancesPage.balances).toHaveLength(1)
        const foreign = await get(`${TRANSACTIONS}?order=id&cursor=${balancesPage.next_cursor}`)
        expectBadCursor(foreign)
        expect(foreign.data.message).toContain("GET /admin/order-balances")
        expectBadCursor(await get(`${TRANSACTIONS}?order=created_at&cursor=${b64({ ...decoded, list: "order_balances" })}`))
        // A sort field the keyset cannot page, a zero limit, an offset, a list of cursors.
        const amount = await get(`${TRANSACTIONS}?cursor=&order=-amount`)
        expectBadCursor(amount)
        expect(amount.data.message).toContain("order")
        expectBadCursor(await get(`${TRANSACTIONS}?cursor=&limit=0`))
        expectBadCursor(await get(`${TRANSACTIONS}?cursor=&offset=1`))
        expectBadCursor(await get(`${TRANSACTIONS}?cursor[]=a&cursor[]=b`))
        // No admin, no answer.
        expect((await settle(api.get(`${TRANSACTIONS}?cursor=`))).status).toBe(401)
      })

      it("still pages by offset without a cursor, answering count, offset and limit", async () => {
        const order = await createOrder(getContainer())
        await record(order.id, [1, 2, 3, 4, 5].map((i) => ({ kind: "payment", amount: i, occurred_at: `2026-01-0${i}T00:00:00Z` })))
        const res = await get(`${TRANSACTIONS}?order=-occurred_at&limit=2&offset=1&fields=id,amount`)
        expect(res.status).toBe(200)
        expect(res.data).toEqual(expect.objectContaining({ count: 5, offset: 1, limit: 2 }))
        expect(res.data).not.toHaveProperty("next_cursor")
        expect(res.data.transactions.map((t: Row) => t.amount)).toEqual([4, 3])
        const empty = await get(`${BALANCES}?limit=1&offset=5`)
        expect(empty.data).toEqual(expect.objectContaining({ balances: [], count: 1, offset: 5, limit: 1 }))
      })
    })

    describe("GET /admin/order-balances with cursor", () => {
      it("pages every balance exactly once, in order, and stays stable while orders are added", async () => {
        const container = getContainer()
        const orders = []
        for (let i = 0; i < 7; i++) {
          const order = await createOrder(container, { total: 100 + i })
          await record(order.id, [{ kind: "payment", amount: 10 + i }])
          orders.push(order.id)
        }
        await quiet(container)
        for (const order of BALANCE_ORDERS) {
          const expected = await idsInOrder(container, "ledger_balance", order)
          expect(expected).toHaveLength(7)
          for (const limit of [1, 3, 7]) {
            const { rows } = await pageAll(BALANCES, "balances", `order=${order}&fields=id,order_id,outstanding_amount,currency_code`, limit)
            expect([order, limit, rows.map((r) => r.id)]).toEqual([order, limit, expected])
            expect(rows[0]).toEqual({
              id: expect.any(String),
              order_id: expect.any(String),
              outstanding_amount: 90,
              currency_code: "usd",
              formatted_outstanding_amount: "$90.00",
            })
          }
        }
        // Fields without id still page (the cursor reads id itself); filters apply to every page.
        const owing = await pageAll(BALANCES, "balances", "status=customer_owes&fields=order_id&order=-id", 2)
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const byIdDesc = (await pg.raw(`SELECT order_id FROM ledger_balance ORDER BY id DESC`)).rows.map((r: Row) => r.order_id)
        expect(owing.rows.map((r) => r.order_id)).toEqual(byIdDesc)
        expect([...byIdDesc].sort()).toEqual([...orders].sort())
        // The same fields as the offset list answers for `fields=order_id` (Medusa adds id).
        const offsetKeys = Object.keys((await get(`${BALANCES}?fields=order_id&limit=1`)).data.balances[0]).sort()
        expect(Object.keys(owing.rows[0]).sort()).toEqual(offsetKeys)
        expect(offsetKeys).toContain("order_id")
        expect(offsetKeys).not.toContain("paid_total")

        // Orders whose ledger starts while a reader pages by id (creation order) appear at the end.
        const before = await idsInOrder(container, "ledger_balance", "id")
        const added: string[] = []
        const { rows } = await pageAll(BALANCES, "balances", "order=id&fields=id,order_id", 2, async (page) => {
          if (page <= 2) {
            const order = await createOrder(container, { total: 50 })
            await record(order.id, [{ kind: "payment", amount: 5 }])
            added.push(order.id)
          }
        })
        expect(rows.map((r) => r.id).slice(0, before.length)).toEqual(before)
        expect(rows.map((r) => r.order_id).slice(before.length)).toEqual(added)
        expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length)
      })

      it("filters balances on updated_at, with the cursor and with offset paging", async () => {
        const container = getContainer()
        const a = await createOrder(container, { total: 100 })
        const b = await createOrder(container, { total: 100 })
        const c = await createOrder(container, { total: 100 })
        const pending: Record<string, string> = {}
        for (const order of [a, b, c]) {
          ;[pending[order.id]] = await record(order.id, [{ kind: "payment", amount: 40, status: "pending", payment_method: "bank_transfer" }])
        }
        await quiet(container)
        const before = await dbNow(container)
        await sleep(5)
        expect((await post(`${TRANSACTIONS}/${pending[b.id]}`, { status: "succeeded" })).status).toBe(200)
        await quiet(container)

        const q = (s: string) => s.replace(/\$/g, "%24")
        const since = await get(`${BALANCES}?${q(`updated_at[$gt]=${before}`)}`)
        expect(since.status).toBe(200)
        expect(since.data).toEqual(expect.objectContaining({ count: 1 }))
        expect(since.data.balances.map((x: Row) => [x.order_id, x.paid_total, x.outstanding_amount])).toEqual([[b.id, 40, 60]])
        const older = await get(`${BALANCES}?${q(`updated_at[$lte]=${before}`)}&order=id`)
        expect(older.data.balances.map((x: Row) => x.order_id).sort()).toEqual([a.id, c.id].sort())
        const paged = await pageAll(BALANCES, "balances", `${q(`updated_at[$gt]=${before}`)}&order=-updated_at`, 1)
        expect(paged.rows.map((x) => x.order_id)).toEqual([b.id])
        const bad = await get(`${BALANCES}?${q("updated_at[$lt]=2026-99-99")}`)
        expect([bad.status, bad.data.code]).toEqual([400, "INVALID_DATA"])
      })

      it("pages linked order fields through Query, and refuses what it cannot page with 400 naming cursor", async () => {
        const container = getContainer()
        const emails: Record<string, string> = {}
        for (let i = 0; i < 3; i++) {
          const order = await createOrder(container, { total: 100, email: `b${i}@ledger.test` })
          await record(order.id, [{ kind: "payment", amount: 10 }])
          emails[order.id] = `b${i}@ledger.test`
        }
        await quiet(container)
        const expected = await idsInOrder(container, "ledger_balance", "updated_at")
        const { rows } = await pageAll(BALANCES, "balances", "order=updated_at&fields=id,order_id,outstanding_amount,currency_code,order.email", 2)
        expect(rows.map((r) => r.id)).toEqual(expected)
        for (const row of rows) {
          expect(row.order?.email).toBe(emails[row.order_id])
          expect(row.formatted_outstanding_amount).toBe("$90.00")
        }

        const first = await get(`${BALANCES}?cursor=&order=updated_at&limit=1`)
        const cursor = first.data.next_cursor
        expectBadCursor(await get(`${BALANCES}?cursor=${cursor}&order=-updated_at`))
        expectBadCursor(await get(`${BALANCES}?cursor=${cursor}`))
        expectBadCursor(await get(`${BALANCES}?cursor=${encodeURIComponent("{bad")}`))
        const transactionsCursor = (await get(`${TRANSACTIONS}?cursor=&order=updated_at&limit=1`)).data.next_cursor
        const foreign = await get(`${BALANCES}?cursor=${transactionsCursor}&order=updated_at`)
        expectBadCursor(foreign)
        expect(foreign.data.message).toContain("GET /admin/order-transactions")
        const bySum = await get(`${BALANCES}?cursor=&order=-outstanding_amount`)
        expectBadCursor(bySum)
        expect(bySum.data.message).toContain("one of updated_at, id")
        expectBadCursor(await get(`${BALANCES}?cursor=&order=occurred_at`), "order")
        expectBadCursor(await get(`${BALANCES}?cursor=&order=created_at`), "order")
        // Offset paging still answers count and sorts by outstanding_amount.
        const offset = await get(`${BALANCES}?order=-outstanding_amount&limit=2&offset=1`)
        expect(offset.data).toEqual(expect.objectContaining({ count: 3, offset: 1, limit: 2 }))
        expect(offset.data).not.toHaveProperty("next_cursor")
      })
    })
  },
})
