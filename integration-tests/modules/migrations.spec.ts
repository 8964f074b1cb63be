import path from "path"
import { Client } from "pg"
import { MikroORM, defineConfig } from "@medusajs/framework/mikro-orm/postgresql"
import { CustomDBMigrator, loadModels, toMikroOrmEntities } from "@medusajs/framework/utils"
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from "./database"

jest.setTimeout(120_000)

const MODULE_DIR = path.resolve(__dirname, "../../src/modules/order-ledger")
const MIGRATIONS_DIR = path.join(MODULE_DIR, "migrations")

const TABLES = [
  "ledger_balance",
  "ledger_change",
  "ledger_change_consumer",
  "ledger_idempotency_key",
  "ledger_reconcile_run",
  "ledger_transaction",
]
const UNIQUE_INDEXES = [
  "IDX_ledger_balance_order_id_unique",
  "IDX_ledger_change_feed",
  "IDX_ledger_idempotency_key_key_unique",
  "IDX_ledger_transaction_gateway_external_id_unique",
  "IDX_ledger_transaction_reference_unique",
]

/**
 * The plugin's migrations, run the way `medusa db:migrate` runs them (MikroORM's migrator with
 * Medusa's `CustomDBMigrator`) against an empty database: up, down to nothing, up again.
 */
