import { Client } from "pg"
import { TestDatabaseUtils } from "@medusajs/test-utils"

const { getDatabaseURL } = TestDatabaseUtils

/**
 * A throwaway database per suite, named uniquely so suites run by several people (or jest
 * workers) at once never share one. Reads the `DB_*` variables `scripts/test.js` exports.
 */
export function uniqueDatabaseName(prefix: string): string {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  return `${prefix}_${suffix}`.toLowerCase()
}

/** The URL of `name` on the test server. */
export function databaseUrl(name: string): string {
  return getDatabaseURL(name)
}

async function onServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: getDatabaseURL("postgres") })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database. */
export async function createDatabase(name: string): Promise<void> {
  await onServer((c) => c.query(`CREATE DATABASE "${name}"`))
}

/** Drops a database, closing whatever connections are still open on it. */
export async function dropDatabase(name: string): Promise<void> {
  await onServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}
