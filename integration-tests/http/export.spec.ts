import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { parse } from "csv-parse"
import type { Readable } from "stream"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { refreshOrderBalancesWorkflow } from "../../src/workflows/workflows/refresh-order-balances"

jest.setTimeout(240_000)

const ROWS = 10_000
const HEADER = [
  "id", "order_id", "occurred_at", "created_at", "updated_at", "kind", "status", "amount", "formatted_amount",
  "fee", "formatted_fee", "currency_code", "payment_method", "card_brand", "card_last4", "gateway", "external_id",
  "reference", "reference_id", "parent_id", "message", "reason", "note", "metadata",
]
const DECIMALS: Record<string, number> = { usd: 2, jpy: 0, kwd: 3 }
const NASTY_NOTE = 'comma, "quotes" and\na newline'
const FORMULA_NOTE = '=HYPERLINK("http://example.com","click")'

/**
 * Seeds `ROWS` transactions over three orders (USD, JPY, KWD) with one SQL statement: payments,
 * refunds and chargebacks, amounts with each currency's decimals, some fees, cards, metadata.
 */
async function seed(container: MedusaContainer) {
  const orders = {
    usd: (await createOrder(container, { total: 1000, currency_code: "usd" })).id,
    jpy: (await createOrder(container, { total: 100000, currency_code: "jpy" })).id,
    kwd: (await createOrder(container, { total: 1000, currency_code: "kwd" })).id,
  }
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const started = Date.now()
  await pg.raw(
    `INSERT INTO ledger_transaction (id, order_id, kind, status, amount, raw_amount, currency_code, reference,
       payment_method, gateway, external_id, fee, raw_fee, card_brand, card_last4, message, note, occurred_at,
       metadata, created_at, updated_at)
     SELECT 'oltx_seed' || lpad(i::text, 6, '0'), o.order_id, k.kind, 'succeeded', s.amount,
       jsonb_build_object('value', s.amount::text, 'precision', 20), c.cur, 'manual',
       CASE WHEN i % 3 = 0 THEN 'card' ELSE 'bank_transfer' END, 'manual', 'EXT-' || i,
       f.fee, CASE WHEN f.fee IS NULL THEN NULL ELSE jsonb_build_object('value', f.fee::text, 'precision', 20) END,
       CASE WHEN i % 3 = 0 THEN 'visa' END, CASE WHEN i % 3 = 0 THEN '4242' END,
       CASE WHEN i % 5 = 0 THEN 'Transaction approved' END,
       CASE WHEN i = 1 THEN ? WHEN i = 2 THEN ? END,
       now() - make_interval(mins => i),
       CASE WHEN i % 100 = 0 THEN jsonb_build_object('batch', i / 100) END,
       now(), now()
     FROM generate_series(1, ?::int) AS i
     CROSS JOIN LATERAL (SELECT (ARRAY['usd', 'jpy', 'kwd'])[1 + i % 3] AS cur) c
     CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 7 THEN 'payment' WHEN i % 10 < 9 THEN 'refund' ELSE 'chargeback' END AS kind) k
     CROSS JOIN LATERAL (SELECT CASE c.cur WHEN 'usd' THEN (i % 100000)::numeric / 100 + 1
                                          WHEN 'jpy' THEN (i % 100000)::numeric + 1
                                          ELSE (i % 100000)::numeric / 1000 + 1 END AS abs_amount) a
     CROSS JOIN LATERAL (SELECT CASE WHEN k.kind = 'payment' THEN a.abs_amount ELSE -a.abs_amount END AS amount) s
     CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0 AND c.cur = 'usd' THEN round(a.abs_amount * 0.029, 2) END AS fee) f
     CROSS JOIN LATERAL (SELECT (jsonb_build_object('usd', ?::text, 'jpy', ?::text, 'kwd', ?::text) ->> c.cur) AS order_id) o`,
    [FORMULA_NOTE, NASTY_NOTE, ROWS, orders.usd, orders.jpy, orders.kwd]
  )
  await refreshOrderBalancesWorkflow(container).run({ input: { order_ids: Object.values(orders) } })
  console.log(`[export] seeded ${ROWS} transactions in ${Date.now() - started} ms`)
  return orders
}

/** Samples this process's memory (the server runs in it) every 20 ms. */
function sampleMemory() {
  const samples: { rss: number; heapUsed: number }[] = []
  const timer = setInterval(() => {
    const m = process.memoryUsage()
    samples.push({ rss: m.rss, heapUsed: m.heapUsed })
  }, 20)
  return {
    stop() {
      clearInterval(timer)
      return samples
    },
  }
}

