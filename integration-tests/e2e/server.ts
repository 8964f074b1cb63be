import { spawn, type ChildProcess } from "child_process"
import { readFileSync, rmSync } from "fs"
import net from "net"
import os from "os"
import path from "path"
import { Client } from "pg"

/** The repository root: the dev host's `medusa-config.ts` lives there. */
export const ROOT = path.resolve(__dirname, "../..")
const MEDUSA_BIN = path.join(ROOT, "node_modules/.bin/medusa")

/** What `seed.ts` wrote. */
export interface E2eSeed {
  order_id: string
  other_order_ids: string[]
  email: string
  password: string
}

/** A Medusa server of the dev host with the admin dashboard, on its own database and port. */
export interface E2eServer {
  baseUrl: string
  databaseUrl: string
  seed: E2eSeed
  /** Seconds each setup phase took. */
  timings: Record<string, number>
  stop: () => Promise<void>
}

/**
 * The PostgreSQL server to use: the one `scripts/test.js` found (it exports `DB_*`), else
 * `DATABASE_URL`'s, else localhost:5432 or an embedded one (scripts/lib/postgres.js).
 */
async function postgresServerUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD } = process.env
  if (DB_HOST && DB_PORT) {
    const auth = `${encodeURIComponent(DB_USERNAME || "postgres")}${DB_PASSWORD ? `:${encodeURIComponent(DB_PASSWORD)}` : ""}`
    return { url: `postgres://${auth}@${DB_HOST}:${DB_PORT}`, stop: async () => {} }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { findPostgres } = require(path.join(ROOT, "scripts/lib/postgres.js"))
  const pg = await findPostgres(ROOT)
  return { url: pg.serverUrl, stop: pg.stop }
}

async function withAdminClient<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** Runs a `medusa` CLI command to the end; rejects with the tail of its output. */
function runMedusa(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(MEDUSA_BIN, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000)
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`medusa ${args.join(" ")} timed out after ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    child.once("error", (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      if (code === 0) {
        resolve()
      } else {
        reject(new Error(`medusa ${args.join(" ")} exited with ${code}:\n${output}`))
      }
    })
  })
}

/** Polls `url` until it answers 200, the server dies, or the time is up. */
async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number, log: () => string) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`medusa start exited (${server.exitCode ?? server.signalCode}) before ${url} answered:\n${log()}`)
    }
    try {
      const response = await fetch(url)
      if (response.status === 200) {
        return
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${log()}`)
}

/** Ends the server's whole process group: SIGTERM, then SIGKILL after 5 s. */
async function killGroup(server: ChildProcess) {
  if (!server.pid || server.exitCode !== null || server.signalCode !== null) {
    return
  }
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()))
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, sig)
    } catch {
      // already gone
    }
  }
  signal("SIGTERM")
  const timer = setTimeout(() => signal("SIGKILL"), 5000)
  await exited
  clearTimeout(timer)
  // Vite or a worker left in the group after the leader exited
  signal("SIGKILL")
}

/**
 * Creates a fresh database, applies every migration with `medusa db:migrate`, seeds the admin
 * login and orders with `medusa exec`, then starts `medusa start` with `NODE_ENV=development`
 * (what `medusa develop` runs, without its file watcher: the dashboard is served by Vite from the
 * plugin's `src/admin` sources) on a free port, in its own process group.
 */
export async function startE2eServer(): Promise<E2eServer> {
  const timings: Record<string, number> = {}
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = Date.now()
    try {
      return await fn()
    } finally {
      timings[name] = (Date.now() - start) / 1000
    }
  }

  const pg = await postgresServerUrl()
  const dbName = `ledger_e2e_${Date.now().toString(36)}_${process.pid}`
  const databaseUrl = `${pg.url}/${dbName}`
  await withAdminClient(pg.url, (c) => c.query(`CREATE DATABASE "${dbName}"`))
  const dropDatabase = () =>
    withAdminClient(pg.url, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => undefined)

  const port = await freePort()
  const baseUrl = `http://localhost:${port}`
  const seedFile = path.join(os.tmpdir(), `${dbName}-seed.json`)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    MEDUSA_ADMIN_DISABLE: "false",
    MEDUSA_BACKEND_URL: baseUrl,
    ADMIN_CORS: baseUrl,
    AUTH_CORS: baseUrl,
    STORE_CORS: baseUrl,
    PORT: String(port),
    LOG_LEVEL: process.env.E2E_LOG_LEVEL || "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    E2E_SEED_OUT: seedFile,
    NODE_OPTIONS: "",
  }

  let server: ChildProcess | undefined
  const stop = async () => {
    if (server) {
      await killGroup(server)
    }
    await dropDatabase()
    rmSync(seedFile, { force: true })
    await pg.stop()
  }

  try {
    await time("migrate", () => runMedusa(["db:migrate"], { ...env, NODE_ENV: "development" }, 120_000))
    await time("seed", () => runMedusa(["exec", "integration-tests/e2e/seed.ts"], { ...env, NODE_ENV: "development" }, 60_000))
    const seed = JSON.parse(readFileSync(seedFile, "utf8")) as E2eSeed

    let log = ""
    await time("server", async () => {
      server = spawn(MEDUSA_BIN, ["start"], {
        cwd: ROOT,
        env: { ...env, NODE_ENV: "development" },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      })
      // If jest exits before afterAll (timeout, --forceExit), take the server down with it.
      const pid = server.pid
      process.once("exit", () => {
        try {
          if (pid) {
            process.kill(-pid, "SIGKILL")
          }
        } catch {
          // already gone
        }
      })
      const collect = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-8000)
      }
      server.stdout!.on("data", collect)
      server.stderr!.on("data", collect)
      await waitForHttp(`${baseUrl}/health`, server, 90_000, () => log)
      await waitForHttp(`${baseUrl}/app`, server, 60_000, () => log)
    })
    return { baseUrl, databaseUrl, seed, timings, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
