#!/usr/bin/env node
/**
 * `npm test`: finds or starts a PostgreSQL (see scripts/lib/postgres.js), builds the plugin the
 * way it is published (`medusa plugin:build`, for the plugin-form tests), then runs every jest
 * suite in band. Extra arguments go to jest (`npm test -- integration-tests/http/balances.spec.ts`).
 * Set SKIP_BUILD=1 to reuse an existing `.medusa/server` build.
 */
const { spawnSync } = require("child_process")
const path = require("path")
const { findPostgres } = require("./lib/postgres")

const root = path.resolve(__dirname, "..")

function run(cmd, args, env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } })
  if (result.status !== 0) {
    process.exit(result.status ?? 1)
  }
}

async function main() {
  const pg = await findPostgres(root)
  console.log(`[test] PostgreSQL: ${pg.serverUrl.replace(/:[^:@/]*@/, ":***@")}${pg.embedded ? " (embedded)" : ""}`)
  const env = {
    NODE_ENV: "test",
    LOG_LEVEL: process.env.LOG_LEVEL || "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    NODE_OPTIONS: `${process.env.NODE_OPTIONS || ""} --experimental-vm-modules`.trim(),
  }
  if (!process.env.SKIP_BUILD) {
    console.log("[test] medusa plugin:build")
    run(path.join(root, "node_modules/.bin/medusa"), ["plugin:build"], env)
  }
  const jestArgs = ["--runInBand", "--forceExit", ...process.argv.slice(2)]
  const result = spawnSync(path.join(root, "node_modules/.bin/jest"), jestArgs, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  })
  await pg.stop()
  process.exit(result.status ?? 1)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
