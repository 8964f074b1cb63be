import fs from "fs"
import path from "path"
import fc from "fast-check"
import {
  type Cluster,
  type HttpAnswer,
  createOrder,
  execInCluster,
  request,
  sleep,
  startCluster,
} from "./cluster"
import { type FuzzCase, FUZZED_ROUTES, badInput } from "./fuzz"
import { defaultAdminBalanceFields } from "../../src/api/admin/order-balances/query-config"

/**
 * The ledger as a store runs it at scale: two `medusa start` processes on one database, with
 * Redis for events, workflows and locks (host/medusa-config.ts). Races, repeats, crashes and bad
 * input are spread over both processes, and every figure is printed and asserted:
 * - partial and full refunds racing on one payment never refund more than was paid;
 * - idempotent repeats (same key, both processes, at the same moment) record once;
 * - every change's event is delivered exactly once (a subscriber in both processes counts them);
 * - a follower of the change feed reads every change exactly once, in the log's order, while 8
 *   writers run for 20 s over both processes and one of them is killed (SIGKILL) and restarted;
 * - bad input for every admin route (fast-check, thousands of cases) answers a 4xx with a `code`,
 *   never a 500, and writes nothing;
 * - a process killed (SIGKILL) mid-batch of 50 leaves the batch all there or not there, a retry
 *   with the same Idempotency-Key ends with it there exactly once, and every stored balance equals
 *   the service's recompute from the ledger.
 * Needs PostgreSQL (as every suite) and Redis: the private one `npm test` starts (TEST_REDIS_URL).
 */

jest.setTimeout(240_000)

const FUZZ_CASES = Number(process.env.RELIABILITY_FUZZ_CASES ?? 3000)
const FUZZ_SEED = Number(process.env.RELIABILITY_FUZZ_SEED ?? Date.now() % 2 ** 31)
const REFUND_RACERS = 40

let cluster: Cluster
const figures: Record<string, unknown> = {}

type Body = Record<string, any>

/** Admin request to process `i % n`. */
function api(i: number, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
  const server = cluster.servers[i % cluster.servers.length]
  return request(server, method, urlPath, { body, headers: { ...cluster.admin, ...headers } })
}

let concurrentRetries = 0

/** Retries while the order's lock is busy (409 CONCURRENT_REQUEST), as the contract tells clients to. */
async function retryBusy(send: () => Promise<HttpAnswer>, attempts = 60): Promise<HttpAnswer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send()
    if (answer.status !== 409 || answer.body.code !== "CONCURRENT_REQUEST" || attempt >= attempts) {
      return answer
    }
    concurrentRetries++
    await sleep(50 + Math.random() * 150)
  }
}

async function sql<T = Body>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await cluster.pg.query(text, params)).rows as T[]
}

/**
 * Stored balances that differ from an independent recompute of the contract's figures (section
 * 3: succeeded payments, refunds and chargebacks; net paid; outstanding; status).
 */
async function balanceMismatches(orderIds?: string[]) {
  return sql(
    `SELECT b.order_id, b.paid_total::text, x.paid::text, b.refunded_total::text, x.refunded::text,
       b.outstanding_amount::text, b.status
     FROM ledger_balance b
     CROSS JOIN LATERAL (
       SELECT COALESCE(SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'payment'), 0) AS paid,
              COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'refund'), 0) AS refunded,
              COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'chargeback'), 0) AS chargeback
       FROM ledger_transaction t WHERE t.order_id = b.order_id AND t.deleted_at IS NULL
     ) x
     WHERE b.deleted_at IS NULL AND ($1::text[] IS NULL OR b.order_id = ANY($1::text[]))
       AND NOT (b.paid_total = x.paid AND b.refunded_total = x.refunded AND b.chargeback_total = x.chargeback
         AND b.net_paid = x.paid - x.refunded - x.chargeback
         AND b.outstanding_amount = b.order_total - (x.paid - x.refunded - x.chargeback)
         AND b.status = CASE WHEN b.outstanding_amount > 0 THEN 'customer_owes'
                             WHEN b.outstanding_amount < 0 THEN 'merchant_owes' ELSE 'settled' END)`,
    [orderIds ?? null]
  )
}

