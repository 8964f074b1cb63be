#!/usr/bin/env node
/**
 * Throughput of a few admin GET routes against one `medusa start`, interleaved in rounds so load
 * from other processes hits them alike: for profiling one route against another (e.g. the
 * transactions route against the balance route) on a database the benchmark kept
 * (`npm run bench -- --keep`). Not part of `npm run bench`.
 *
 *   node bench/scripts/http-compare.js --db=postgres://postgres@localhost:5432/ledger_bench_…_10000 \
 *     --paths=/admin/orders/:id/transactions,/admin/orders/:id/balance --rounds=2 --duration=3
 *
 * Runs `medusa start` in the current directory (so a scratch copy of the project can be compared),
 * signs with a JWT for the benchmark's admin user (bench/scripts/prepare.ts), rotates 200 seeded
 * orders through `:id`. Prints req/s and p50 per route and round, the medians, and each route's
 * ratio to the first.
 */
const { spawn } = require("child_process")
const fs = require("fs")
const net = require("net")
const os = require("os")
const path = require("path")
const { Client } = require("pg")
const autocannon = require("autocannon")

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`))
  return a ? a.slice(name.length + 3) : fallback
}
const DB = arg("db", process.env.DATABASE_URL)
const PATHS = arg("paths", "/admin/orders/:id/transactions,/admin/orders/:id/balance").split(",")
const ROUNDS = Number(arg("rounds", 2))
const DURATION = Number(arg("duration", 3))
const CONNECTIONS = Number(arg("connections", 10))
const ROOT = process.cwd()
const MEDUSA = path.join(ROOT, "node_modules/.bin/medusa")

const median = (s) => {
  const a = [...s].sort((x, y) => x - y)
  const m = Math.floor(a.length / 2)
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function main() {
  if (!DB) {
    throw new Error("--db=<database url> (a database `npm run bench -- --keep` kept)")
  }
  const client = new Client({ connectionString: DB })
  await client.connect()
  const { rows: users } = await client.query(`SELECT id FROM "user" WHERE email = 'bench@ledger.test' AND deleted_at IS NULL`)
  const { rows: identities } = await client.query(
    `SELECT id FROM auth_identity WHERE app_metadata->>'user_id' = $1 AND deleted_at IS NULL`,
    [users[0].id]
  )
  const { rows: orders } = await client.query(
    `SELECT order_id FROM ledger_balance WHERE order_id LIKE 'order_bench%' ORDER BY md5(order_id) LIMIT 200`
  )
  await client.end()
  const { generateJwtToken } = require(require.resolve("@medusajs/framework/utils", { paths: [ROOT] }))
  const jwt = generateJwtToken(
    { actor_id: users[0].id, actor_type: "user", auth_identity_id: identities[0].id, app_metadata: { user_id: users[0].id } },
    { secret: process.env.JWT_SECRET || "supersecret", expiresIn: "1d" }
  )

  const port = await freePort()
  const logFile = path.join(os.tmpdir(), `ledger-http-compare-${port}.log`)
  const out = fs.openSync(logFile, "w")
  const child = spawn(MEDUSA, ["start", "--port", String(port)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: DB, NODE_ENV: "production", LOG_LEVEL: "error", MEDUSA_DISABLE_TELEMETRY: "true", MEDUSA_ADMIN_DISABLE: "true" },
    detached: true,
    stdio: ["ignore", out, out],
  })
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {}
  }
  process.once("exit", stop)
  const base = `http://127.0.0.1:${port}`
  const started = Date.now()
  for (;;) {
    if (Date.now() - started > 180_000 || child.exitCode !== null) {
      throw new Error(`medusa start did not come up:\n${fs.readFileSync(logFile, "utf-8").slice(-3000)}`)
    }
    try {
      if ((await fetch(`${base}/health`)).ok) {
        break
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  const headers = { authorization: `Bearer ${jwt}` }
  for (const p of PATHS) {
    const res = await fetch(`${base}${p.replace(":id", orders[0].order_id)}`, { headers })
    const body = await res.text()
    if (res.status !== 200) {
      throw new Error(`${p} answered ${res.status}: ${body.slice(0, 300)}`)
    }
    console.error(`${p}: 200, ${body.length} bytes`)
  }
  const load = async (p, duration) => {
    let i = 0
    const r = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration,
      headers,
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: p.replace(":id", orders[i++ % orders.length].order_id) }) }],
    })
    return { rps: r.requests.average, p50: r.latency.p50, errors: r.errors + r.timeouts + r.non2xx }
  }
  for (const p of PATHS) {
    await load(p, 2)
  }
  const results = Object.fromEntries(PATHS.map((p) => [p, []]))
  for (let round = 0; round < ROUNDS; round++) {
    const order = PATHS.map((_, k) => PATHS[(k + round) % PATHS.length])
    for (const p of order) {
      const r = await load(p, DURATION)
      results[p].push(r)
      console.error(`round ${round + 1} ${p}: ${r.rps.toFixed(1)} req/s, p50 ${r.p50} ms${r.errors ? `, ${r.errors} errors` : ""}`)
    }
  }
  stop()
  const first = median(results[PATHS[0]].map((r) => r.rps))
  const summary = PATHS.map((p) => {
    const rps = median(results[p].map((r) => r.rps))
    return { path: p, rps, p50: median(results[p].map((r) => r.p50)), ratio_to_first: rps / first }
  })
  console.log(JSON.stringify({ connections: CONNECTIONS, duration: DURATION, rounds: ROUNDS, load: os.loadavg(), summary }, null, 2))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