const MB = 1024 * 1024
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("GET /admin/order-transactions/export", () => {
      let admin: { headers: Record<string, string> }
      let orders: Record<string, string>

      beforeEach(async () => {
        admin = await createAdminHeaders(getContainer())
        orders = await seed(getContainer())
      })

      /**
       * GETs the export as a stream and parses it as it arrives. With `onRecord` the records are
       * handed over one by one and not kept, so the client adds little to the memory measured.
       */
      const download = async (query = "", onRecord?: (record: string[], index: number) => void) => {
        const res = await api.get(`/admin/order-transactions/export${query}`, { ...admin, responseType: "stream" })
        const stream = res.data as Readable
        let bytes = 0
        let chunks = 0
        stream.on("data", (chunk: Buffer) => {
          bytes += chunk.length
          chunks++
        })
        const records: string[][] = []
        let count = 0
        await new Promise<void>((resolve, reject) => {
          stream
            .pipe(parse({ bom: true }))
            .on("data", (record: string[]) => (onRecord ? onRecord(record, count++) : records.push(record)))
            .on("end", resolve)
            .on("error", reject)
        })
        return { res, bytes, chunks, header: records[0], rows: records.slice(1), count }
      }

      it("streams 10,000 transactions as CSV with exact amounts, in flat memory", async () => {
        const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const { rows: db } = await pg.raw(
          `SELECT id, amount::text AS amount, fee::text AS fee, currency_code FROM ledger_transaction ORDER BY id`
        )
        expect(db).toHaveLength(ROWS)
        const dbById = new Map((db as { id: string; amount: string; fee: string | null; currency_code: string }[]).map((d) => [d.id, d]))
        const seedId = (i: number) => `oltx_seed${String(i).padStart(6, "0")}`
        const picks = new Map([1, 2, 3, 8, 9, 12, 100].map((i) => [seedId(i), [] as string[]]))

        // Warm the route up (code paths loaded, first JIT) so the measure is the export itself.
        await download(`?order_id=${orders.usd}&kind=chargeback`)
        global.gc?.()
        let header: string[] = []
        let previousId = ""
        let rows = 0
        let unordered = 0
        let mismatches = 0
        const seen = new Set<string>()
        const before = process.memoryUsage()
        const sampler = sampleMemory()
        const started = Date.now()
        const { res, bytes, chunks } = await download("", (record, index) => {
          if (index === 0) {
            header = record
            return
          }
          rows++
          const [id] = record
          const r = Object.fromEntries(HEADER.map((h, i) => [h, record[i]]))
          unordered += id > previousId ? 0 : 1
          previousId = id
          seen.add(id)
          const d = dbById.get(id)
          const places = (r.amount.split(".")[1] ?? "").length
          const sameFee = !d ? false : d.fee === null ? r.fee === "" : MathBN.eq(r.fee, d.fee)
          if (!d || !MathBN.eq(r.amount, d.amount) || places !== DECIMALS[d.currency_code] || !sameFee) {
            mismatches++
          }
          if (picks.has(id)) {
            picks.set(id, record)
          }
        })
        const elapsed = Date.now() - started
        const samples = sampler.stop()
        const after = process.memoryUsage()
        const peakRss = Math.max(before.rss, after.rss, ...samples.map((s) => s.rss))
        const peakHeap = Math.max(before.heapUsed, after.heapUsed, ...samples.map((s) => s.heapUsed))
        const figures = {
          rows,
          csv_mb: mb(bytes),
          chunks,
          ms: elapsed,
          rss_before_mb: mb(before.rss),
          rss_peak_mb: mb(peakRss),
          rss_growth_mb: mb(peakRss - before.rss),
          heap_before_mb: mb(before.heapUsed),
          heap_peak_mb: mb(peakHeap),
          heap_growth_mb: mb(peakHeap - before.heapUsed),
          rss_growth_per_csv_mb: Math.round(((peakRss - before.rss) / bytes) * 100) / 100,
          samples: samples.length,
        }
        console.log(`[export] ${JSON.stringify(figures)}`)

        // A download, streamed (chunked, no Content-Length: nothing was built whole first).
        expect(res.status).toBe(200)
        expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8")
        expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="order-transactions-\d{8}-\d{6}\.csv"$/)
        expect(res.headers["transfer-encoding"]).toBe("chunked")
        expect(res.headers["content-length"]).toBeUndefined()
        expect(chunks).toBeGreaterThan(1)

        // Every row, once, by id, with the header first.
        expect(header).toEqual(HEADER)
        expect(rows).toBe(ROWS)
        expect(seen.size).toBe(ROWS)
        expect(unordered).toBe(0)

        // Exact amounts: equal to the database, with the currency's decimals, formatted beside.
        expect(mismatches).toBe(0)
        const col = Object.fromEntries(HEADER.map((h, i) => [h, i]))
        const pick = (i: number, ...fields: string[]) => fields.map((f) => picks.get(seedId(i))![col[f]])
        const intl = (value: number, currency: string) =>
          new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(value)
        expect(pick(3, "kind", "amount", "formatted_amount", "currency_code")).toEqual(["payment", "1.03", "$1.03", "usd"])
        expect(pick(1, "amount", "formatted_amount")).toEqual(["2", intl(2, "jpy")])
        expect(pick(8, "kind", "amount", "formatted_amount")).toEqual(["refund", "-1.008", intl(-1.008, "kwd")])
        expect(pick(9, "kind", "amount", "formatted_amount")).toEqual(["chargeback", "-1.09", "-$1.09"])
        expect(pick(12, "fee", "formatted_fee", "card_brand", "card_last4")).toEqual(["0.03", "$0.03", "visa", "4242"])
        expect(pick(100, "metadata")).toEqual(['{"batch":1}'])
        // Quotes, commas and newlines survive; a formula is defused for spreadsheets.
        expect(pick(2, "note")).toEqual([NASTY_NOTE])
        expect(pick(1, "note")).toEqual([`'${FORMULA_NOTE}`])

        // Memory stays flat: the server holds one page of 1000 rows at a time.
        expect(peakRss - before.rss).toBeLessThan(60 * MB)
      })

      it("applies the list filters, and answers errors before streaming", async () => {
        const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const { rows: expected } = await pg.raw(
          `SELECT id FROM ledger_transaction WHERE order_id = ? AND kind = 'refund' ORDER BY id`,
          [orders.kwd]
        )
        const filtered = await download(`?order_id=${orders.kwd}&kind=refund`)
        expect(filtered.rows.map((r) => r[0])).toEqual(expected.map((e: { id: string }) => e.id))
        expect(new Set(filtered.rows.map((r) => `${r[1]}|${r[5]}|${r[11]}`))).toEqual(new Set([`${orders.kwd}|refund|kwd`]))

        const searched = await download(`?q=EXT-999&order_id[]=${orders.usd}&order_id[]=${orders.jpy}`)
        const { rows: like } = await pg.raw(
          `SELECT id FROM ledger_transaction WHERE external_id LIKE 'EXT-999%' AND order_id IN (?, ?) ORDER BY id`,
          [orders.usd, orders.jpy]
        )
        expect(searched.rows.map((r) => r[0])).toEqual(like.map((e: { id: string }) => e.id))
        expect(searched.rows.length).toBeGreaterThan(0)

        const since = new Date(Date.now() - 30 * 60_000).toISOString()
        const recent = await download(`?occurred_at[$gte]=${encodeURIComponent(since)}`)
        const { rows: recentDb } = await pg.raw(`SELECT count(*)::int AS n FROM ledger_transaction WHERE occurred_at >= ?`, [since])
        expect(recent.rows).toHaveLength(recentDb[0].n)
        expect(recent.rows.length).toBeGreaterThan(0)

        const none = await download(`?kind=void`)
        expect(none.header).toEqual(HEADER)
        expect(none.rows).toHaveLength(0)

        const bad = await api
          .get(`/admin/order-transactions/export?kind=bogus`, admin)
          .catch((e: { response: { status: number; data: Record<string, unknown> } }) => e.response)
        expect(bad.status).toBe(400)
        expect(bad.data).toMatchObject({ code: "INVALID_DATA" })

        // A client that goes away mid-download leaves the server serving the next one.
        const abandoned = await api.get(`/admin/order-transactions/export`, { ...admin, responseType: "stream" })
        await new Promise<void>((resolve) => (abandoned.data as Readable).once("data", () => resolve()))
        ;(abandoned.data as Readable).destroy()
        const t0 = Date.now()
        const next = await download(`?order_id=${orders.kwd}&kind=refund`)
        console.log(`[export] next download after an abandoned one: ${Date.now() - t0} ms`)
        expect(next.rows).toHaveLength(expected.length)

        const anonymous = await api
          .get(`/admin/order-transactions/export`)
          .catch((e: { response: { status: number } }) => e.response)
        expect(anonymous.status).toBe(401)
      })
    })
  },
})