describe("order-ledger migrations", () => {
  const dbName = uniqueDatabaseName("ledger_migrations")
  let orm: MikroORM
  let pg: Client

  const tables = async () =>
    (
      await pg.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name LIKE 'ledger_%' ORDER BY table_name`
      )
    ).rows.map((r) => r.table_name)

  const uniqueIndexes = async () =>
    (
      await pg.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes
         WHERE schemaname = 'public' AND tablename LIKE 'ledger_%' AND indexdef LIKE 'CREATE UNIQUE INDEX%'
           AND indexname NOT LIKE '%_pkey' ORDER BY indexname`
      )
    ).rows.map((r) => r.indexname)

  const applied = async () => (await orm.getMigrator().getExecutedMigrations()).map((m) => m.name)

  beforeAll(async () => {
    await createDatabase(dbName)
    orm = await MikroORM.init(
      defineConfig({
        clientUrl: databaseUrl(dbName),
        // The models, only to compare the migrated schema with them.
        entities: toMikroOrmEntities(loadModels(path.join(MODULE_DIR, "models"))),
        migrations: { path: MIGRATIONS_DIR, pathTs: MIGRATIONS_DIR, silent: true, snapshot: false },
        extensions: [CustomDBMigrator],
        debug: false,
      })
    )
    pg = new Client({ connectionString: databaseUrl(dbName) })
    await pg.connect()
  })

  afterAll(async () => {
    await pg?.end()
    await orm?.close(true)
    await dropDatabase(dbName)
  })

  const schemaDiff = async () =>
    (await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false })).trim()

  it("finds the migration files, and the models differ from the empty database", async () => {
    const pending = await orm.getMigrator().getPendingMigrations()
    expect(pending.length).toBeGreaterThanOrEqual(1)
    expect(await tables()).toEqual([])
    // The comparison used below does see a missing schema.
    expect(await schemaDiff()).toContain('create table "ledger_transaction"')
  })

  it("applies every migration to an empty database", async () => {
    const ran = await orm.getMigrator().up()
    expect(ran.length).toBeGreaterThanOrEqual(1)
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([])
    expect(await tables()).toEqual(TABLES)
    expect(await uniqueIndexes()).toEqual(UNIQUE_INDEXES)
  })

  it("creates no table named like Medusa's own order_transaction", async () => {
    const { rows } = await pg.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'order_transaction'`
    )
    expect(rows).toEqual([])
  })

  it("leaves a schema that matches the models (nothing left for plugin:db:generate)", async () => {
    expect(await schemaDiff()).toBe("")
  })

  it("enforces the unique pairs only when the id is set", async () => {
    const insert = (id: string, reference: string, referenceId: string | null, gateway: string, externalId: string | null) =>
      pg.query(
        `INSERT INTO ledger_transaction (id, order_id, kind, amount, raw_amount, currency_code, reference, reference_id,
           gateway, external_id, occurred_at)
         VALUES ($1, 'order_1', 'payment', 10, '{"value":"10","precision":20}', 'usd', $2, $3, $4, $5, now())`,
        [id, reference, referenceId, gateway, externalId]
      )
    await insert("oltx_1", "manual", null, "manual", null)
    await insert("oltx_2", "manual", null, "manual", null)
    await insert("oltx_3", "capture", "capt_1", "stripe", "ch_1")
    await expect(insert("oltx_4", "capture", "capt_1", "stripe", null)).rejects.toMatchObject({ code: "23505" })
    await expect(insert("oltx_5", "manual", null, "stripe", "ch_1")).rejects.toMatchObject({ code: "23505" })
    // The same external id at another gateway is another transaction.
    await insert("oltx_6", "manual", null, "paypal", "ch_1")
    await expect(
      pg.query(
        `INSERT INTO ledger_transaction (id, order_id, kind, amount, raw_amount, currency_code, occurred_at)
         VALUES ('oltx_7', 'order_1', 'gift', 10, '{}', 'usd', now())`
      )
    ).rejects.toMatchObject({ code: "23514" })
  })

  it("keeps the change log append-only and logs each change once, with what changed", async () => {
    const { rows: logged } = await pg.query(
      `SELECT type, resource_id, version, actor FROM ledger_change WHERE resource_id IN ('oltx_1', 'oltx_3') ORDER BY txid, seq`
    )
    expect(logged).toEqual([
      { type: "order_transaction.created", resource_id: "oltx_1", version: 1, actor: { type: "system", id: "order-ledger" } },
      { type: "order_transaction.created", resource_id: "oltx_3", version: 1, actor: { type: "system", id: "order-ledger" } },
    ])
    await pg.query(`UPDATE ledger_transaction SET updated_at = now() WHERE id = 'oltx_1'`) // changes nothing
    await pg.query(`UPDATE ledger_transaction SET status = 'failed', updated_at = now() WHERE id = 'oltx_1'`)
    const { rows: history } = await pg.query(
      `SELECT type, version, previous FROM ledger_change WHERE resource_id = 'oltx_1' ORDER BY txid, seq`
    )
    expect(history).toEqual([
      { type: "order_transaction.created", version: 1, previous: null },
      { type: "order_transaction.updated", version: 2, previous: { status: "succeeded" } },
    ])
    await expect(pg.query(`UPDATE ledger_change SET version = 9`)).rejects.toMatchObject({ code: "23001" })
    await expect(pg.query(`DELETE FROM ledger_change`)).rejects.toMatchObject({ code: "23001" })
  })

  it("gives rows recorded before the change log their created change, and does not announce them again", async () => {
    await orm.getMigrator().down({ to: "Migration20261202010057" })
    expect(await tables()).not.toContain("ledger_change")
    await pg.query(
      `INSERT INTO ledger_transaction (id, order_id, kind, amount, raw_amount, currency_code, occurred_at, created_at)
       VALUES ('oltx_old', 'order_old', 'payment', 10, '{"value":"10","precision":20}', 'usd', now(), '2026-01-02T03:04:05Z')`
    )
    await orm.getMigrator().up()
    const { rows } = await pg.query(
      `SELECT type, version, actor, previous, created_at, object->>'id' AS object_id FROM ledger_change WHERE resource_id = 'oltx_old'`
    )
    expect(rows).toEqual([
      {
        type: "order_transaction.created",
        version: 1,
        actor: { type: "system", id: "migration" },
        previous: null,
        created_at: new Date("2026-01-02T03:04:05Z"),
        object_id: "oltx_old",
      },
    ])
    // The Medusa-events publisher starts after them.
    const { rows: [consumer] } = await pg.query(
      `SELECT (after_txid, after_seq) >= (SELECT max(txid), max(seq) FROM ledger_change) AS after_all
       FROM ledger_change_consumer WHERE name = 'medusa-events'`
    )
    expect(consumer).toEqual({ after_all: true })
  })

  it("rolls every migration back, leaving no ledger table", async () => {
    await orm.getMigrator().down({ to: 0 })
    expect(await applied()).toEqual([])
    expect(await tables()).toEqual([])
    expect(await uniqueIndexes()).toEqual([])
  })

  it("applies them again after the rollback", async () => {
    await orm.getMigrator().up()
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([])
    expect(await tables()).toEqual(TABLES)
    expect(await uniqueIndexes()).toEqual(UNIQUE_INDEXES)
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM ledger_transaction`)
    expect(rows[0].n).toBe(0)
  })
})
