/**
 * What the bench scripts share: their options, the Medusa CLI, a `medusa start` on a free port, the
 * template database every size is cloned from, and the machine line of a report.
 */
const { spawn, spawnSync } = require("child_process")
const fs = require("fs")
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

/**
 * `medusa start` (plus `extraArgs`, e.g. `--cluster 2`) on a free port with `env`, in its own process group (killed with the bench), its
 * output in a log under the temp dir named after `label`; answers `{ base, pid, stop, bootMs, logFile }`
 * once `/health` answers.
 */
async function startMedusa(env, label, extraArgs = []) {
  const port = await freePort()
  const logFile = path.join(os.tmpdir(), `${label}-${port}.log`)
  const out = fs.openSync(logFile, "w")
  const child = spawn(MEDUSA, ["start", "--port", String(port), ...extraArgs], { cwd: ROOT, env, detached: true, stdio: ["ignore", out, out] })
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }
  process.once("exit", () => kill("SIGKILL"))
  const stop = async () => {
    kill("SIGTERM")
    const exited = await new Promise((resolve) => {
      if (child.exitCode !== null) {
        return resolve(true)
      }
      const t = setTimeout(() => resolve(false), 5000)
      child.once("exit", () => {
        clearTimeout(t)
        resolve(true)
      })
    })
    if (!exited) {
      kill("SIGKILL")
    }
    fs.closeSync(out)
  }
  const base = `http://127.0.0.1:${port}`
  const started = Date.now()
  while (Date.now() - started < 180_000) {
    if (child.exitCode !== null) {
      throw new Error(`medusa start exited with ${child.exitCode}:\n${fs.readFileSync(logFile, "utf-8").slice(-4000)}`)
    }
    try {
      if ((await fetch(`${base}/health`)).ok) {
        return { base, pid: child.pid, stop, bootMs: Date.now() - started, logFile }
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error(`medusa start did not answer /health within 180 s:\n${fs.readFileSync(logFile, "utf-8").slice(-4000)}`)
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

module.exports = { ROOT, MEDUSA, option, medusaEnv, medusa, freePort, startMedusa, createTemplate, dropTemplate, machineInfo, loadNow }
