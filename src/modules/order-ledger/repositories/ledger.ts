import type { Context } from "@medusajs/framework/types"
import { MikroOrmBase, generateEntityId } from "@medusajs/framework/utils"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import {
  BALANCE_FIGURES,
  LEDGER_BALANCE_FIELDS,
  LEDGER_TRANSACTION_FIELDS,
  TransactionKind,
  TransactionStatus,
  type TransactionStatus as Status,
} from "../../../utils/constants"
import { balanceStatusSql } from "../../../utils/ledger-rules"
import { LedgerErrorCode, ledgerError } from "../../../utils/errors"
import {
  CURSOR_TIMESTAMP_FIELDS,
  CURSOR_TIMESTAMP_FORMAT,
  type KeysetPage,
  type KeysetRead,
} from "../../../utils/list-cursor"
import { toDecimalString } from "../../../utils/money"
import type {
  LedgerBalanceFigures,
  LedgerBalanceRow,
  LedgerFamilyRow,
  LedgerOrderInput,
  LedgerTransactionRow,
  LedgerTransactionSnapshot,
  NewLedgerTransactionRow,
} from "../types"

type Knex = ReturnType<SqlEntityManager["getKnex"]>
type QueryBuilder = ReturnType<Knex>

/** A filter of the plain reads: a value, a list, or an operator map per column. */
export type LedgerFilters = Record<string, unknown>

/** The `raw_*` JSON Medusa keeps beside each `bigNumber` column, built in SQL from the numeric one. */
const rawSql = (column: string) => `jsonb_build_object('value', (${column})::text, 'precision', 20)`

/** The `raw_*` JSON of a decimal string, built in TypeScript. */
const rawJson = (value: string) => ({ value, precision: 20 })

/** Columns a new transaction row carries, and their SQL types for `jsonb_to_recordset`. */
const INSERT_COLUMNS: [keyof NewLedgerTransactionRow | "raw_amount" | "raw_fee", string][] = [
  ["id", "text"],
  ["order_id", "text"],
  ["kind", "text"],
  ["status", "text"],
  ["amount", "numeric"],
  ["raw_amount", "jsonb"],
  ["currency_code", "text"],
  ["reference", "text"],
  ["reference_id", "text"],
  ["parent_id", "text"],
  ["payment_method", "text"],
  ["gateway", "text"],
  ["external_id", "text"],
  ["fee", "numeric"],
  ["raw_fee", "jsonb"],
  ["card_brand", "text"],
  ["card_last4", "text"],
  ["message", "text"],
  ["reason", "text"],
  ["note", "text"],
  ["occurred_at", "timestamptz"],
  ["medusa_payment_id", "text"],
  ["metadata", "jsonb"],
]

/** The fields the rules look at, read for parents and their children. */
const FAMILY_COLUMNS =
  "id, order_id, kind, status, amount::text AS amount, parent_id, currency_code, reference, reference_id, gateway, external_id"

const TRANSACTION_MONEY = new Set(["amount", "fee"])
const BALANCE_MONEY = new Set<string>(["order_total", ...BALANCE_FIGURES])
const TRANSACTION_COLUMNS = new Set<string>(LEDGER_TRANSACTION_FIELDS)
const BALANCE_COLUMNS = new Set<string>(LEDGER_BALANCE_FIELDS)

/** SQL of the filter operators besides `$in` / `$nin`. */
const SQL_OPERATORS: Record<string, string> = {
  $eq: "=",
  $ne: "<>",
  $gt: ">",
  $gte: ">=",
  $lt: "<",
  $lte: "<=",
  $like: "like",
  $ilike: "ilike",
}

/**
 * Each order's balance figures computed from its ledger rows, joined to its stored balance for
 * the order total. `:filter` is replaced by a WHERE on `b`.
 */
