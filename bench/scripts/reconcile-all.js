#!/usr/bin/env node
/**
 * `node bench/scripts/reconcile-all.js`: the background reconcile of every order, end to end, as a
 * store that installs the plugin runs it once ("bring the ledger in step with the payments Medusa
 * already has"): `POST /admin/order-transactions/reconcile` with no order ids against a real
 * `medusa start` (NODE_ENV=production), which answers 202 at once, then `GET
 * /admin/order-transactions/reconcile/:id` every `--poll` ms until the run is `done`.
 *
 * Per size: a database cloned from one freshly migrated template (`medusa db:migrate`), and a bulk
 * SQL seed of orders paid through Medusa's payment module and absent from the ledger: each order
 * `i` gets an order (80% usd / 20% eur, total 20.00 to 499.99) with its line item, item and
 * summary, a payment collection linked to it, a payment session and a `pp_system_default` payment
 * of the order total; i % 10 in 0..5 captured in full, 6..7 captured then refunded 10.00, 8 only
 * authorized, 9 canceled. The reconcile must record each payment's authorization, each capture,
 * each refund and each cancellation's void (2.1 ledger rows per order), in batches of 500. All of
 * it dates from over a day ago, so the plugin's every-15-minutes job (orders changed in the last
 * day) has nothing to do and does not share the work (it would, safely: each order's rows are
 * recorded once whoever gets there first, but the run's own `created` would be lower).
 *
 * Two runs per size: the first records everything; the second finds everything in place (what
 * every later reconcile costs). Prints, per run: orders, rows created / skipped, the 202's latency,
 * the total time from the POST to the GET that saw `done`, orders/s, and the server's peak RSS;
 * also written to bench/results/reconcile-all.md and .json.
 *
 * Options (flags or env): --sizes=100000 (BENCH_RECONCILE_SIZES), --poll=250 (BENCH_RECONCILE_POLL_MS),
 * --timeout=3600 (BENCH_RECONCILE_TIMEOUT_S, per run), --keep (BENCH_KEEP_DB=1: keep the databases).
 * PostgreSQL is found as in the tests (scripts/lib/postgres.js).
 */
const { spawnSync } = require("child_process")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { performance } = require("perf_hooks")
const { Client } = require("pg")
const { generateJwtToken } = require("@medusajs/framework/utils")
const { findPostgres } = require("../../scripts/lib/postgres")
const { ROOT, option, medusaEnv, medusa, startMedusa, createTemplate, dropTemplate, machineInfo, loadNow } = require("../lib/harness")

const RESULTS = path.join(ROOT, "bench/results")
const JWT_SECRET = "ledger-reconcile-bench"
const ORDER_PREFIX = "order_rcb"

const OPTIONS = {
  sizes: String(option("sizes", "BENCH_RECONCILE_SIZES", "100000")).split(",").map(Number),
  pollMs: Number(option("poll", "BENCH_RECONCILE_POLL_MS", 250)),
  timeoutS: Number(option("timeout", "BENCH_RECONCILE_TIMEOUT_S", 3600)),
  keep: option("keep", "BENCH_KEEP_DB", "") !== "",
}

const log = (...args) => console.error(`[reconcile-bench ${new Date().toISOString().slice(11, 19)}]`, ...args)
const fmtN = (n) => Math.round(n).toLocaleString("en-US")
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A Medusa process's environment here: the bench's own JWT secret, to sign its admin token. */
const env = (databaseUrl, extra = {}) => medusaEnv(databaseUrl, { JWT_SECRET, ...extra })

/** Resident memory of a process group, in MiB (0 when ps cannot tell). */
function groupRssMiB(pgid) {
  const ps = spawnSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf-8" })
  const kib = String(ps.stdout || "")
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n))
    .reduce((a, b) => a + b, 0)
  return kib / 1024
}

/** `medusa start` on a free port (NODE_ENV=production) with the bench's JWT secret. */
const startServer = (databaseUrl) => startMedusa(env(databaseUrl, { NODE_ENV: "production" }), "ledger-reconcile-bench")

/** Money as Medusa's raw JSON twin. */
const RAW = (expr) => `jsonb_build_object('value', trim_scale(${expr})::text, 'precision', 20)`

