import type { Context } from "@medusajs/framework/types"
import { MikroOrmBase } from "@medusajs/framework/utils"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { LedgerActorContext } from "../../../utils/actor"
import { LedgerErrorCode, ledgerError } from "../../../utils/errors"
import type { LedgerChange } from "../types"

/**
 * The change log's SQL. Changes are written by the database's triggers (see the migration
 * `Migration20261202055532`), never here: this repository only says who acts in a write
 * transaction, and reads the log.
 *
 * The feed's order is (`txid`, `seq`): the writing transaction's id, then the order of writes in
 * it. A page hands out only changes whose transaction is older than the oldest one still in
 * flight (`pg_snapshot_xmin(pg_current_snapshot())`): every such transaction has ended, so all
 * its changes are visible, and any transaction that commits later has a higher `txid` than the
 * cursor. That is what makes a follower that never skips a change.
 */

/** A feed position: the last change handed out, as `<txid>.<seq>` (`0.0` before the first). */
export type ChangeCursor = { txid: string; seq: string }

export const FEED_START: ChangeCursor = { txid: "0", seq: "0" }

const CURSOR = /^(\d{1,20})\.(\d{1,20})$/
const MAX_TXID = 18446744073709551615n
const MAX_SEQ = 9223372036854775807n

/** `<txid>.<seq>` → a position; `INVALID_DATA` naming `field` when it is not one. */
export function parseChangeCursor(value: string | null | undefined, field = "after"): ChangeCursor {
  if (value === null || value === undefined || value === "") {
    return FEED_START
  }
  const match = CURSOR.exec(value)
  // A transaction id is an unsigned 64-bit number (xid8), a position a signed one (bigint).
  if (!match || BigInt(match[1]) > MAX_TXID || BigInt(match[2]) > MAX_SEQ) {
    ledgerError(LedgerErrorCode.INVALID_DATA, `${field} must be a cursor from an earlier answer (next_cursor), like "0.0".`)
  }
  return { txid: match[1], seq: match[2] }
}

export const formatChangeCursor = (c: ChangeCursor) => `${c.txid}.${c.seq}`

// The position as text under other names: ORDER BY would otherwise sort by these text aliases.
const CHANGE_COLUMNS = `id, type, created_at, resource_id, order_id, version, actor, idempotency_key, object, previous, txid::text AS txid_text, seq::text AS seq_text`

type ChangeRow = Omit<LedgerChange, "created_at" | "data"> & {
  created_at: Date | string
  object: Record<string, unknown>
  previous: Record<string, unknown> | null
  txid_text: string
  seq_text: string
}

const toChange = (r: ChangeRow): LedgerChange => ({
  id: r.id,
  type: r.type,
  created_at: new Date(r.created_at).toISOString(),
  resource_id: r.resource_id,
  order_id: r.order_id,
  version: Number(r.version),
  actor: r.actor,
  idempotency_key: r.idempotency_key,
  data: { object: r.object, previous: r.previous },
})

export class LedgerChangeRepository extends MikroOrmBase {
  protected em_(context: Context): SqlEntityManager {
    return this.getActiveManager<SqlEntityManager>(context)
  }

  /**
   * Settings of the current write transaction: who acts (the triggers read it into each change
   * they write; the system when unset), the request's idempotency key, and how long a row-lock
   * wait may take before giving up (SQLSTATE 55P03). One statement.
   */
  async beginWrite(
    settings: LedgerActorContext & { lock_timeout_ms?: number },
    sharedContext: Context
  ): Promise<void> {
    await this.em_(sharedContext).execute(
      `SELECT set_config('order_ledger.actor', ?, true), set_config('order_ledger.idempotency_key', ?, true)` +
        (settings.lock_timeout_ms ? `, set_config('lock_timeout', ?, true)` : ""),
      [
        JSON.stringify(settings.actor),
        settings.idempotency_key ?? "",
        ...(settings.lock_timeout_ms ? [String(Math.max(1, Math.floor(settings.lock_timeout_ms)))] : []),
      ]
    )
  }