/** Medusa's own summary of an order, over HTTP. */
async function medusaSummary(orderId: string) {
  const answer = await api(0, "GET", `/admin/orders/${orderId}?fields=id,summary.*`)
  expect(answer.status).toBe(200)
  return (answer.body.order as Body).summary as Body
}

async function recordPayments(orderId: string, transactions: Body[]) {
  const answer = await api(0, "POST", `/admin/orders/${orderId}/transactions`, { transactions })
  expect(answer.status).toBe(200)
  return (answer.body.transactions as Body[]).map((t) => t.id as string)
}

const count = (answers: HttpAnswer[], pred: (a: HttpAnswer) => boolean) => answers.filter(pred).length
const byProcess = (answers: HttpAnswer[]) =>
  answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.process]: (acc[a.process] ?? 0) + 1 }), {})

beforeAll(async () => {
  cluster = await startCluster(2)
  figures.processes = cluster.servers.length
  figures.boot = { migrate_s: cluster.timings.migrate / 1000, two_processes_s: cluster.timings.boot / 1000 }
}, 300_000)

afterAll(async () => {
  figures.retries_on_CONCURRENT_REQUEST = concurrentRetries
  console.log(`[reliability] figures\n${JSON.stringify(figures, null, 2)}`)
  await cluster?.stop()
}, 60_000)