const FIGURES_SQL = `
  SELECT b.order_id, b.currency_code, b.order_total,
    f.paid_total, f.refunded_total, f.chargeback_total, f.reversed_total, f.authorized_total, f.pending_total,
    (f.paid_total - f.refunded_total - f.chargeback_total + f.reversed_total) AS net_paid,
    (b.order_total - (f.paid_total - f.refunded_total - f.chargeback_total + f.reversed_total)) AS outstanding_amount
  FROM ledger_balance b
  CROSS JOIN LATERAL (
    SELECT
      COALESCE(SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'payment'), 0) AS paid_total,
      COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'refund'), 0) AS refunded_total,
      COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'chargeback'), 0) AS chargeback_total,
      COALESCE(SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'reversal'), 0) AS reversed_total,
      COALESCE(SUM(CASE
          WHEN t.kind = 'authorization' THEN t.amount
          WHEN t.kind = 'void' AND p.kind = 'authorization' THEN t.amount
          WHEN t.kind = 'payment' AND p.kind = 'authorization' THEN -t.amount
        END) FILTER (WHERE t.status = 'succeeded'), 0) AS authorized_total,
      COALESCE(SUM(t.amount) FILTER (
        WHERE t.status IN ('pending', 'requires_action') AND t.kind IN ('payment', 'refund', 'chargeback')
      ), 0) AS pending_total
    FROM ledger_transaction t
    LEFT JOIN ledger_transaction p ON p.id = t.parent_id
    WHERE t.order_id = b.order_id AND t.deleted_at IS NULL
  ) f
  WHERE b.deleted_at IS NULL AND :filter`

const REFRESH_SQL = `
  UPDATE ledger_balance AS b SET
    ${BALANCE_FIGURES.map((c) => `${c} = c.${c}, raw_${c} = ${rawSql(`c.${c}`)}`).join(",\n    ")},
    status = ${balanceStatusSql("c.outstanding_amount", "c.currency_code")},
    updated_at = now()
  FROM (${FIGURES_SQL.replace(":filter", "b.order_id = ANY(?::text[])")}) AS c
  WHERE b.order_id = c.order_id AND b.deleted_at IS NULL`

const UPSERT_BALANCES_SQL = `
  INSERT INTO ledger_balance (id, order_id, currency_code, order_total, raw_order_total,
    ${BALANCE_FIGURES.map((c) => `${c}, raw_${c}`).join(", ")}, status, created_at, updated_at)
  SELECT x.id, x.order_id, x.currency_code, x.order_total, ${rawSql("x.order_total")},
    ${BALANCE_FIGURES.map(() => `0, ${rawSql("0")}`).join(", ")}, 'settled', now(), now()
  FROM jsonb_to_recordset(?::jsonb) AS x(id text, order_id text, currency_code text, order_total numeric)
  ORDER BY x.order_id
  ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
    order_total = EXCLUDED.order_total, raw_order_total = EXCLUDED.raw_order_total,
    currency_code = EXCLUDED.currency_code, updated_at = now()`

const INSERT_TRANSACTIONS_SQL = `
  INSERT INTO ledger_transaction (${INSERT_COLUMNS.map(([c]) => c).join(", ")}, created_at, updated_at)
  SELECT ${INSERT_COLUMNS.map(([c]) => c).join(", ")}, now(), now()
  FROM jsonb_to_recordset(?::jsonb) AS x(${INSERT_COLUMNS.map(([c, type]) => `${c} ${type}`).join(", ")})`

/**
 * A PostgreSQL text[] literal, bound as one parameter (`?::text[]`): knex would otherwise expand
 * a JS array into a list of parameters.
 */
