import { ChildProcess, spawn, spawnSync } from "child_process"
import fs from "fs"
import net from "net"
import path from "path"
import { Pool } from "pg"
import { generateJwtToken } from "@medusajs/framework/utils"

/**
 * A small Medusa cluster for the reliability suite: one fresh PostgreSQL database migrated with
 * `medusa db:migrate`, one Redis (the private `redis-server` `npm test` started, see
 * `redisToUse()`, with a per-run key prefix) and two `medusa start` processes on the host config in
 * `host/medusa-config.ts`, each in its own process group so it can be killed with SIGKILL and
 * started again.
 *
 * Medusa loads a project's `src/` from the directory it runs in, so each run gets a runtime
 * directory under `.runtime/` (git-ignored) holding a `medusa-config.js` that requires the host
 * config, a `src` symlink to the repository's `src/`, and a throwaway plugin with the event
 * counter subscriber (`host/counter/count-ledger-events.js`).
 */

const ROOT = path.resolve(__dirname, "../..")
const MEDUSA = path.join(ROOT, "node_modules/.bin/medusa")
const HOST = path.join(__dirname, "host")
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findPostgres } = require(path.join(ROOT, "scripts/lib/postgres.js")) as {
  findPostgres: (root: string) => Promise<{ serverUrl: string; databaseUrl: (name: string) => string }>
}

type RedisClient = {
  on(event: "error", listener: (e: Error) => void): unknown
  ping(): Promise<string>
  scan(cursor: string, ...args: (string | number)[]): Promise<[string, string[]]>
  del(...keys: string[]): Promise<number>
  quit(): Promise<string>
  disconnect(): void
}
type RedisConstructor = new (url: string, options?: Record<string, unknown>) => RedisClient

/** ioredis, resolved through the Medusa Redis module that depends on it. */
function loadRedis(): RedisConstructor {
  const from = require.resolve("@medusajs/event-bus-redis")
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(require.resolve("ioredis", { paths: [from] }))
  return (mod.default ?? mod) as RedisConstructor
}

/** Every process group this module started, killed on exit whatever happens. */
const groups = new Set<number>()
process.once("exit", () => {
  for (const pid of groups) {
    try {
      process.kill(-pid, "SIGKILL")
    } catch {}
  }
})

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One `medusa start` process. `kill()` is SIGKILL of its whole process group. */
export class ServerProcess {
  child: ChildProcess | null = null
  starts = 0
  readonly base: string

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly cluster: { runtimeDir: string; env: NodeJS.ProcessEnv }
  ) {
    this.base = `http://127.0.0.1:${port}`
  }

  get logFile() {
    return path.join(this.cluster.runtimeDir, `${this.name}-${this.starts}.log`)
  }

  /** Starts the process and waits until `/health` answers. */
  async start(timeoutMs = 180_000): Promise<number> {
    this.starts++
    const out = fs.openSync(this.logFile, "w")
    const started = Date.now()
    const child = spawn(MEDUSA, ["start", "--port", String(this.port)], {
      cwd: this.cluster.runtimeDir,
      env: { ...this.cluster.env, RELIABILITY_PROCESS_NAME: this.name, MEDUSA_WORKER_MODE: "shared" },
      detached: true,
      stdio: ["ignore", out, out],
    })
    fs.closeSync(out)
    this.child = child
    groups.add(child.pid as number)
    child.once("exit", () => groups.delete(child.pid as number))
    while (Date.now() - started < timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${this.name} exited during boot (${child.exitCode ?? child.signalCode}):\n${this.tail()}`)
      }
      try {
        const res = await fetch(`${this.base}/health`)
        if (res.ok) {
          return Date.now() - started
        }
      } catch {}
      await sleep(250)
    }
    throw new Error(`${this.name} did not answer /health within ${timeoutMs / 1000} s:\n${this.tail()}`)
  }

  /** SIGKILL of the process group: no shutdown hooks, no flushing, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    const exited = new Promise((r) => child.once("exit", r))
    try {
      process.kill(-(child.pid as number), "SIGKILL")
    } catch {}
    await exited
  }

  tail(chars = 4000) {
    try {
      return fs.readFileSync(this.logFile, "utf-8").slice(-chars)
    } catch {
      return ""
    }
  }
}

export interface Cluster {
  runId: string
  databaseUrl: string
  databaseName: string
  redisUrl: string
  redisPrefix: string
  runtimeDir: string
  pg: Pool
  servers: ServerProcess[]
  /** Request options of an admin (JWT signed with the host's secret, as the login route answers). */
  admin: { authorization: string }
  env: NodeJS.ProcessEnv
  timings: Record<string, number>
  stop(): Promise<void>
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require(path.join(ROOT, "scripts/lib/redis.js")) as {
  startRedis: (options?: { log?: (message: string) => void }) => Promise<{ url: string; stop: () => void }>
}

/**
 * The Redis scripts/lib/redis.js decides on: `TEST_REDIS_URL`, which `npm test` sets to its private
 * `redis-server` (or passes through when the caller set it), else (jest run directly) a private
 * `redis-server` of this run's own, stopped with the cluster. Never the machine's 6379 unasked.
 */
async function redisToUse(): Promise<{ url: string; stop: () => void }> {
  if (process.env.TEST_REDIS_URL) {
    return { url: process.env.TEST_REDIS_URL, stop: () => {} }
  }
  // eslint-disable-next-line no-console
  return startRedis({ log: (message) => console.log(`[reliability] ${message}`) })
}

/**
 * The PostgreSQL server: the one `scripts/test.js` found and exported as `DB_*` (it may have
 * started an embedded one), else the same search it makes.
 */
async function postgresServer(): Promise<(name: string) => string> {
  const { DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD } = process.env
  if (DB_HOST && DB_PORT) {
    const auth = `${encodeURIComponent(DB_USERNAME || "postgres")}${DB_PASSWORD ? `:${encodeURIComponent(DB_PASSWORD)}` : ""}`
    return (name) => `postgres://${auth}@${DB_HOST}:${DB_PORT}/${name}`
  }
  const found = await findPostgres(ROOT)
  return (name) => found.databaseUrl(name)
}

