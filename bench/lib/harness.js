/**
 * What the bench scripts share: their options, the Medusa CLI, a free port, the template database
 * every size is cloned from, and the machine line of a report.
 */
const { spawnSync } = require("child_process")
const net = require("net")
const os = require("os")
const path = require("path")
const { Client } = require("pg")

const ROOT = path.resolve(__dirname, "../..")
const MEDUSA = path.join(ROOT, "node_modules/.bin/medusa")

/** A `--name=value` flag, else the environment variable, else the fallback. */
function option(name, env, fallback) {
  const flag = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (flag) {
    return flag.includes("=") ? flag.split("=")[1] : "1"
  }
  return process.env[env] ?? fallback
}

/** The environment of a Medusa process on `databaseUrl`: quiet, no telemetry, no dashboard. */
function medusaEnv(databaseUrl, extra = {}) {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLE: "true",
    ...extra,
  }
}

/** Runs a Medusa CLI command to completion; throws with its output when it fails. */
function medusa(args, env) {
  const result = spawnSync(MEDUSA, args, { cwd: ROOT, env, encoding: "utf-8", maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) {
    throw new Error(`medusa ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
  return result
}

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Creates the template database (named after `prefix`); answers its name and the server's version. */
async function createTemplate(pg, prefix) {
  const template = `${prefix}_${Date.now().toString(36)}_template`
  const admin = new Client({ connectionString: pg.databaseUrl("postgres") })
  await admin.connect()
  const { rows } = await admin.query("SHOW server_version")
  await admin.query(`CREATE DATABASE "${template}"`)
  await admin.end()
  return { template, serverVersion: rows[0].server_version }
}

/** Drops the template database, whatever still uses it. */
async function dropTemplate(pg, template) {
  const admin = new Client({ connectionString: pg.databaseUrl("postgres") })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => {})
  await admin.end()
}

/** The machine a run measured, for the report. */
function machineInfo(pg, serverVersion, loadStart) {
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0].model.trim(),
    ram: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: `PostgreSQL ${serverVersion}${pg.embedded ? " (embedded)" : ""}`,
    loadStart,
    loadEnd: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    date: new Date().toISOString(),
  }
}

/** The load averages now, as the report prints them. */
const loadNow = () => os.loadavg().map((l) => l.toFixed(2)).join(" ")

module.exports = { ROOT, MEDUSA, option, medusaEnv, medusa, freePort, createTemplate, dropTemplate, machineInfo, loadNow }