const pgTextArray = (values: (string | null)[]) =>
  `{${values
    .map((v) => (v === null ? "NULL" : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`))
    .join(",")}}`

/** Money columns read as exact decimal strings. */
function selectColumns(knex: Knex, columns: readonly string[], money: Set<string>) {
  return columns.map((c) => (money.has(c) ? knex.raw("??::text AS ??", [c, c]) : c))
}

/**
 * Applies the plain reads' filters: a value, a list (`IN`), or an operator map per column.
 * `INVALID_DATA` for a column or operator the read does not know.
 */
function applyFilters(qb: QueryBuilder, filters: LedgerFilters, columns: Set<string>, what: string): QueryBuilder {
  for (const [field, value] of Object.entries(filters)) {
    if (value === undefined) {
      continue
    }
    if (!columns.has(field)) {
      ledgerError(LedgerErrorCode.INVALID_DATA, `${what} cannot be filtered on ${field}.`)
    }
    if (Array.isArray(value)) {
      qb.whereIn(field, value)
      continue
    }
    if (value === null || typeof value !== "object" || value instanceof Date) {
      qb.where(field, value as string)
      continue
    }
    for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
      const list = Array.isArray(operand) ? operand : [operand]
      if (operator === "$in") {
        qb.whereIn(field, list)
      } else if (operator === "$nin") {
        qb.whereNotIn(field, list)
      } else if (SQL_OPERATORS[operator]) {
        qb.where(field, SQL_OPERATORS[operator], operand as string)
      } else {
        ledgerError(LedgerErrorCode.INVALID_DATA, `${field}: operator ${operator} is not supported here.`)
      }
    }
  }
  return qb
}

/** The figure of a knex `count({ count: "*" })`. */
const countOf = (result: unknown) => Number((result as { count: string | number }[])[0]?.count ?? 0)

/** Sorts by the given columns, then by id so pages are stable. */
function applyOrder(qb: QueryBuilder, table: string, order: Record<string, string> | undefined, columns: Set<string>) {
  for (const [field, direction] of Object.entries(order ?? {})) {
    if (!columns.has(field)) {
      ledgerError(LedgerErrorCode.INVALID_DATA, `Cannot sort on ${field}.`)
    }
    // Qualified: the select's `::text` aliases would otherwise sort money as text.
    qb.orderBy(`${table}.${field}`, String(direction).toLowerCase() === "desc" ? "desc" : "asc")
  }
  return qb.orderBy(`${table}.id`, "asc")
}

/**
 * One keyset page of `table`: the rows matching `filters` after `read.after` in `read.sort` order,
 * then `id`, both in `read.direction`. Each row's sort value is read as exact text (timestamps in
 * UTC with microseconds, {@link CURSOR_TIMESTAMP_FORMAT}) and compared as the column's own type,
 * so rows sharing a millisecond are neither skipped nor repeated. Reads `limit + 1` rows to know
 * whether a page follows. `id` is always selected; `fields` are checked against `columns`.
 */
async function keysetPage<T extends { id: string }>(
  knex: Knex,
  spec: { table: string; columns: Set<string>; money: Set<string>; what: string },
  filters: LedgerFilters,
  fields: readonly string[],
  read: KeysetRead
): Promise<KeysetPage<T>> {
  const { table, columns, money, what } = spec
  const unknown = fields.filter((f) => !columns.has(f))
  if (unknown.length) {
    ledgerError(LedgerErrorCode.INVALID_DATA, `${what} cannot be read on ${unknown.join(", ")}.`)
  }
  if (!columns.has(read.sort)) {
    ledgerError(LedgerErrorCode.INVALID_DATA, `Cannot sort on ${read.sort}.`)
  }
  const sort = `${table}.${read.sort}`
  const id = `${table}.id`
  const timestamp = CURSOR_TIMESTAMP_FIELDS.has(read.sort)
  const selected = [...new Set(["id", ...fields])]
  const qb = knex(table)
    .select([
      ...selectColumns(knex, selected, money),
      timestamp
        ? knex.raw(`to_char(?? AT TIME ZONE 'UTC', '${CURSOR_TIMESTAMP_FORMAT}') AS keyset_value`, [sort])
        : knex.raw(`??::text AS keyset_value`, [sort]),
    ])
    .whereNull(`${table}.deleted_at`)
  applyFilters(qb, filters, columns, what)
  if (read.after) {
    const op = read.direction === "desc" ? "<" : ">"
    const cast = timestamp ? "timestamptz" : "text"
    if (read.sort === "id") {
      qb.whereRaw(`?? ${op} ?::text`, [id, read.after.id])
    } else {
      // The first bound lets a plain index on the sort column narrow the scan; the row
      // comparison is the exact keyset condition.
      qb.whereRaw(`?? ${op}= ?::${cast}`, [sort, read.after.value])
      qb.whereRaw(`(??, ??) ${op} (?::${cast}, ?::text)`, [sort, id, read.after.value, read.after.id])
    }
  }
  if (read.sort !== "id") {
    qb.orderBy(sort, read.direction)
  }
  qb.orderBy(id, read.direction).limit(read.limit + 1)
  const found = (await qb) as (T & { keyset_value: string })[]
  const rows = found.slice(0, read.limit).map(({ keyset_value: _, ...row }) => row as unknown as T)
  const last = found.length > read.limit ? found[read.limit - 1] : undefined
  return { rows, next: last ? { value: last.keyset_value, id: last.id } : null }
}

/**
 * Every SQL statement of the ledger module, returning typed rows. Money comes back as exact
 * decimal strings. Methods run on the context's transaction when there is one, so the service
 * decides what is atomic and what is locked.
 */
export class LedgerRepository extends MikroOrmBase {
  protected em_(context: Context): SqlEntityManager {
    return this.getActiveManager<SqlEntityManager>(context)
  }

  /**
   * Creates the orders' balance rows if missing and sets their Medusa totals; the row locks
   * last until the transaction ends. Rows are written in order-id order so two writers never
   * deadlock.
   */
  async upsertBalances(orders: LedgerOrderInput[], context: Context): Promise<void> {
    const values = orders.map((o) => ({
      id: generateEntityId(undefined, "olbal"),
      order_id: o.id,
      currency_code: o.currency_code.toLowerCase(),
      order_total: toDecimalString(o.total),
    }))
    await this.em_(context).execute(UPSERT_BALANCES_SQL, [JSON.stringify(values)])
  }

  /** Row-locks the balance of a transaction's order and answers the order's id, or null. */
  async lockBalanceOfTransaction(transactionId: string, context: Context): Promise<string | null> {
    const rows = await this.em_(context).execute<{ order_id: string }[]>(
      `SELECT b.order_id FROM ledger_balance b
       WHERE b.deleted_at IS NULL
         AND b.order_id = (SELECT order_id FROM ledger_transaction WHERE id = ? AND deleted_at IS NULL)
       FOR UPDATE OF b`,
      [transactionId]
    )
    return rows[0]?.order_id ?? null
  }

  /** A transaction's updatable fields (and what the rules need), or null. */
  async findSnapshot(
    id: string,
    context: Context
  ): Promise<(LedgerTransactionSnapshot & LedgerFamilyRow) | null> {
    const rows = await this.em_(context).execute<(LedgerTransactionSnapshot & LedgerFamilyRow)[]>(
      `SELECT ${FAMILY_COLUMNS}, message, metadata FROM ledger_transaction WHERE id = ? AND deleted_at IS NULL`,
      [id]
    )
    return rows[0] ?? null
  }

  /**
   * Parents and all their children, with the reversals of those children (a bounced refund or a
   * won chargeback frees a payment's refundable amount again), in one indexed query.
   */
  async findFamilies(
    parentIds: string[],
    context: Context
  ): Promise<{ parents: LedgerFamilyRow[]; children: LedgerFamilyRow[] }> {
    if (!parentIds.length) {
      return { parents: [], children: [] }
    }
    const ids = pgTextArray(parentIds)
    const rows = await this.em_(context).execute<(LedgerFamilyRow & { is_parent: boolean })[]>(
      `SELECT ${FAMILY_COLUMNS}, true AS is_parent FROM ledger_transaction
         WHERE id = ANY(?::text[]) AND deleted_at IS NULL
       UNION ALL
       SELECT ${FAMILY_COLUMNS}, false AS is_parent FROM ledger_transaction
         WHERE parent_id = ANY(?::text[]) AND deleted_at IS NULL
       UNION ALL
       SELECT ${FAMILY_COLUMNS}, false AS is_parent FROM ledger_transaction
         WHERE kind = 'reversal' AND deleted_at IS NULL AND parent_id IN (
           SELECT id FROM ledger_transaction WHERE parent_id = ANY(?::text[]) AND kind IN ('refund', 'chargeback')
         )`,
      [ids, ids, ids]
    )
    const strip = ({ is_parent: _, ...row }: LedgerFamilyRow & { is_parent: boolean }): LedgerFamilyRow => row
    return {
      parents: rows.filter((r) => r.is_parent).map(strip),
      children: rows.filter((r) => !r.is_parent).map(strip),
    }
  }

  /** The first stored transaction with one of the gateway + external_id or reference + reference_id pairs. */
  async findDuplicate(
    keys: { external: [string, string][]; reference: [string, string][] },
    context: Context
  ): Promise<LedgerFamilyRow | null> {
    if (!keys.external.length && !keys.reference.length) {
      return null
    }
    const rows = await this.em_(context).execute<LedgerFamilyRow[]>(
      `SELECT ${FAMILY_COLUMNS} FROM ledger_transaction t
       WHERE t.deleted_at IS NULL AND (
         (t.gateway, t.external_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))
         OR (t.reference, t.reference_id) IN (SELECT * FROM unnest(?::text[], ?::text[])))
       LIMIT 1`,
      [
        pgTextArray(keys.external.map(([g]) => g)),
        pgTextArray(keys.external.map(([, e]) => e)),
        pgTextArray(keys.reference.map(([r]) => r)),
        pgTextArray(keys.reference.map(([, id]) => id)),
      ]
    )
    return rows[0] ?? null
  }

  /** Inserts prepared rows in one statement. */
  async insertTransactions(rows: NewLedgerTransactionRow[], context: Context): Promise<void> {
    if (!rows.length) {
      return
    }
    const values = rows.map((r) => ({
      ...r,
      raw_amount: rawJson(r.amount),
      raw_fee: r.fee === null ? null : rawJson(r.fee),
    }))
    await this.em_(context).execute(INSERT_TRANSACTIONS_SQL, [JSON.stringify(values)])
  }

  /** Moves pending payments to `failed` (a void cancels them) and answers their statuses before. */
  async failPendingPayments(
    ids: string[],
    context: Context
  ): Promise<{ id: string; previous_status: Status }[]> {
    if (!ids.length) {
      return []
    }
    return await this.em_(context).execute<{ id: string; previous_status: Status }[]>(
      `UPDATE ledger_transaction t SET status = ?, updated_at = now()
       FROM (SELECT id, status FROM ledger_transaction WHERE id = ANY(?::text[])) AS p
       WHERE t.id = p.id AND t.kind = ? AND t.status IN (?, ?)
       RETURNING t.id, p.status AS previous_status`,
      [
        TransactionStatus.FAILED,
        pgTextArray(ids),
        TransactionKind.PAYMENT,
        TransactionStatus.PENDING,
        TransactionStatus.REQUIRES_ACTION,
      ]
    )
  }

  /** Sets transactions' statuses (compensation of {@link failPendingPayments}). */
  async setStatuses(statuses: Record<string, Status>, context: Context): Promise<void> {
    const entries = Object.entries(statuses)
    if (!entries.length) {
      return
    }
    await this.em_(context).execute(
      `UPDATE ledger_transaction t SET status = x.status, updated_at = now()
       FROM unnest(?::text[], ?::text[]) AS x(id, status) WHERE t.id = x.id`,
      [pgTextArray(entries.map(([id]) => id)), pgTextArray(entries.map(([, status]) => status))]
    )
  }

  /** Removes rows (compensation only: the ledger is otherwise append-only). */
  async deleteTransactions(ids: string[], context: Context): Promise<void> {
    if (ids.length) {
      await this.em_(context).execute(`DELETE FROM ledger_transaction WHERE id = ANY(?::text[])`, [pgTextArray(ids)])
    }
  }

  /** Sets (or, with null, clears) the Medusa payment that carries each row's money. */
  async setMedusaPaymentIds(links: { id: string; medusa_payment_id: string | null }[], context: Context): Promise<void> {
    if (!links.length) {
      return
    }
    await this.em_(context).execute(
      `UPDATE ledger_transaction t SET medusa_payment_id = x.pay, updated_at = now()
       FROM unnest(?::text[], ?::text[]) AS x(id, pay) WHERE t.id = x.id`,
      [pgTextArray(links.map((l) => l.id)), pgTextArray(links.map((l) => l.medusa_payment_id))]
    )
  }

  /** Writes a transaction's updatable fields as the snapshot has them. */
  async writeSnapshot(s: LedgerTransactionSnapshot, context: Context): Promise<void> {
    await this.em_(context).execute(
      `UPDATE ledger_transaction SET status = ?, message = ?, external_id = ?, metadata = ?::jsonb,
         reference_id = CASE WHEN ?::boolean THEN ?::text ELSE reference_id END,
         updated_at = now() WHERE id = ?`,
      [
        s.status,
        s.message,
        s.external_id,
        s.metadata === null ? null : JSON.stringify(s.metadata),
        s.reference_id !== undefined,
        s.reference_id ?? null,
        s.id,
      ]
    )
  }

  /** Recomputes the stored figures of the given orders from their ledger rows, in one statement. */
  async refreshFigures(orderIds: string[], context: Context): Promise<void> {
    if (orderIds.length) {
      await this.em_(context).execute(REFRESH_SQL, [pgTextArray(orderIds)])
    }
  }

  /** Balances computed from the ledger rows without writing; every order when `orderIds` is undefined. */
  async computeFigures(orderIds: string[] | undefined, context: Context): Promise<LedgerBalanceFigures[]> {
    const filter = orderIds ? "b.order_id = ANY(?::text[])" : "true"
    const rows = await this.em_(context).execute<LedgerBalanceFigures[]>(
      `SELECT c.order_id, c.currency_code, ${["order_total", ...BALANCE_FIGURES].map((f) => `c.${f}::text AS ${f}`).join(", ")},
         ${balanceStatusSql("c.outstanding_amount", "c.currency_code")} AS status
       FROM (${FIGURES_SQL.replace(":filter", filter)}) c ORDER BY c.order_id`,
      orderIds ? [pgTextArray(orderIds)] : []
    )
    return rows.map((r) => ({
      ...r,
      ...Object.fromEntries(["order_total", ...BALANCE_FIGURES].map((f) => [f, toDecimalString(r[f as keyof LedgerBalanceFigures] as string)])),
    })) as LedgerBalanceFigures[]
  }

  /** The stored idempotency key, or null. */
  async findIdempotencyKey(
    key: string,
    context: Context
  ): Promise<{ request_hash: string; order_id: string; transaction_ids: string[] } | null> {
    const rows = await this.em_(context).execute<{ request_hash: string; order_id: string; transaction_ids: string[] }[]>(
      `SELECT request_hash, order_id, transaction_ids FROM ledger_idempotency_key WHERE key = ? AND deleted_at IS NULL`,
      [key]
    )
    return rows[0] ?? null
  }

  /** Inserts an idempotency key (unique: a racing twin fails on `IDX_ledger_idempotency_key_key_unique`). */
  async insertIdempotencyKey(
    row: { key: string; request_hash: string; order_id: string; transaction_ids: string[] },
    context: Context
  ): Promise<string> {
    const id = generateEntityId(undefined, "olidem")
    await this.em_(context).execute(
      `INSERT INTO ledger_idempotency_key (id, key, request_hash, order_id, transaction_ids, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?::jsonb, now(), now())`,
      [id, row.key, row.request_hash, row.order_id, JSON.stringify(row.transaction_ids)]
    )
    return id
  }

  /** Removes an idempotency key (compensation only). */
  async deleteIdempotencyKey(id: string, context: Context): Promise<void> {
    await this.em_(context).execute(`DELETE FROM ledger_idempotency_key WHERE id = ?`, [id])
  }

  /** One keyset page of transactions in id order: `limit` rows after the id `after`. */
  async listTransactionPage(
    filters: LedgerFilters,
    page: { after?: string | null; limit: number },
    context: Context
  ): Promise<LedgerTransactionRow[]> {
    const knex = this.em_(context).getKnex()
    const qb = knex("ledger_transaction")
      .select(selectColumns(knex, LEDGER_TRANSACTION_FIELDS, TRANSACTION_MONEY))
      .whereNull("deleted_at")
    applyFilters(qb, filters, TRANSACTION_COLUMNS, "Transactions")
    if (page.after) {
      qb.where("id", ">", page.after)
    }
    return (await qb.orderBy("id", "asc").limit(page.limit)) as LedgerTransactionRow[]
  }

  /** One offset page of transactions and the count of all that match, in one statement. */
  async listTransactionsAndCount(
    filters: LedgerFilters,
    page: { skip: number; take: number; order?: Record<string, string> },
    context: Context
  ): Promise<{ rows: LedgerTransactionRow[]; count: number }> {
    const knex = this.em_(context).getKnex()
    const qb = knex("ledger_transaction")
      .select([...selectColumns(knex, LEDGER_TRANSACTION_FIELDS, TRANSACTION_MONEY), knex.raw("count(*) OVER () AS full_count")])
      .whereNull("deleted_at")
    applyFilters(qb, filters, TRANSACTION_COLUMNS, "Transactions")
    applyOrder(qb, "ledger_transaction", page.order, TRANSACTION_COLUMNS)
    const found = (await qb.offset(page.skip).limit(page.take)) as (LedgerTransactionRow & { full_count: string })[]
    if (!found.length && page.skip > 0) {
      const total = await applyFilters(knex("ledger_transaction").whereNull("deleted_at"), filters, TRANSACTION_COLUMNS, "Transactions").count({ count: "*" })
      return { rows: [], count: countOf(total) }
    }
    const count = found.length ? Number(found[0].full_count) : 0
    return { rows: found.map(({ full_count: _, ...row }) => row), count }
  }

  /** One page of stored balances and the count of all that match. */
  async listBalancePage(
    filters: LedgerFilters,
    page: { fields: readonly string[]; skip: number; take: number; order?: Record<string, string> },
    context: Context
  ): Promise<{ rows: Partial<LedgerBalanceRow>[]; count: number }> {
    const unknown = page.fields.filter((f) => !BALANCE_COLUMNS.has(f))
    if (unknown.length) {
      ledgerError(LedgerErrorCode.INVALID_DATA, `Balances cannot be read on ${unknown.join(", ")}.`)
    }
    const knex = this.em_(context).getKnex()
    const matching = () => applyFilters(knex("ledger_balance").whereNull("deleted_at"), filters, BALANCE_COLUMNS, "Balances")
    const rows = applyOrder(
      matching().select(selectColumns(knex, page.fields, BALANCE_MONEY)),
      "ledger_balance",
      page.order,
      BALANCE_COLUMNS
    )
    const [pageRows, total] = await Promise.all([
      rows.offset(page.skip).limit(page.take),
      matching().count({ count: "*" }),
    ])
    return {
      rows: pageRows as Partial<LedgerBalanceRow>[],
      count: countOf(total),
    }
  }

  /**
   * One keyset page of transactions (see {@link keysetPage}): `read.limit` rows after
   * `read.after` in `read.sort` order then id, with `fields` (default: every stored field; `id`
   * always) and where the next page starts. Filters as {@link listTransactionsAndCount}.
   */
  async listTransactionKeysetPage(
    filters: LedgerFilters,
    read: KeysetRead & { fields?: readonly string[] },
    context: Context
  ): Promise<KeysetPage<Partial<LedgerTransactionRow> & { id: string }>> {
    const { fields = LEDGER_TRANSACTION_FIELDS, ...keyset } = read
    return await keysetPage(
      this.em_(context).getKnex(),
      { table: "ledger_transaction", columns: TRANSACTION_COLUMNS, money: TRANSACTION_MONEY, what: "Transactions" },
      filters,
      fields,
      keyset
    )
  }

  /** One keyset page of stored balances (see {@link keysetPage}), with `fields` (and `id`) and where the next page starts. */
  async listBalanceKeysetPage(
    filters: LedgerFilters,
    read: KeysetRead & { fields: readonly string[] },
    context: Context
  ): Promise<KeysetPage<Partial<LedgerBalanceRow> & { id: string }>> {
    const { fields, ...keyset } = read
    return await keysetPage(
      this.em_(context).getKnex(),
      { table: "ledger_balance", columns: BALANCE_COLUMNS, money: BALANCE_MONEY, what: "Balances" },
      filters,
      fields,
      keyset
    )
  }
}
