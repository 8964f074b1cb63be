#!/usr/bin/env node
/**
 * `node bench/scripts/webhook-latency.js` (run by `npm run bench`): how long a ledger change takes
 * from its commit to a webhook receiver, at a steady write rate, against a real `medusa start`
 * (NODE_ENV=production, the dev host's config) and a real HTTP receiver on 127.0.0.1.
 *
 * A freshly migrated database with 200 orders (bench/lib/seed.js), one webhook endpoint for
 * `order_transaction.created` (`POST /admin/ledger-webhooks`), then `--rate` writes/s for
 * `--duration` s, each `POST /admin/orders/:id/transactions` of one pending bank transfer (a ledger
 * write with nothing else: no Medusa payment). A write's commit time is when its answer arrives
 * (the commit happened before the answer was sent, so the figure is an upper bound by the answer's
 * own trip); its delivery time is when the receiver got the change, its signature checked. Prints
 * p50 / p90 / p99 / max, writes, deliveries, repeats and bad signatures; also written to
 * bench/results/webhook-latency.json.
 *
 * One server of `--processes` (default 2: `medusa start --cluster 2`, as a store taking 50 writes a second
 * on two cores would run; each process publishes and delivers, one at a time per endpoint).
 *
 * Options (flags or env): --rate=50 (BENCH_WEBHOOK_RATE), --duration=30 (BENCH_WEBHOOK_DURATION, s),
 * --processes=2 (BENCH_WEBHOOK_PROCESSES),
 * --keep (BENCH_KEEP_DB=1).
 */
const crypto = require("crypto")
const fs = require("fs")
const http = require("http")
const path = require("path")
const { performance } = require("perf_hooks")
const { Client } = require("pg")
const { generateJwtToken } = require("@medusajs/framework/utils")
const { findPostgres } = require("../../scripts/lib/postgres")
const { seedOrders, ORDER_PREFIX } = require("../lib/seed")
const { ROOT, option, medusaEnv, medusa, startMedusa, freePort, createTemplate, dropTemplate, machineInfo, loadNow } = require("../lib/harness")

const RESULTS = path.join(ROOT, "bench/results")
const JWT_SECRET = "ledger-webhook-bench"

const OPTIONS = {
  rate: Number(option("rate", "BENCH_WEBHOOK_RATE", 50)),
  durationS: Number(option("duration", "BENCH_WEBHOOK_DURATION", 30)),
  processes: Number(option("processes", "BENCH_WEBHOOK_PROCESSES", 2)),
  keep: option("keep", "BENCH_KEEP_DB", "") !== "",
}

const log = (...args) => console.error(`[webhook-bench ${new Date().toISOString().slice(11, 19)}]`, ...args)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function percentile(samples, p) {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

/** A receiver that checks each delivery's signature and notes when each change arrived. */
async function startReceiver() {
  const port = await freePort()
  const state = { secret: null, arrivals: new Map(), repeats: 0, badSignatures: 0, deliveries: 0 }
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on("data", (c) => chunks.push(c))
    req.on("end", () => {
      const at = performance.now()
      const body = Buffer.concat(chunks).toString("utf-8")
      const header = String(req.headers["ledger-signature"] ?? "")
      const t = /t=(\d+)/.exec(header)?.[1]
      const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1]
      const expected = state.secret && t ? crypto.createHmac("sha256", state.secret).update(`${t}.${body}`).digest("hex") : ""
      if (!v1 || v1.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(v1), Buffer.from(expected))) {
        state.badSignatures++
      }
      state.deliveries++
      const change = JSON.parse(body)
      if (state.arrivals.has(change.resource_id)) {
        state.repeats++
      } else {
        state.arrivals.set(change.resource_id, at)
      }
      res.writeHead(204).end()
    })
  })
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve))
  return { url: `http://127.0.0.1:${port}/ledger`, state, stop: () => new Promise((r) => server.close(r)) }
}

