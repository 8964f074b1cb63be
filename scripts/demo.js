#!/usr/bin/env node
/**
 * `npm run demo`: a Medusa store with the plugin, its migrations applied and demo orders seeded,
 * served with the admin dashboard on http://localhost:9000/app.
 *
 * 1. Finds PostgreSQL (scripts/lib/postgres.js): DATABASE_URL, else localhost:5432, else an
 *    embedded PostgreSQL in .demo-pg/ (binaries from the npm registry; nothing to install).
 * 2. Creates the database `medusa_order_ledger_demo` if missing (unless DATABASE_URL names one).
 * 3. `medusa db:migrate`: Medusa's migrations, the plugin's, and the module links.
 * 4. `medusa exec ./scripts/demo-seed.ts`: region, product, admin user, orders and their ledger
 *    (skipped where already seeded, so a second run changes nothing).
 * 5. `medusa develop` on PORT (default 9000) with the dashboard on; prints the URL and the login
 *    once `/health` answers. Ctrl+C stops the server (and the embedded PostgreSQL, if started).
 */
const { spawn } = require("child_process")
const path = require("path")
const { findPostgres, ensureDatabase, canConnect } = require("./lib/postgres")

const root = path.resolve(__dirname, "..")
const medusa = path.join(root, "node_modules/.bin/medusa")
const DEMO_DATABASE = "medusa_order_ledger_demo"
const PORT = Number(process.env.PORT || 9000)
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL || "admin@example.com"
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD || "supersecret"

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const say = (message) => console.log(`[demo] ${message}`)
const redact = (url) => url.replace(/:[^:@/]*@/, ":***@")

/** Runs a command to completion, failing the demo if it fails. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(medusa, args, { cwd: root, stdio: "inherit", env })
    child.once("error", reject)
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`medusa ${args[0]} failed (${signal ?? `exit ${code}`})`))
    )
  })
}

async function waitForHealth(url, child, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited (code ${child.exitCode}) before answering ${url}`)
    }
    try {
      const res = await fetch(url)
      if (res.ok) {
        return
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

let pg = null

async function main() {
  if (await canConnect(PORT)) {
    throw new Error(`port ${PORT} is already in use: stop what runs there, or run with PORT=<another port>.`)
  }

  pg = await findPostgres(root)
  const databaseUrl = process.env.DATABASE_URL || pg.databaseUrl(DEMO_DATABASE)
  say(`PostgreSQL: ${redact(pg.serverUrl)}${pg.embedded ? " (embedded, data in .demo-pg/)" : ""}`)
  await ensureDatabase(databaseUrl)
  say(`database: ${redact(databaseUrl)}`)

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: "development",
    PORT: String(PORT),
    MEDUSA_ADMIN_DISABLE: "false",
    MEDUSA_DISABLE_TELEMETRY: "true",
    DEMO_ADMIN_EMAIL: ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ADMIN_CORS: process.env.ADMIN_CORS || `http://localhost:${PORT},http://localhost:5173`,
    AUTH_CORS: process.env.AUTH_CORS || `http://localhost:${PORT},http://localhost:5173`,
  }

  say("migrating (Medusa + order ledger + links)…")
  await run(["db:migrate"], env)
  say(`migrated (${elapsed()}); seeding…`)
  await run(["exec", "./scripts/demo-seed.ts"], env)
  say(`seeded (${elapsed()}); starting the server on port ${PORT}…`)

  const server = spawn(medusa, ["develop"], { cwd: root, stdio: "inherit", env })
  const stop = async (signal) => {
    if (server.exitCode === null) {
      server.kill(signal)
      await new Promise((r) => server.once("exit", r))
    }
    await pg.stop()
  }
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => stop(signal).then(() => process.exit(0)))
  }
  server.once("exit", async (code) => {
    await pg.stop()
    process.exit(code ?? 1)
  })

  const base = `http://localhost:${PORT}`
  await waitForHealth(`${base}/health`, server)
  console.log(
    [
      "",
      "──────────────────────────────────────────────────────────────",
      `  Order ledger demo is running (ready in ${elapsed()})`,
      "",
      `  Admin dashboard   ${base}/app`,
      `  Login             ${ADMIN_EMAIL} / ${ADMIN_PASSWORD}`,
      `  API               ${base}  (POST /auth/user/emailpass for a token)`,
      "",
      "  Orders: three demo orders, one settled, one where the customer",
      "  owes, one where the merchant owes (GET /admin/orders/:id/balance).",
      "  The first dashboard load builds the admin (can take ~20 s).",
      "  Ctrl+C stops the server.",
      "──────────────────────────────────────────────────────────────",
      "",
    ].join("\n")
  )
}

main().catch(async (error) => {
  console.error(`[demo] ${error.message}`)
  await pg?.stop()
  process.exit(1)
})