describe("two Medusa processes on one database, Redis for events, workflows and locks", () => {
  it("serves the same store from both processes", async () => {
    await createOrder(cluster.pg, "order_rel_smoke", "190")
    const answers = await Promise.all(cluster.servers.map((_, i) => api(i, "GET", "/admin/orders/order_rel_smoke/balance")))
    expect(answers.map((a) => [a.status, (a.body.balance as Body | undefined)?.outstanding_amount])).toEqual([
      [200, 190],
      [200, 190],
    ])
    const unauthenticated = await request(cluster.servers[1], "GET", "/admin/orders/order_rel_smoke/balance")
    expect(unauthenticated.status).toBe(401)
  })

  it(`never refunds more than was paid when ${REFUND_RACERS} partial refunds race on one payment over both processes`, async () => {
    await createOrder(cluster.pg, "order_rel_race", "100")
    const [paymentId] = await recordPayments("order_rel_race", [
      { kind: "payment", amount: 100, payment_method: "card", gateway: "stripe", external_id: "ch_rel_race" },
    ])
    const answers = await Promise.all(
      Array.from({ length: REFUND_RACERS }, (_, i) =>
        retryBusy(() => api(i, "POST", `/admin/order-transactions/${paymentId}/refunds`, { amount: 7, reason: `racer ${i}` }))
      )
    )
    const accepted = answers.filter((a) => a.status === 200)
    const rejected = answers.filter((a) => a.status !== 200)
    expect(count(answers, (a) => a.status >= 500)).toBe(0)
    expect(accepted).toHaveLength(Math.floor(100 / 7))
    expect(new Set(rejected.map((a) => `${a.status} ${a.body.code}`))).toEqual(new Set(["400 AMOUNT_EXCEEDS_REFUNDABLE"]))

    const [refunds] = await sql(
      `SELECT count(*)::int AS n, COALESCE(-SUM(amount), 0)::text AS total FROM ledger_transaction
       WHERE parent_id = $1 AND kind = 'refund' AND status = 'succeeded'`,
      [paymentId]
    )
    expect(refunds).toEqual({ n: 14, total: "98" })
    expect(await balanceMismatches(["order_rel_race"])).toEqual([])
    const [balance] = await sql(
      `SELECT refunded_total::text, outstanding_amount::text, status FROM ledger_balance WHERE order_id = 'order_rel_race'`
    )
    expect(balance).toEqual({ refunded_total: "98", outstanding_amount: "98", status: "customer_owes" })
    // Medusa's own books were kept in step under the same lock: no lost update of its summary.
    const summary = await medusaSummary("order_rel_race")
    expect([summary.paid_total, summary.refunded_total, summary.pending_difference]).toEqual([100, 98, 98])

    // Full refunds (no amount) racing: exactly one takes what is left.
    await createOrder(cluster.pg, "order_rel_full", "50")
    const [fullId] = await recordPayments("order_rel_full", [{ kind: "payment", amount: 50, payment_method: "cash" }])
    const full = await Promise.all(
      Array.from({ length: 10 }, (_, i) => retryBusy(() => api(i, "POST", `/admin/order-transactions/${fullId}/refunds`, {})))
    )
    expect(full.filter((a) => a.status === 200).map((a) => (a.body.transaction as Body).amount)).toEqual([-50])
    expect(count(full, (a) => a.status === 400 && a.body.code === "AMOUNT_EXCEEDS_REFUNDABLE")).toBe(9)
    expect(await balanceMismatches(["order_rel_full"])).toEqual([])

    figures.refund_race = {
      partial_refunds_raced: REFUND_RACERS,
      payment: "100.00",
      refund_each: "7.00",
      accepted: accepted.length,
      accepted_by_process: byProcess(accepted),
      rejected_AMOUNT_EXCEEDS_REFUNDABLE: rejected.length,
      refunded_total: refunds.total,
      full_refunds_raced: full.length,
      full_refunds_accepted: count(full, (a) => a.status === 200),
    }
  })

  it("records an idempotent repeat once, however many copies arrive at once on both processes", async () => {
    await createOrder(cluster.pg, "order_rel_idem", "100")
    const [paymentId] = await recordPayments("order_rel_idem", [{ kind: "payment", amount: 100, payment_method: "card" }])
    const keys = Array.from({ length: 5 }, (_, k) => `rel-${cluster.runId}-refund-${k}`)
    const copies = 8
    const answers = await Promise.all(
      keys.flatMap((key, k) =>
        Array.from({ length: copies }, (_, i) =>
          retryBusy(() =>
            api(k + i, "POST", `/admin/order-transactions/${paymentId}/refunds`, { amount: 10, reason: "Idempotent" }, {
              "idempotency-key": key,
            })
          ).then((a) => ({ ...a, key }))
        )
      )
    )
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    const idsByKey = new Map<string, Set<string>>()
    for (const a of answers) {
      idsByKey.set(a.key, (idsByKey.get(a.key) ?? new Set()).add((a.body.transaction as Body).id))
    }
    expect([...idsByKey.values()].map((ids) => ids.size)).toEqual(keys.map(() => 1))
    const [refunds] = await sql(
      `SELECT count(*)::int AS n, COALESCE(-SUM(amount), 0)::text AS total FROM ledger_transaction WHERE parent_id = $1`,
      [paymentId]
    )
    expect(refunds).toEqual({ n: keys.length, total: "50" })

    const mismatch = await api(1, "POST", `/admin/order-transactions/${paymentId}/refunds`, { amount: 11 }, {
      "idempotency-key": keys[0],
    })
    expect([mismatch.status, mismatch.body.code]).toEqual([409, "IDEMPOTENCY_KEY_MISMATCH"])

    const recordKey = `rel-${cluster.runId}-record`
    const records = await Promise.all(
      Array.from({ length: copies }, (_, i) =>
        retryBusy(() =>
          api(i, "POST", "/admin/orders/order_rel_idem/transactions", {
            transactions: [{ kind: "payment", amount: 5, payment_method: "cash", external_id: "cash-rel-5", gateway: "pos" }],
          }, { "idempotency-key": recordKey })
        )
      )
    )
    expect(records.map((a) => a.status)).toEqual(records.map(() => 200))
    expect(new Set(records.map((a) => (a.body.transactions as Body[])[0].id)).size).toBe(1)
    const [cash] = await sql(`SELECT count(*)::int AS n FROM ledger_transaction WHERE order_id = 'order_rel_idem' AND amount = 5`)
    expect(cash.n).toBe(1)
    expect(await balanceMismatches(["order_rel_idem"])).toEqual([])

    figures.idempotency = {
      refund_keys: keys.length,
      copies_per_key: copies,
      requests: answers.length,
      refunds_recorded: refunds.n,
      record_copies: records.length,
      records_recorded: cash.n,
      by_process: byProcess([...answers, ...records]),
    }
  })

  it("delivers every change's event exactly once across both processes", async () => {
    const orders = Array.from({ length: 6 }, (_, i) => `order_rel_events_${i}`)
    for (const id of orders) {
      await createOrder(cluster.pg, id, "500")
    }
    const created: string[] = []
    const pending: string[] = []
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        orders.map((orderId, i) =>
          retryBusy(() =>
            api(round + i, "POST", `/admin/orders/${orderId}/transactions`, {
              transactions: [
                { kind: "payment", status: "pending", amount: 1, payment_method: "bank_transfer" },
                { kind: "payment", amount: 2, payment_method: "card" },
              ],
            })
          )
        )
      )
      for (const a of answers) {
        expect(a.status).toBe(200)
        const [p, s] = a.body.transactions as Body[]
        created.push(p.id, s.id)
        pending.push(p.id)
      }
    }
    const updates = await Promise.all(
      pending.map((id, i) => retryBusy(() => api(i, "POST", `/admin/order-transactions/${id}`, { status: "succeeded" })))
    )
    expect(updates.map((a) => a.status)).toEqual(updates.map(() => 200))

    const expected = created.length + pending.length
    const started = Date.now()
    let delivered = 0
    while (Date.now() - started < 60_000) {
      const [row] = await sql(
        `SELECT count(*)::int AS n FROM reliability_event_log WHERE entity_id = ANY($1::text[])`,
        [created]
      )
      delivered = row.n
      if (delivered >= expected) {
        break
      }
      await sleep(250)
    }
    await sleep(3000) // late duplicates would land here
    const rows = await sql<{ event_name: string; entity_id: string; n: number }>(
      `SELECT event_name, entity_id, count(*)::int AS n FROM reliability_event_log
       WHERE entity_id = ANY($1::text[]) GROUP BY 1, 2`,
      [created]
    )
    const createdCounts = new Map(rows.filter((r) => r.event_name === "order_transaction.created").map((r) => [r.entity_id, r.n]))
    const updatedCounts = new Map(rows.filter((r) => r.event_name === "order_transaction.updated").map((r) => [r.entity_id, r.n]))
    expect(created.map((id) => createdCounts.get(id) ?? 0)).toEqual(created.map(() => 1))
    expect(pending.map((id) => updatedCounts.get(id) ?? 0)).toEqual(pending.map(() => 1))
    expect(rows.filter((r) => r.event_name === "order_transaction.updated" && !pending.includes(r.entity_id))).toEqual([])

    // Every ledger row written so far (races, repeats, these) got exactly one created event, and
    // no event anywhere was delivered twice.
    await sleep(1000)
    const missing = await sql(
      `SELECT t.id FROM ledger_transaction t
       WHERE NOT EXISTS (SELECT 1 FROM reliability_event_log e WHERE e.entity_id = t.id AND e.event_name = 'order_transaction.created')`
    )
    expect(missing).toEqual([])
    const twice = await sql(
      `SELECT event_name, entity_id, count(*)::int AS n FROM reliability_event_log GROUP BY 1, 2 HAVING count(*) > 1`
    )
    expect(twice).toEqual([])
    const split = await sql<{ process: string; n: number }>(
      `SELECT process, count(*)::int AS n FROM reliability_event_log WHERE entity_id = ANY($1::text[]) GROUP BY 1 ORDER BY 1`,
      [created]
    )
    const [all] = await sql(`SELECT count(*)::int AS n FROM reliability_event_log`)
    figures.events = {
      changes: expected,
      created_events: created.length,
      updated_events: pending.length,
      delivered,
      delivered_by_process: Object.fromEntries(split.map((s) => [s.process, s.n])),
      all_events_so_far: all.n,
      duplicates: twice.length,
    }
  })

  it("answers the same balances through the plain SQL page read as through Query", async () => {
    const base = "/admin/order-balances?limit=200&order=-outstanding_amount"
    const fields = [...defaultAdminBalanceFields, "order.id"].join(",")
    const [plain, graph] = await Promise.all([
      api(0, "GET", base),
      api(1, "GET", `${base}&fields=${encodeURIComponent(fields)}`),
    ])
    expect([plain.status, graph.status]).toEqual([200, 200])
    const byOrder = (rows: Body[]) => [...rows].sort((x, y) => (x.order_id < y.order_id ? -1 : 1))
    const graphRows = (graph.body.balances as Body[]).map(({ order, ...rest }) => {
      expect(order?.id).toBe(rest.order_id)
      return rest
    })
    expect(byOrder(plain.body.balances as Body[])).toEqual(byOrder(graphRows))
    const amounts = (plain.body.balances as Body[]).map((b) => b.outstanding_amount as number)
    expect(amounts).toEqual([...amounts].sort((x, y) => y - x))
    expect(graphRows.map((b) => b.outstanding_amount)).toEqual(amounts)
    expect(plain.body.count).toBe(graph.body.count)
    expect((plain.body.balances as Body[]).length).toBeGreaterThan(5)
  })

  it(`answers ${FUZZ_CASES} bad inputs to every admin route with a 4xx and a code, and writes nothing`, async () => {
    await createOrder(cluster.pg, "order_rel_fuzz", "100")
    const [paymentId, pendingId, authorizationId] = await recordPayments("order_rel_fuzz", [
      { kind: "payment", amount: 60, payment_method: "card", gateway: "stripe", external_id: "ch_rel_fuzz" },
      { kind: "payment", status: "pending", amount: 10, payment_method: "bank_transfer" },
      { kind: "authorization", amount: 30, payment_method: "card", gateway: "stripe", external_id: "pi_rel_fuzz" },
    ])

    // Every admin route the plugin has is fuzzed: a new route without cases fails here.
    expect(adminRoutes().sort()).toEqual([...FUZZED_ROUTES].sort())

    // Let the setup's events land before taking the picture.
    for (let i = 0; i < 120; i++) {
      const [row] = await sql(`SELECT count(*)::int AS n FROM reliability_event_log WHERE order_id = 'order_rel_fuzz'`)
      if (row.n >= 3) {
        break
      }
      await sleep(250)
    }
    // A webhook endpoint that exists (disabled, so nothing is delivered), for the webhook routes' cases.
    const webhookId = "olwh_rel_fuzz"
    await sql(
      `INSERT INTO ledger_webhook_endpoint (id, url, events, enabled, secret) VALUES ($1, 'https://hooks.example.com/ledger', NULL, false, 'whsec_fuzz')`,
      [webhookId]
    )
    const before = await snapshot()
    const cases = fc.sample(badInput({ orderId: "order_rel_fuzz", paymentId, pendingId, authorizationId, webhookId }), {
      numRuns: FUZZ_CASES,
      seed: FUZZ_SEED,
    })
    const failures: { case: FuzzCase; answer: HttpAnswer }[] = []
    const routes: Record<string, number> = {}
    const statuses: Record<string, number> = {}
    let next = 0
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = next++; i < cases.length; i = next++) {
          const c = cases[i]
          const answer = await request(cluster.servers[i % cluster.servers.length], c.method, c.path, {
            body: c.body,
            rawBody: c.rawBody,
            headers: { ...cluster.admin, ...c.headers },
          })
          routes[c.route] = (routes[c.route] ?? 0) + 1
          const key = `${answer.status} ${answer.body.code ?? "(no code)"}`
          statuses[key] = (statuses[key] ?? 0) + 1
          if (answer.status < 400 || answer.status >= 500 || typeof answer.body.code !== "string" || !answer.body.code) {
            failures.push({ case: c, answer })
          }
        }
      })
    )
    figures.fuzz = { cases: cases.length, seed: FUZZ_SEED, by_route: routes, answers: statuses, failures: failures.length }
    expect(
      failures.slice(0, 8).map((f) => ({
        route: f.case.route,
        path: f.case.path.slice(0, 200),
        body: JSON.stringify(f.case.body ?? f.case.rawBody)?.slice(0, 300),
        headers: f.case.headers,
        status: f.answer.status,
        answer: JSON.stringify(f.answer.body).slice(0, 300),
      }))
    ).toEqual([])
    expect(Object.keys(routes).sort()).toEqual([...FUZZED_ROUTES].sort())
    await sleep(1000)
    expect(await snapshot()).toEqual(before)
  }, 300_000)

  it("hands a change-feed follower every change exactly once while 8 writers run and a process is SIGKILLed", async () => {
    const orders = Array.from({ length: 8 }, (_, i) => `order_rel_feed_${i}`)
    for (const id of orders) {
      await createOrder(cluster.pg, id, "1000")
    }
    await waitForNoOpenTransactions()
    const [{ n: startCount }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_change`)
    const [{ cursor: start }] = await sql<{ cursor: string }>(
      `SELECT COALESCE((SELECT txid::text || '.' || seq::text FROM ledger_change ORDER BY txid DESC, seq DESC LIMIT 1), '0.0') AS cursor`
    )
    const alive = () => cluster.servers.filter((s) => s.child && s.child.exitCode === null && s.child.signalCode === null)
    /** A request to process `i % 2`, or to the other one while it is down. */
    const send = async (i: number, method: string, urlPath: string, body?: unknown): Promise<HttpAnswer> => {
      for (let attempt = 0; ; attempt++) {
        const servers = alive()
        const server = servers.includes(cluster.servers[i % 2]) ? cluster.servers[i % 2] : servers[0]
        try {
          return await request(server, method, urlPath, { body, headers: cluster.admin })
        } catch (error) {
          if (attempt >= 20) {
            throw error
          }
          await sleep(100)
        }
      }
    }

    const until = Date.now() + 20_000
    const tally = { writes: 0, refused: 0, cut_off: 0 }
    const writer = async (w: number) => {
      for (let i = 0; Date.now() < until; i++) {
        const answer = await retryBusy(() =>
          send(w + i, "POST", `/admin/orders/${orders[w]}/transactions`, {
            transactions: [{ kind: "payment", amount: 1, status: i % 2 ? "succeeded" : "pending" }],
          })
        ).catch(() => null)
        if (!answer || answer.status >= 500) {
          tally.cut_off++
          continue
        }
        answer.status === 200 ? tally.writes++ : tally.refused++
        if (answer.status === 200 && i % 2 === 0) {
          const moved = await send(w + i + 1, "POST", `/admin/order-transactions/${(answer.body.transactions as Body[])[0].id}`, {
            status: "succeeded",
          }).catch(() => null)
          moved?.status === 200 ? tally.writes++ : tally.cut_off++
        }
      }
    }
    const seen: Body[] = []
    let cursor = start
    let done = false
    let reads = 0
    const reader = async () => {
      while (!done) {
        const page = await send(reads++, "GET", `/admin/ledger-changes?limit=100&after=${cursor}`).catch(() => null)
        if (page?.status === 200) {
          seen.push(...(page.body.changes as Body[]))
          cursor = page.body.next_cursor as string
          if (page.body.has_more) {
            continue
          }
        }
        await sleep(25)
      }
    }
    const [victim] = cluster.servers
    const chaos = async () => {
      await sleep(7000)
      await victim.kill()
      await sleep(1000)
      await victim.start()
    }
    const readerDone = reader()
    await Promise.all([...orders.map((_, w) => writer(w)), chaos()])
    await waitForNoOpenTransactions()
    await sleep(500)
    done = true
    await readerDone
    for (let more = true; more; ) {
      const page = await send(0, "GET", `/admin/ledger-changes?limit=500&after=${cursor}`)
      seen.push(...(page.body.changes as Body[]))
      cursor = page.body.next_cursor as string
      more = page.body.has_more as boolean
    }

    const log = (await sql<{ id: string }>(`SELECT id FROM ledger_change ORDER BY txid, seq`)).slice(startCount).map((c) => c.id)
    const seenIds = seen.map((c) => c.id as string)
    const seenSet = new Set(seenIds)
    const missed = log.filter((id) => !seenSet.has(id)).length
    const duplicated = seenIds.length - seenSet.size
    figures.change_feed = { ...tally, changes_logged: log.length, read: seenIds.length, missed, duplicated, killed: victim.name }
    // Every writer got through many times, around the kill; each write is at least one change.
    expect(tally.writes).toBeGreaterThan(40)
    expect(log.length).toBeGreaterThanOrEqual(tally.writes)
    expect({ missed, duplicated }).toEqual({ missed: 0, duplicated: 0 })
    expect(seenIds).toEqual(log)
  })

  it("keeps a batch of 50 all there or not there when a process is killed mid-batch, and the balances exact", async () => {
    const batch = Array.from({ length: 50 }, (_, i) => ({
      kind: "payment",
      amount: "1.01",
      payment_method: "cash",
      gateway: "pos",
      external_id: `pos-${i}`,
    }))
    const faults: Body[] = []
    const [a, b] = cluster.servers
    const orderOf = (n: number) => `order_rel_fault_${n}`
    const keyOf = (n: number) => `rel-${cluster.runId}-fault-${n}`
    for (let n = 0; n <= 4; n++) {
      await createOrder(cluster.pg, orderOf(n), "1000")
    }
    const send = (server: typeof a, n: number) =>
      request(server, "POST", `/admin/orders/${orderOf(n)}/transactions`, {
        body: { transactions: batch.map((t) => ({ ...t, external_id: `${t.external_id}-${n}` })) },
        headers: { ...cluster.admin, "idempotency-key": keyOf(n) },
      }).catch((e: Error) => ({ status: 0, body: { error: String(e.cause ?? e) }, process: server.name }))

    // Fault 1: inside the ledger's database transaction, after the 50 rows are inserted and before
    // commit. The suite holds the idempotency key's index entry, so the write waits there; then
    // the process is killed.
    const holder1 = await cluster.pg.connect()
    await holder1.query("BEGIN")
    await holder1.query(
      `INSERT INTO ledger_idempotency_key (id, key, request_hash, order_id, transaction_ids) VALUES ('olidem_hold', $1, 'held', $2, '[]')`,
      [keyOf(1), orderOf(1)]
    )
    const inflight1 = send(a, 1)
    const waiting1 = await waitForBlocked("ledger_idempotency_key")
    await a.kill()
    await holder1.query("ROLLBACK")
    holder1.release()
    faults.push({ fault: 1, process: a.name, where: "in the ledger's transaction, rows inserted, not committed", blocked: waiting1, answer: (await inflight1).status })

    // Fault 2: after the ledger committed, while Medusa's core sync updates the order summary.
    const holder2 = await cluster.pg.connect()
    await holder2.query("BEGIN")
    await holder2.query(`SELECT id FROM order_summary WHERE order_id = $1 FOR UPDATE`, [orderOf(2)])
    const inflight2 = send(b, 2)
    const waiting2 = await waitForBlocked("order_summary")
    await b.kill()
    await holder2.query("ROLLBACK")
    holder2.release()
    faults.push({ fault: 2, process: b.name, where: "after the ledger's commit, in Medusa's core sync", blocked: waiting2, answer: (await inflight2).status })

    const restart1 = Date.now()
    await Promise.all([a.start(), b.start()])
    const restartMs = Date.now() - restart1

    // Faults 3 and 4: both processes at random moments of a request, inside the time such a
    // batch takes here (measured first on an order of its own).
    const started = Date.now()
    const timing = await send(a, 0)
    const took = Date.now() - started
    expect(timing.status).toBe(200)
    const delays = [3, 4].map(() => Math.floor(took * (0.1 + 0.8 * Math.random())))
    const inflight = [send(a, 3), send(b, 4)]
    await Promise.all([a, b].map(async (server, i) => {
      await sleep(delays[i])
      await server.kill()
    }))
    for (const [i, server] of [a, b].entries()) {
      faults.push({
        fault: 3 + i,
        process: server.name,
        where: `${delays[i]} ms after sending (a batch took ${took} ms)`,
        answer: (await inflight[i]).status,
      })
    }
    await Promise.all([a.start(), b.start()])

    await waitForNoOpenTransactions()
    const outcomes: Record<string, number> = {}
    for (let n = 1; n <= 4; n++) {
      const [row] = await sql(`SELECT count(*)::int AS n FROM ledger_transaction WHERE order_id = $1`, [orderOf(n)])
      outcomes[orderOf(n)] = row.n
      faults[n - 1].rows_after_restart = row.n
    }
    expect(Object.values(outcomes).every((n) => n === 0 || n === 50)).toBe(true)
    expect(outcomes[orderOf(1)]).toBe(0)
    expect(outcomes[orderOf(2)]).toBe(50)
    expect(await balanceMismatches()).toEqual([])

    // The client retries with the same key: whatever the crash left, the batch ends there once.
    // A killed holder's Redis lock lives until its TTL, so a retry may first hear CONCURRENT_REQUEST.
    const retryStarted = Date.now()
    const retries = await Promise.all(
      [1, 2, 3, 4].map((n) => retryBusy(() => send(cluster.servers[n % 2], n) as Promise<HttpAnswer>, 400))
    )
    const retryMs = Date.now() - retryStarted
    expect(retries.map((r) => r.status)).toEqual([200, 200, 200, 200])
    for (let n = 1; n <= 4; n++) {
      const [row] = await sql(
        `SELECT count(*)::int AS n, SUM(amount)::text AS total FROM ledger_transaction WHERE order_id = $1`,
        [orderOf(n)]
      )
      expect(row).toEqual({ n: 50, total: "50.50" })
    }
    expect(await balanceMismatches()).toEqual([])

    // Medusa's own books caught up too (the retry's core sync adds what the crash left out), so
    // its summary agrees with the ledger's balance for every faulted order.
    const books = []
    for (let n = 1; n <= 4; n++) {
      const summary = await medusaSummary(orderOf(n))
      const [stored] = await sql(`SELECT outstanding_amount::float8 AS outstanding FROM ledger_balance WHERE order_id = $1`, [orderOf(n)])
      books.push({ order: n, medusa_pending_difference: summary.pending_difference, ledger_outstanding: stored.outstanding })
    }
    expect(books.filter((b) => b.medusa_pending_difference !== b.ledger_outstanding)).toEqual([])

    // Every stored balance equals the service's own recompute from the ledger rows.
    const check = execInCluster<{ checked: number; computed: number; mismatches: unknown[] }>(
      cluster,
      path.join(__dirname, "host/check-balances.ts")
    )
    expect(check.mismatches).toEqual([])
    expect(check.checked).toBe(check.computed)

    figures.faults = {
      injected: faults.length,
      kind: "SIGKILL of the process group mid-batch of 50",
      faults,
      restart_two_processes_s: restartMs / 1000,
      retry_until_recorded_s: retryMs / 1000,
      balances_checked_against_computeBalancesFromLedger: check.checked,
      balance_mismatches: check.mismatches.length,
    }
  }, 300_000)
})

/** Waits until a backend waits on a lock in a statement naming `table`; answers its wait event. */
async function waitForBlocked(table: string, timeoutMs = 60_000) {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    const rows = await sql(
      `SELECT wait_event_type, wait_event, left(query, 80) AS query FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
      [`%${table}%`]
    )
    if (rows.length) {
      return `${rows[0].wait_event_type}/${rows[0].wait_event}: ${rows[0].query}`
    }
    await sleep(20)
  }
  throw new Error(`No request blocked on ${table} within ${timeoutMs} ms`)
}