async function main() {
  const loadStart = loadNow()
  const pg = await findPostgres(ROOT)
  const { template: db, serverVersion } = await createTemplate(pg, "ledger_whbench")
  const env = medusaEnv(pg.databaseUrl(db), {
    JWT_SECRET,
    NODE_ENV: "production",
    ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
  })
  let server
  let receiver
  try {
    log(`PostgreSQL ${serverVersion}; migrating ${db}`)
    medusa(["db:migrate"], env)
    const client = new Client({ connectionString: pg.databaseUrl(db) })
    await client.connect()
    await seedOrders(client, 200)
    await client.query(`INSERT INTO "user" (id, email, first_name, created_at, updated_at) VALUES ('user_whbench', 'whbench@ledger.test', 'Bench', now(), now())`)
    const { rows: orders } = await client.query(`SELECT id FROM "order" WHERE id LIKE '${ORDER_PREFIX}%' ORDER BY id LIMIT 200`)
    await client.end()

    receiver = await startReceiver()
    server = await startMedusa(env, "ledger-webhook-bench", OPTIONS.processes > 1 ? ["--cluster", String(OPTIONS.processes)] : [])
    const authorization = `Bearer ${generateJwtToken(
      { actor_id: "user_whbench", actor_type: "user", auth_identity_id: "", app_metadata: { user_id: "user_whbench" } },
      { secret: JWT_SECRET, expiresIn: "1d" }
    )}`
    const headers = { authorization, "content-type": "application/json" }
    const created = await fetch(`${server.base}/admin/ledger-webhooks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ url: receiver.url, events: ["order_transaction.created"], description: "latency bench" }),
    })
    const webhook = (await created.json()).webhook
    if (created.status !== 200 || !webhook?.secret) {
      throw new Error(`POST /admin/ledger-webhooks answered ${created.status}: ${JSON.stringify(webhook)}`)
    }
    receiver.state.secret = webhook.secret

    log(`${OPTIONS.rate} writes/s for ${OPTIONS.durationS} s`)
    const committed = new Map()
    const failed = []
    const inflight = []
    const total = OPTIONS.rate * OPTIONS.durationS
    const started = performance.now()
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / OPTIONS.rate
      const wait = due - performance.now()
      if (wait > 0) {
        await sleep(wait)
      }
      const orderId = orders[i % orders.length].id
      inflight.push(
        fetch(`${server.base}/admin/orders/${orderId}/transactions`, {
          method: "POST",
          headers,
          body: JSON.stringify({ transactions: [{ kind: "payment", amount: 1, status: "pending", payment_method: "bank_transfer" }] }),
        })
          .then(async (res) => {
            const at = performance.now()
            const body = await res.json()
            res.status === 200 ? committed.set(body.transactions[0].id, at) : failed.push(res.status)
          })
          .catch((e) => failed.push(String(e)))
      )
    }
    await Promise.all(inflight)
    const writeS = (performance.now() - started) / 1000
    const deadline = performance.now() + 120_000
    while (performance.now() < deadline && [...committed.keys()].some((id) => !receiver.state.arrivals.has(id))) {
      await sleep(100)
    }
    await sleep(2000) // repeats would land here
    const latencies = [...committed].filter(([id]) => receiver.state.arrivals.has(id)).map(([id, at]) => receiver.state.arrivals.get(id) - at)
    const result = {
      processes: OPTIONS.processes,
      rate: OPTIONS.rate,
      duration_s: OPTIONS.durationS,
      achieved_rate: committed.size / writeS,
      writes: committed.size,
      failed_writes: failed.length,
      delivered: latencies.length,
      missing: committed.size - latencies.length,
      repeats: receiver.state.repeats,
      bad_signatures: receiver.state.badSignatures,
      p50_ms: percentile(latencies, 50),
      p90_ms: percentile(latencies, 90),
      p99_ms: percentile(latencies, 99),
      max_ms: Math.max(...latencies),
    }
    const machine = machineInfo(pg, serverVersion, loadStart)
    fs.mkdirSync(RESULTS, { recursive: true })
    fs.writeFileSync(path.join(RESULTS, "webhook-latency.json"), JSON.stringify({ machine, options: OPTIONS, result }, null, 2))
    console.log(
      `Webhook latency, commit → receiver, at ${result.rate} writes/s for ${result.duration_s} s (achieved ${result.achieved_rate.toFixed(1)}/s, ${OPTIONS.processes} server process${OPTIONS.processes > 1 ? "es" : ""}): ` +
        `p50 ${result.p50_ms.toFixed(0)} ms, p90 ${result.p90_ms.toFixed(0)} ms, p99 ${result.p99_ms.toFixed(0)} ms, max ${result.max_ms.toFixed(0)} ms; ` +
        `${result.writes} writes, ${result.delivered} delivered, ${result.missing} missing, ${result.repeats} repeats, ${result.bad_signatures} bad signatures, ${result.failed_writes} failed writes`
    )
  } finally {
    await server?.stop()
    await receiver?.stop()
    if (!OPTIONS.keep) {
      await dropTemplate(pg, db)
    }
    await pg.stop()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
