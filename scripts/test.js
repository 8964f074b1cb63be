#!/usr/bin/env node
/**
 * `npm test`: brings what the suites need, with nothing but Node 20 and npm on the machine:
 * - PostgreSQL: DATABASE_URL, else localhost:5432, else an embedded one (scripts/lib/postgres.js);
 * - Redis: a private `redis-server` on a free port, never the machine's 6379 (scripts/lib/redis.js),
 *   exported as `TEST_REDIS_URL` (not `REDIS_URL`, which the dev host's medusa-config.ts and
 *   Medusa's defineConfig read: it would move every suite's sessions and modules onto Redis);
 * - Chromium: the dashboard suite asks scripts/lib/chromium.js (Debian's, else the npm package's);
 * then builds the plugin the way it is published (`medusa plugin:build`, for the plugin-form
 * tests) and runs every jest suite in band. Extra arguments go to jest
 * (`npm test -- integration-tests/http/balances.spec.ts`). Set SKIP_BUILD=1 to reuse an existing
 * `.medusa/server` build.
 *
 * Every child (the build, jest, the servers the suites spawn) gets `MEDUSA_DISABLE_TELEMETRY=true`
 * and a private config directory (XDG_CONFIG_HOME under node_modules/.cache) whose Medusa config
 * says telemetry is off: Medusa prints its analytics banner, and records "enabled" in
 * ~/.config/medusa, whenever that file has no setting, whatever MEDUSA_DISABLE_TELEMETRY says.
 */
const { spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")
const { findPostgres } = require("./lib/postgres")
const { startRedis, INSTALL_HINT } = require("./lib/redis")

const root = path.resolve(__dirname, "..")
const log = (message) => console.log(`[test] ${message}`)

function run(cmd, args, env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env })
  if (result.status !== 0) {
    process.exit(result.status ?? 1)
  }
}

/** A config directory of the tests' own, where Medusa's telemetry is off from the start. */
function privateConfigHome() {
  const dir = path.join(root, "node_modules/.cache/medusa-test-config")
  const file = path.join(dir, "medusa", "config.json")
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    fs.writeFileSync(file, `${JSON.stringify({ telemetry: { enabled: false } }, null, 2)}\n`, { mode: 0o600 })
  }
  return dir
}

/** The suites jest would run with these arguments (to start only what they need). */
function selectedSuites(jestArgs, env) {
  const result = spawnSync(path.join(root, "node_modules/.bin/jest"), ["--listTests", ...jestArgs], {
    cwd: root,
    env,
    encoding: "utf8",
  })
  return result.status === 0 ? result.stdout.split("\n").filter(Boolean) : null
}

async function main() {
  const jestArgs = process.argv.slice(2)
  const pg = await findPostgres(root) // exports the DB_* variables @medusajs/test-utils reads
  log(`PostgreSQL: ${pg.serverUrl.replace(/:[^:@/]*@/, ":***@")}${pg.embedded ? " (embedded)" : ""}`)
  const env = {
    ...process.env,
    NODE_ENV: "test",
    LOG_LEVEL: process.env.LOG_LEVEL || "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    XDG_CONFIG_HOME: privateConfigHome(),
    // jest needs VM modules (dynamic import() in @medusajs/test-utils); not its warning on each run.
    // Every suite boots Medusa in the one in-band jest process, and what each leaves behind adds
    // up: 30 suites reached Node's default 4 GB heap after 19 minutes, so the run gets 8 GB.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS || ""} --experimental-vm-modules --disable-warning=ExperimentalWarning --max-old-space-size=8192`.trim(),
  }

  // Only the reliability suite uses Redis. A private server costs ~50 ms, so it starts whenever
  // redis-server is there; installing one (or failing for want of it) waits until a selected
  // suite needs it.
  let redis = null
  try {
    redis = await startRedis({ log, install: false })
  } catch (error) {
    if (error.code !== "NO_REDIS_SERVER") {
      throw error
    }
    const suites = selectedSuites(jestArgs, env)
    if (!suites || suites.some((s) => s.includes(`${path.sep}reliability${path.sep}`))) {
      redis = await startRedis({ log, install: true })
    } else {
      log(`Redis: none (redis-server is not installed and no selected suite needs it; \`${INSTALL_HINT}\`)`)
    }
  }
  if (redis) {
    env.TEST_REDIS_URL = redis.url
    log(`Redis: ${redis.url}${redis.private ? " (private redis-server, nothing on disk)" : " (TEST_REDIS_URL)"}`)
  }

  if (!process.env.SKIP_BUILD) {
    log("medusa plugin:build")
    run(path.join(root, "node_modules/.bin/medusa"), ["plugin:build"], env)
  }
  const result = spawnSync(path.join(root, "node_modules/.bin/jest"), ["--runInBand", "--forceExit", ...jestArgs], {
    cwd: root,
    stdio: "inherit",
    env,
  })
  redis?.stop()
  await pg.stop()
  process.exit(result.status ?? 1)
}

main().catch((e) => {
  console.error(e instanceof Error && e.code ? `[test] ${e.message}` : e)
  process.exit(1)
})