  /**
   * Up to `limit` changes after `after` in feed order, of transactions that have all ended
   * (below `horizon`, the oldest transaction in flight, read now unless given).
   */
  async listChanges(
    after: ChangeCursor,
    limit: number,
    sharedContext: Context,
    horizon?: string
  ): Promise<{ changes: LedgerChange[]; last: ChangeCursor | null; has_more: boolean }> {
    const rows = await this.em_(sharedContext).execute<ChangeRow[]>(
      `SELECT ${CHANGE_COLUMNS} FROM ledger_change
       WHERE (txid, seq) > (?::xid8, ?::bigint)
         AND txid < ${horizon ? "?::xid8" : "pg_snapshot_xmin(pg_current_snapshot())"}
       ORDER BY txid, seq LIMIT ?`,
      [after.txid, after.seq, ...(horizon ? [horizon] : []), limit + 1]
    )
    const page = rows.slice(0, limit)
    const lastRow = page[page.length - 1]
    return {
      changes: page.map(toChange),
      last: lastRow ? { txid: lastRow.txid_text, seq: lastRow.seq_text } : null,
      has_more: rows.length > limit,
    }
  }

  /** The oldest transaction still in flight: changes below it are final. */
  async horizon(sharedContext: Context): Promise<string> {
    const [row] = await this.em_(sharedContext).execute<{ xmin: string }[]>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`
    )
    return row.xmin
  }

  /** The feed's end now: a cursor after every change written so far that is final. */
  async head(sharedContext: Context): Promise<ChangeCursor> {
    const [row] = await this.em_(sharedContext).execute<{ txid_text: string; seq_text: string }[]>(
      `SELECT txid::text AS txid_text, seq::text AS seq_text FROM ledger_change
       WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txid DESC, seq DESC LIMIT 1`
    )
    return row ? { txid: row.txid_text, seq: row.seq_text } : FEED_START
  }

  /** One resource's changes, oldest first. */
  async listHistory(resourceId: string, sharedContext: Context): Promise<LedgerChange[]> {
    const rows = await this.em_(sharedContext).execute<ChangeRow[]>(
      `SELECT ${CHANGE_COLUMNS} FROM ledger_change WHERE resource_id = ? ORDER BY txid, seq`,
      [resourceId]
    )
    return rows.map(toChange)
  }

  /**
   * Row-locks a feed consumer's position for the current transaction and answers it, or null
   * when another process holds it (`SKIP LOCKED`: it is publishing right now). A consumer seen
   * for the first time starts at the feed's end.
   */
  async lockConsumer(name: string, sharedContext: Context): Promise<ChangeCursor | null> {
    const em = this.em_(sharedContext)
    const lock = () =>
      em.execute<{ txid: string; seq: string }[]>(
        `SELECT after_txid::text AS txid, after_seq::text AS seq FROM ledger_change_consumer
         WHERE name = ? FOR UPDATE SKIP LOCKED`,
        [name]
      )
    const [row] = await lock()
    if (row) {
      return row
    }
    const [known] = await em.execute(`SELECT 1 FROM ledger_change_consumer WHERE name = ?`, [name])
    if (known) {
      return null
    }
    const start = await this.head(sharedContext)
    await em.execute(
      `INSERT INTO ledger_change_consumer (name, after_txid, after_seq) VALUES (?, ?::xid8, ?::bigint) ON CONFLICT (name) DO NOTHING`,
      [name, start.txid, start.seq]
    )
    return (await lock())[0] ?? null
  }

  /** Moves a consumer's position (its row is locked by {@link lockConsumer}). */
  async advanceConsumer(name: string, to: ChangeCursor, sharedContext: Context): Promise<void> {
    await this.em_(sharedContext).execute(
      `UPDATE ledger_change_consumer SET after_txid = ?::xid8, after_seq = ?::bigint, updated_at = now() WHERE name = ?`,
      [to.txid, to.seq, name]
    )
  }
}