function medusaSync(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const result = spawnSync(MEDUSA, args, { cwd, env, encoding: "utf-8", maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) {
    throw new Error(`medusa ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
  return result
}

/** Creates the database, runtime directory and both processes, and starts them. */
export async function startCluster(processes = 2): Promise<Cluster> {
  const timings: Record<string, number> = {}
  const t0 = Date.now()
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const redis = await redisToUse()
  const redisUrl = redis.url
  const redisPrefix = `ledger-rel-${runId}`
  const databaseUrlOf = await postgresServer()
  const databaseName = `ledger_reliability_${runId}`
  const admin = new Pool({ connectionString: databaseUrlOf("postgres"), max: 1 })
  await admin.query(`CREATE DATABASE "${databaseName}"`)
  await admin.end()
  const databaseUrl = databaseUrlOf(databaseName)

  const runtimeDir = path.join(__dirname, ".runtime", runId)
  fs.mkdirSync(runtimeDir, { recursive: true })
  fs.writeFileSync(
    path.join(runtimeDir, "medusa-config.js"),
    `module.exports = require(${JSON.stringify(path.join(HOST, "medusa-config.ts"))})\n`
  )
  // The CLI only runs project commands where package.json names @medusajs/medusa.
  fs.writeFileSync(
    path.join(runtimeDir, "package.json"),
    JSON.stringify({ name: `ledger-reliability-host-${runId}`, private: true, devDependencies: { "@medusajs/medusa": "*" } })
  )
  fs.symlinkSync(path.join(ROOT, "src"), path.join(runtimeDir, "src"), "dir")
  const counter = path.join(runtimeDir, "counter")
  fs.mkdirSync(path.join(counter, ".medusa/server/src/subscribers"), { recursive: true })
  fs.writeFileSync(
    path.join(counter, "package.json"),
    JSON.stringify({ name: `ledger-reliability-counter-${runId}`, version: "0.0.0", private: true })
  )
  fs.copyFileSync(
    path.join(HOST, "counter/count-ledger-events.js"),
    path.join(counter, ".medusa/server/src/subscribers/count-ledger-events.js")
  )

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    RELIABILITY_REDIS_URL: redisUrl,
    RELIABILITY_REDIS_PREFIX: redisPrefix,
    RELIABILITY_COUNTER_PLUGIN: counter,
    JWT_SECRET: `reliability-${runId}`,
    COOKIE_SECRET: `reliability-${runId}`,
    LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL || "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    NODE_OPTIONS: "",
  }

  const pg = new Pool({ connectionString: databaseUrl, max: 6 })
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()))
    await pg.end().catch(() => {})
    const Redis = loadRedis()
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
    client.on("error", () => {})
    try {
      let cursor = "0"
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `*${redisPrefix}*`, "COUNT", 1000)
        cursor = next
        if (keys.length) {
          await client.del(...keys)
        }
      } while (cursor !== "0")
    } catch {
      // Redis already gone: nothing left to clean.
    } finally {
      client.disconnect()
      redis.stop()
    }
    if (!process.env.RELIABILITY_KEEP) {
      const a = new Pool({ connectionString: databaseUrlOf("postgres"), max: 1 })
      await a.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => {})
      await a.end()
      fs.rmSync(runtimeDir, { recursive: true, force: true })
    }
  }

  const servers: ServerProcess[] = []
  try {
    medusaSync(["db:migrate"], runtimeDir, { ...env, MEDUSA_WORKER_MODE: "server" })
    timings.migrate = Date.now() - t0

    await pg.query(`
      CREATE TABLE reliability_event_log (
        seq bigserial PRIMARY KEY, event_name text NOT NULL, entity_id text, order_id text,
        process text NOT NULL, received_at timestamptz NOT NULL DEFAULT clock_timestamp())`)
    await pg.query(
      `INSERT INTO "user" (id, email, first_name, created_at, updated_at)
       VALUES ('user_reliability', 'reliability@ledger.test', 'Reliability', now(), now())`
    )

    const context = { runtimeDir, env }
    for (let i = 0; i < processes; i++) {
      servers.push(new ServerProcess(String.fromCharCode(65 + i), await freePort(), context))
    }
    const t1 = Date.now()
    // The first boot of a fresh database creates Medusa's defaults (store, price preferences); two
    // processes doing it at once race on unique keys and one exits. The first boots alone.
    await servers[0].start()
    await Promise.all(servers.slice(1).map((s) => s.start()))
    timings.boot = Date.now() - t1
  } catch (e) {
    await stop()
    throw e
  }

  const token = generateJwtToken(
    { actor_id: "user_reliability", actor_type: "user", auth_identity_id: "", app_metadata: { user_id: "user_reliability" } },
    { secret: env.JWT_SECRET as string, expiresIn: "1d" }
  )
  return {
    runId,
    databaseUrl,
    databaseName,
    redisUrl,
    redisPrefix,
    runtimeDir,
    pg,
    servers,
    admin: { authorization: `Bearer ${token}` },
    env,
    timings,
    stop,
  }
}

/**
 * `medusa exec <script>` against the cluster's database with `MEDUSA_WORKER_MODE=server` (it
 * consumes no events); answers the JSON the script wrote to `RELIABILITY_OUT`.
 */
export function execInCluster<T>(cluster: Cluster, script: string): T {
  const out = path.join(cluster.runtimeDir, `exec-${Date.now()}.json`)
  medusaSync(["exec", script], cluster.runtimeDir, {
    ...cluster.env,
    MEDUSA_WORKER_MODE: "server",
    RELIABILITY_OUT: out,
    RELIABILITY_COUNTER_PLUGIN: "",
  })
  return JSON.parse(fs.readFileSync(out, "utf-8")) as T
}

/**
 * A placed order of `total` in `currency_code`, written with the rows Medusa's Order module writes
 * for `createOrders` with one line item (order, line item, item, summary). Medusa reads it back
 * as its own (the suite checks `GET /admin/orders/:id`).
 */
export async function createOrder(pg: Pool, id: string, total: string, currency = "usd") {
  const raw = (v: string) => JSON.stringify({ value: v, precision: 20 })
  const zero = raw("0")
  const totals = {
    paid_total: 0,
    raw_paid_total: JSON.parse(zero),
    refunded_total: 0,
    raw_refunded_total: JSON.parse(zero),
    accounting_total: Number(total),
    raw_accounting_total: JSON.parse(raw(total)),
    credit_line_total: 0,
    raw_credit_line_total: JSON.parse(zero),
    transaction_total: 0,
    raw_transaction_total: JSON.parse(zero),
    pending_difference: Number(total),
    raw_pending_difference: JSON.parse(raw(total)),
    current_order_total: Number(total),
    raw_current_order_total: JSON.parse(raw(total)),
    original_order_total: Number(total),
    raw_original_order_total: JSON.parse(raw(total)),
  }
  const client = await pg.connect()
  try {
    await client.query("BEGIN")
    await client.query(
      `INSERT INTO "order" (id, version, status, is_draft_order, email, currency_code) VALUES ($1, 1, 'pending', false, $2, $3)`,
      [id, `${id}@ledger.test`, currency]
    )
    await client.query(
      `INSERT INTO order_line_item (id, title, unit_price, raw_unit_price) VALUES ($1, 'Reliability item', $2, $3)`,
      [`ordli_${id}`, total, raw(total)]
    )
    await client.query(
      `INSERT INTO order_item (id, order_id, version, item_id, quantity, raw_quantity, fulfilled_quantity,
         shipped_quantity, return_requested_quantity, return_received_quantity, return_dismissed_quantity,
         written_off_quantity)
       VALUES ($1, $2, 1, $3, 1, $4, 0, 0, 0, 0, 0, 0)`,
      [`orditem_${id}`, id, `ordli_${id}`, raw("1")]
    )
    await client.query(`INSERT INTO order_summary (id, order_id, version, totals) VALUES ($1, $2, 1, $3)`, [
      `ordsum_${id}`,
      id,
      JSON.stringify(totals),
    ])
    await client.query("COMMIT")
  } catch (e) {
    await client.query("ROLLBACK")
    throw e
  } finally {
    client.release()
  }
}

export interface HttpAnswer {
  status: number
  body: Record<string, unknown> & { code?: string; message?: string }
  process: string
}

/** A JSON request to one server process; never throws on a status. */
export async function request(
  server: ServerProcess,
  method: string,
  urlPath: string,
  options: { headers?: Record<string, string>; body?: unknown; rawBody?: string } = {}
): Promise<HttpAnswer> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined
  const res = await fetch(`${server.base}${urlPath}`, {
    method,
    headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...options.headers },
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  })
  const text = await res.text()
  let body: HttpAnswer["body"]
  try {
    body = text ? JSON.parse(text) : {}
  } catch {
    body = { unparsed: text }
  }
  return { status: res.status, body, process: server.name }
}