/** Waits until the killed processes' backends have rolled back. */
async function waitForNoOpenTransactions(timeoutMs = 30_000) {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    const [row] = await sql(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`
    )
    if (row.n === 0) {
      return
    }
    await sleep(100)
  }
}

/** Row counts and checksums of everything a request could write. */
async function snapshot() {
  const [row] = await sql(`SELECT
    (SELECT count(*) FROM ledger_transaction)::int AS transactions,
    (SELECT md5(string_agg(id || status || amount::text || updated_at::text, ',' ORDER BY id)) FROM ledger_transaction) AS transactions_md5,
    (SELECT count(*) FROM ledger_balance)::int AS balances,
    (SELECT md5(string_agg(order_id || outstanding_amount::text || pending_total::text || updated_at::text, ',' ORDER BY order_id)) FROM ledger_balance) AS balances_md5,
    (SELECT count(*) FROM ledger_idempotency_key)::int AS idempotency_keys,
    (SELECT count(*) FROM order_transaction)::int AS core_transactions,
    (SELECT md5(string_agg(order_id || totals::text, ',' ORDER BY order_id)) FROM order_summary) AS core_summaries_md5,
    (SELECT count(*) FROM reliability_event_log)::int AS events,
    (SELECT md5(string_agg(id || url || enabled::text || updated_at::text || coalesce(deleted_at::text, ''), ',' ORDER BY id)) FROM ledger_webhook_endpoint) AS webhooks_md5,
    (SELECT count(*) FROM ledger_webhook_delivery)::int AS webhook_deliveries,
    (SELECT count(*) FROM ledger_change)::int AS changes`)
  return row
}

/** `METHOD /pattern` of every admin route file in src/api/admin. */
function adminRoutes(): string[] {
  const root = path.resolve(__dirname, "../../src/api/admin")
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        walk(full)
      } else if (entry.name === "route.ts") {
        const pattern = `/admin/${path.relative(root, dir).split(path.sep).map((p) => p.replace(/^\[(.+)\]$/, ":$1")).join("/")}`
        for (const [, method] of fs.readFileSync(full, "utf-8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) {
          found.push(`${method} ${pattern}`)
        }
      }
    }
  }
  walk(root)
  return found
}