/** Orders paid through Medusa's payment module, none of it in the ledger (see the header). */
async function seedMedusaPayments(client, n) {
  await client.query("BEGIN")
  await client.query(
    `CREATE TEMP TABLE rc_seed ON COMMIT DROP AS
     SELECT i, lpad(i::text, 9, '0') AS b, '${ORDER_PREFIX}' || lpad(i::text, 9, '0') AS order_id,
       CASE WHEN i % 5 = 0 THEN 'eur' ELSE 'usd' END AS cur,
       round((2000 + (i::bigint * 7919) % 48000) / 100.0, 2) AS t,
       i % 10 AS g,
       now() - interval '2 days' - (($1::int - i) * interval '1 minute') AS ts
     FROM generate_series(1, $1::int) AS i`,
    [n]
  )
  await client.query(`
    INSERT INTO "order" (id, version, status, is_draft_order, email, currency_code, created_at, updated_at)
    SELECT order_id, 1, 'pending', false, 'buyer' || i || '@bench.test', cur, ts, ts FROM rc_seed`)
  await client.query(`
    INSERT INTO order_line_item (id, title, unit_price, raw_unit_price, requires_shipping, is_discountable,
      is_tax_inclusive, is_custom_price, is_giftcard, created_at, updated_at)
    SELECT 'ordli_rcb' || b, 'Bench item', t, ${RAW("t")}, true, true, false, false, false, ts, ts FROM rc_seed`)
  await client.query(`
    INSERT INTO order_item (id, order_id, version, item_id, quantity, raw_quantity, fulfilled_quantity,
      shipped_quantity, return_requested_quantity, return_received_quantity, return_dismissed_quantity,
      written_off_quantity, created_at, updated_at)
    SELECT 'orditem_rcb' || b, order_id, 1, 'ordli_rcb' || b, 1, ${RAW("1")}, 0, 0, 0, 0, 0, 0, ts, ts FROM rc_seed`)
  await client.query(`
    INSERT INTO order_summary (id, order_id, version, totals, created_at, updated_at)
    SELECT 'ordsum_rcb' || b, order_id, 1,
      jsonb_build_object(
        'paid_total', 0, 'raw_paid_total', ${RAW("0")},
        'refunded_total', 0, 'raw_refunded_total', ${RAW("0")},
        'accounting_total', t, 'raw_accounting_total', ${RAW("t")},
        'credit_line_total', 0, 'raw_credit_line_total', ${RAW("0")},
        'transaction_total', 0, 'raw_transaction_total', ${RAW("0")},
        'pending_difference', t, 'raw_pending_difference', ${RAW("t")},
        'current_order_total', t, 'raw_current_order_total', ${RAW("t")},
        'original_order_total', t, 'raw_original_order_total', ${RAW("t")}
      ), ts, ts
    FROM rc_seed`)
  // Medusa's payment module: collection (linked to the order), session, payment, captures, refunds.
  await client.query(`
    INSERT INTO payment_collection (id, currency_code, amount, raw_amount, authorized_amount, raw_authorized_amount,
      captured_amount, raw_captured_amount, refunded_amount, raw_refunded_amount, status, created_at, updated_at)
    SELECT 'pay_col_rcb' || b, cur, t, ${RAW("t")},
      t, ${RAW("t")},
      CASE WHEN g <= 7 THEN t ELSE 0 END, ${RAW("CASE WHEN g <= 7 THEN t ELSE 0 END")},
      CASE WHEN g IN (6, 7) THEN 10 ELSE 0 END, ${RAW("CASE WHEN g IN (6, 7) THEN 10 ELSE 0 END")},
      CASE WHEN g <= 7 THEN 'completed' WHEN g = 8 THEN 'authorized' ELSE 'canceled' END, ts, ts
    FROM rc_seed`)
  await client.query(`
    INSERT INTO order_payment_collection (id, order_id, payment_collection_id, created_at, updated_at)
    SELECT 'ordpay_rcb' || b, order_id, 'pay_col_rcb' || b, ts, ts FROM rc_seed`)
  await client.query(`
    INSERT INTO payment_session (id, currency_code, amount, raw_amount, provider_id, data, status, authorized_at,
      payment_collection_id, created_at, updated_at)
    SELECT 'payses_rcb' || b, cur, t, ${RAW("t")}, 'pp_system_default', '{}'::jsonb, 'authorized', ts,
      'pay_col_rcb' || b, ts, ts
    FROM rc_seed`)
  await client.query(`
    INSERT INTO payment (id, amount, raw_amount, currency_code, provider_id, data, captured_at, canceled_at,
      payment_collection_id, payment_session_id, created_at, updated_at)
    SELECT 'pay_rcb' || b, t, ${RAW("t")}, cur, 'pp_system_default', '{}'::jsonb,
      CASE WHEN g <= 7 THEN ts + interval '1 minute' END,
      CASE WHEN g = 9 THEN ts + interval '1 minute' END,
      'pay_col_rcb' || b, 'payses_rcb' || b, ts, ts
    FROM rc_seed`)
  await client.query(`
    INSERT INTO capture (id, amount, raw_amount, payment_id, created_by, created_at, updated_at)
    SELECT 'capt_rcb' || b, t, ${RAW("t")}, 'pay_rcb' || b, 'bench', ts + interval '1 minute', ts + interval '1 minute'
    FROM rc_seed WHERE g <= 7`)
  await client.query(`
    INSERT INTO refund (id, amount, raw_amount, payment_id, created_by, note, created_at, updated_at)
    SELECT 'ref_rcb' || b, 10, ${RAW("10")}, 'pay_rcb' || b, 'bench', 'Bench refund', ts + interval '2 minutes', ts + interval '2 minutes'
    FROM rc_seed WHERE g IN (6, 7)`)
  await client.query(`
    INSERT INTO "user" (id, email, first_name, created_at, updated_at)
    VALUES ('user_rcbench', 'rcbench@ledger.test', 'Bench', now(), now())`)
  await client.query("COMMIT")
  const { rows } = await client.query(`
    SELECT (SELECT count(*) FROM "order" WHERE id LIKE '${ORDER_PREFIX}%')::int AS orders,
      ((SELECT count(*) FROM payment WHERE id LIKE 'pay_rcb%')
        + (SELECT count(*) FROM capture WHERE id LIKE 'capt_rcb%')
        + (SELECT count(*) FROM refund WHERE id LIKE 'ref_rcb%')
        + (SELECT count(*) FROM payment WHERE id LIKE 'pay_rcb%' AND canceled_at IS NOT NULL))::int AS medusa_records,
      (SELECT count(*) FROM ledger_transaction)::int AS ledger_rows`)
  return rows[0]
}

const adminAuthorization = () =>
  `Bearer ${generateJwtToken(
    { actor_id: "user_rcbench", actor_type: "user", auth_identity_id: "", app_metadata: { user_id: "user_rcbench" } },
    { secret: JWT_SECRET, expiresIn: "1d" }
  )}`

/** One background reconcile: the POST, then polling until the run ends. */
async function reconcileRun(server, authorization, label) {
  const headers = { authorization, "content-type": "application/json" }
  let peakRss = groupRssMiB(server.pid)
  const t0 = performance.now()
  const res = await fetch(`${server.base}/admin/order-transactions/reconcile`, { method: "POST", headers, body: "{}" })
  const acceptedMs = performance.now() - t0
  const body = await res.json()
  if (res.status !== 202 || body.reconcile?.status !== "running") {
    throw new Error(`POST answered ${res.status}: ${JSON.stringify(body)}`)
  }
  const id = body.reconcile.id
  let lastLog = performance.now()
  let polls = 0
  for (;;) {
    await sleep(OPTIONS.pollMs)
    const r = await fetch(`${server.base}/admin/order-transactions/reconcile/${id}`, { headers })
    const run = (await r.json()).reconcile
    polls++
    peakRss = Math.max(peakRss, groupRssMiB(server.pid))
    if (r.status !== 200) {
      throw new Error(`GET answered ${r.status}: ${JSON.stringify(run)}`)
    }
    if (run.status !== "running") {
      const totalMs = performance.now() - t0
      if (run.status !== "done") {
        throw new Error(`${label}: run ${id} ${run.status}: ${run.error}`)
      }
      return { id, label, acceptedMs, totalMs, polls, peakRssMiB: peakRss, result: run.result, progress: run.progress }
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now()
      const p = run.progress
      log(`${label}: ${p ? `${fmtN(p.orders_done)} / ${fmtN(p.orders_total)} orders, ${fmtN(p.created)} created` : "waiting for a worker"}, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    }
    if (performance.now() - t0 > OPTIONS.timeoutS * 1000) {
      throw new Error(`${label}: run ${id} still running after ${OPTIONS.timeoutS} s: ${JSON.stringify(run.progress)}`)
    }
  }
}

async function benchSize(pg, template, size) {
  const db = `${template.replace(/_template$/, "")}_${size}`
  const url = pg.databaseUrl(db)
  const admin = new Client({ connectionString: pg.databaseUrl("postgres") })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${db}" TEMPLATE "${template}"`)
  await admin.end()
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    log(`${fmtN(size)}: seed`)
    const seedStart = Date.now()
    const seed = await seedMedusaPayments(client, size)
    await client.query("VACUUM ANALYZE")
    const seedMs = Date.now() - seedStart
    log(`${fmtN(size)}: ${fmtN(seed.orders)} orders, ${fmtN(seed.medusa_records)} Medusa records to mirror (${(seedMs / 1000).toFixed(1)} s); server boot`)
    const server = await startServer(url)
    const runs = []
    try {
      const authorization = adminAuthorization()
      for (const label of ["first run (records everything)", "second run (everything in place)"]) {
        log(`${fmtN(size)}: ${label}`)
        const run = await reconcileRun(server, authorization, label)
        log(`${fmtN(size)}: ${label}: ${(run.totalMs / 1000).toFixed(1)} s, ${fmtN(size / (run.totalMs / 1000))} orders/s`)
        runs.push(run)
      }
    } finally {
      await server.stop()
    }
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ledger_transaction`)
    const [first, second] = runs
    const expect = (cond, what) => {
      if (!cond) {
        throw new Error(`${fmtN(size)}: ${what}: ${JSON.stringify({ seed, first: first.result && { ...first.result, failed: first.result.failed.length }, second: second.result && { ...second.result, failed: second.result.failed.length }, ledger_rows: rows[0].n })}`)
      }
    }
    expect(first.result.orders === size && second.result.orders === size, "every order reconciled")
    expect(first.result.created === seed.medusa_records && first.result.failed.length === 0, "every Medusa record mirrored once")
    expect(second.result.created === 0 && second.result.skipped === seed.medusa_records, "nothing left for the second run")
    expect(rows[0].n === seed.medusa_records, "ledger rows")
    return { size, seed, seedMs, bootMs: server.bootMs, runs }
  } finally {
    await client.end()
    if (!OPTIONS.keep) {
      const a = new Client({ connectionString: pg.databaseUrl("postgres") })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => {})
      await a.end()
    }
  }
}

function report(machine, results) {
  const lines = [
    `# Background reconcile of every order`,
    "",
    `Machine: ${machine.cpus} × ${machine.cpu}, ${machine.ram} RAM, Node ${machine.node}, ${machine.postgres}. ` +
      `Load average ${machine.loadStart} at the start, ${machine.loadEnd} at the end. ${machine.date}.`,
    "",
    `One \`medusa start\` (NODE_ENV=production, shared worker mode, the dev host's config: local event bus, ` +
      `in-memory locking and workflow engine). \`POST /admin/order-transactions/reconcile\` \`{}\` answers 202; ` +
      `\`GET …/reconcile/:id\` every ${OPTIONS.pollMs} ms until \`done\`. Total = POST sent → the GET that saw \`done\`. ` +
      `Each order: one \`pp_system_default\` payment (authorization), 80% captured, 20% refunded, 10% canceled: ` +
      `2.1 ledger rows to record per order on the first run.`,
    "",
    `| orders | run | created / skipped | 202 answered in | total | orders/s | server peak RSS |`,
    `|---:|---|---:|---:|---:|---:|---:|`,
  ]
  for (const r of results) {
    for (const run of r.runs) {
      lines.push(
        `| ${fmtN(r.size)} | ${run.label} | ${fmtN(run.result.created)} / ${fmtN(run.result.skipped)} | ${run.acceptedMs.toFixed(0)} ms | ` +
          `${(run.totalMs / 1000).toFixed(1)} s | ${fmtN(r.size / (run.totalMs / 1000))} | ${fmtN(run.peakRssMiB)} MiB |`
      )
    }
  }
  lines.push("")
  lines.push(
    `Seed (SQL) and server boot: ${results.map((r) => `${fmtN(r.size)}: ${(r.seedMs / 1000).toFixed(1)} s, ${(r.bootMs / 1000).toFixed(1)} s`).join("; ")}.`
  )
  return lines.join("\n")
}

async function main() {
  const loadStart = loadNow()
  const pg = await findPostgres(ROOT)
  const { template, serverVersion } = await createTemplate(pg, "ledger_rcbench")
  const results = []
  try {
    log(`PostgreSQL ${serverVersion}; migrating ${template}`)
    medusa(["db:migrate"], env(pg.databaseUrl(template)))
    for (const size of OPTIONS.sizes) {
      results.push(await benchSize(pg, template, size))
    }
  } finally {
    await dropTemplate(pg, template)
  }
  const machine = machineInfo(pg, serverVersion, loadStart)
  const markdown = report(machine, results)
  fs.mkdirSync(RESULTS, { recursive: true })
  fs.writeFileSync(path.join(RESULTS, "reconcile-all.md"), markdown + "\n")
  fs.writeFileSync(
    path.join(RESULTS, "reconcile-all.json"),
    JSON.stringify({ machine, options: OPTIONS, results: results.map((r) => ({ ...r, runs: r.runs.map((run) => ({ ...run, result: { ...run.result, failed: run.result.failed.length } })) })) }, null, 2)
  )
  console.log(markdown)
  await pg.stop()
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
