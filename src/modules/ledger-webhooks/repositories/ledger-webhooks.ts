import type { Context } from "@medusajs/framework/types"
import { MikroOrmBase, generateEntityId } from "@medusajs/framework/utils"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { LedgerWebhookDeliveryStatus, LedgerWebhookStatus } from "../types"
import type { ClaimedLedgerWebhookDelivery, LedgerWebhookAttempt } from "../types"

/** A change to queue for an endpoint, in feed order. */
export interface NewLedgerWebhookDelivery {
  change_id: string
  change_type: string
  payload: string
}

/** An endpoint as the fan-out reads it under its row lock. */
export interface FanOutEndpoint {
  id: string
  cursor: string | null
  events: string[] | null
}

/** A PostgreSQL text[] literal, bound as one parameter (`?::text[]`). */
const textArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/(["\\])/g, "\\$1")}"`).join(",")}}`

const PENDING = LedgerWebhookDeliveryStatus.PENDING

/**
 * The webhooks module's SQL: the row locks that let several processes fan out and send at once
 * without two of them sending one change to one endpoint at the same time. Scheduling times
 * (`next_attempt_at`) are the application's clock, passed in; claims (`locked_until`) are the
 * database's, so processes whose clocks differ agree on who holds a claim.
 */
export class LedgerWebhooksRepository extends MikroOrmBase {
  protected em_(context: Context): SqlEntityManager {
    return this.getActiveManager<SqlEntityManager>(context)
  }

  /**
   * Row-locks the next enabled endpoint not in `done` that no other process is fanning out or
   * claiming for (`SKIP LOCKED`), until the transaction ends.
   */
  async lockNextEndpointForFanOut(done: string[], context: Context): Promise<FanOutEndpoint | null> {
    const rows = await this.em_(context).execute<FanOutEndpoint[]>(
      `SELECT id, cursor, events FROM ledger_webhook_endpoint
       WHERE enabled AND deleted_at IS NULL AND NOT (id = ANY(?::text[]))
       ORDER BY id
       FOR UPDATE SKIP LOCKED
       LIMIT 1`,
      [textArray(done)]
    )
    return rows[0] ?? null
  }

  /**
   * Queues changes for an endpoint whose row this transaction holds, after its last position
   * and in the order given; a change already queued for it is skipped. Answers how many were new.
   */
  async insertDeliveries(
    endpointId: string,
    deliveries: NewLedgerWebhookDelivery[],
    now: Date,
    context: Context
  ): Promise<number> {
    if (!deliveries.length) {
      return 0
    }
    const values = deliveries.map((d, index) => ({ ...d, id: generateEntityId(undefined, "olwhd"), ord: index + 1 }))
    const rows = await this.em_(context).execute<{ id: string }[]>(
      `INSERT INTO ledger_webhook_delivery
         (id, endpoint_id, change_id, change_type, position, payload, status, attempts, next_attempt_at, created_at, updated_at)
       SELECT x.id, ?, x.change_id, x.change_type,
         (SELECT COALESCE(MAX(position), 0) FROM ledger_webhook_delivery WHERE endpoint_id = ?) + x.ord,
         x.payload, '${PENDING}', 0, ?, now(), now()
       FROM jsonb_to_recordset(?::jsonb) AS x(id text, change_id text, change_type text, payload text, ord int)
       ORDER BY x.ord
       ON CONFLICT (endpoint_id, change_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [endpointId, endpointId, now, JSON.stringify(values)]
    )
    return rows.length
  }

  /** Moves an endpoint's fan-out cursor. */
  async setCursor(endpointId: string, cursor: string, context: Context): Promise<void> {
    await this.em_(context).execute(`UPDATE ledger_webhook_endpoint SET cursor = ? WHERE id = ?`, [cursor, endpointId])
  }

  /**
   * Row-locks up to `limit` enabled endpoints that have a delivery due and none being sent
   * (`SKIP LOCKED`: endpoints another process is claiming for or fanning out are left to it).
   */
  async lockEndpointsWithDueDeliveries(
    now: Date,
    limit: number,
    context: Context
  ): Promise<{ id: string; url: string; secret: string }[]> {
    return await this.em_(context).execute(
      `SELECT e.id, e.url, e.secret FROM ledger_webhook_endpoint e
       WHERE e.enabled AND e.deleted_at IS NULL
         AND EXISTS (
           SELECT 1 FROM ledger_webhook_delivery d
           WHERE d.endpoint_id = e.id AND d.status = '${PENDING}' AND d.deleted_at IS NULL
             AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until < now()))
       ORDER BY e.id
       FOR UPDATE OF e SKIP LOCKED
       LIMIT ?`,
      [now, limit]
    )
  }

  /**
   * Claims, for endpoints whose rows this transaction holds, up to `perEndpoint` due deliveries
   * each in feed order, for `lockMs`: `UPDATE … SET locked_until = now() + lockMs WHERE id IN
   * (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)`. An endpoint with a delivery still being sent by
   * another claim gets none. Run after the endpoint locks, as its own statement, so it sees every
   * claim committed before those locks were granted.
   */
  async claimDeliveries(
    endpointIds: string[],
    now: Date,
    perEndpoint: number,
    lockMs: number,
    context: Context
  ): Promise<Omit<ClaimedLedgerWebhookDelivery, "url" | "secret">[]> {
    if (!endpointIds.length) {
      return []
    }
    return await this.em_(context).execute(
      `UPDATE ledger_webhook_delivery d
       SET locked_until = now() + (? * interval '1 millisecond')
       WHERE d.id IN (
         SELECT c.id FROM unnest(?::text[]) AS e(id)
         CROSS JOIN LATERAL (
           SELECT x.id FROM ledger_webhook_delivery x
           WHERE x.endpoint_id = e.id AND x.status = '${PENDING}' AND x.deleted_at IS NULL
             AND x.next_attempt_at <= ? AND (x.locked_until IS NULL OR x.locked_until < now())
           ORDER BY x.position
           LIMIT ?
           FOR UPDATE SKIP LOCKED
         ) c
         WHERE NOT EXISTS (
           SELECT 1 FROM ledger_webhook_delivery f
           WHERE f.endpoint_id = e.id AND f.status = '${PENDING}' AND f.locked_until >= now() AND f.deleted_at IS NULL)
       )
       RETURNING d.id, d.endpoint_id, d.change_id, d.position, d.payload, d.attempts, d.first_attempted_at,
         d.locked_until::text AS claim`,
      [lockMs, textArray(endpointIds), now, perEndpoint]
    )
  }

  /**
   * Records an attempt under the claim that made it (a claim that ran out and was taken over, or
   * cleared by a manual retry, records nothing): succeeded, failed for good (`nextAttemptAt`
   * null), or pending until `nextAttemptAt`. Answers whether it was recorded.
   */
  async recordAttempt(
    delivery: Pick<ClaimedLedgerWebhookDelivery, "id" | "claim">,
    attempt: LedgerWebhookAttempt,
    nextAttemptAt: Date | null,
    context: Context
  ): Promise<boolean> {
    const status = attempt.succeeded
      ? LedgerWebhookDeliveryStatus.SUCCEEDED
      : nextAttemptAt
        ? PENDING
        : LedgerWebhookDeliveryStatus.FAILED
    const rows = await this.em_(context).execute<{ id: string }[]>(
      `UPDATE ledger_webhook_delivery SET
         status = ?, attempts = attempts + 1, last_status_code = ?, last_error = ?, last_duration_ms = ?,
         first_attempted_at = COALESCE(first_attempted_at, ?), last_attempted_at = ?,
         next_attempt_at = ?, delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END,
         locked_until = NULL, updated_at = now()
       WHERE id = ? AND locked_until = ?::timestamptz
       RETURNING id`,
      [
        status,
        attempt.status_code,
        attempt.error,
        attempt.duration_ms,
        attempt.attempted_at,
        attempt.attempted_at,
        attempt.succeeded ? null : nextAttemptAt,
        attempt.succeeded,
        attempt.attempted_at,
        delivery.id,
        delivery.claim,
      ]
    )
    return rows.length > 0
  }

  /**
   * Makes an endpoint's pending retries due now: after a retry succeeded the endpoint is back,
   * and its backlog goes out in feed order instead of each delivery waiting out its own backoff.
   */
  async retryPendingNow(endpointId: string, now: Date, context: Context): Promise<void> {
    await this.em_(context).execute(
      `UPDATE ledger_webhook_delivery SET next_attempt_at = ?
       WHERE endpoint_id = ? AND status = '${PENDING}' AND attempts > 0 AND next_attempt_at > ? AND deleted_at IS NULL`,
      [now, endpointId, now]
    )
  }

  /** Gives back claims that were not attempted, so the next claim takes them in order. */
  async releaseClaims(deliveries: Pick<ClaimedLedgerWebhookDelivery, "id" | "claim">[], context: Context) {
    if (!deliveries.length) {
      return
    }
    await this.em_(context).execute(
      `UPDATE ledger_webhook_delivery d SET locked_until = NULL
       FROM jsonb_to_recordset(?::jsonb) AS x(id text, claim text)
       WHERE d.id = x.id AND d.locked_until = x.claim::timestamptz`,
      [JSON.stringify(deliveries.map(({ id, claim }) => ({ id, claim })))]
    )
  }

  /** Marks an endpoint `active` after a success, or `failing` (since now, unless already) after a delivery gave up. */
  async setEndpointStatus(endpointId: string, status: LedgerWebhookStatus, context: Context): Promise<void> {
    if (status === LedgerWebhookStatus.ACTIVE) {
      await this.em_(context).execute(
        `UPDATE ledger_webhook_endpoint SET status = ?, failing_since = NULL, updated_at = now()
         WHERE id = ? AND status <> ?`,
        [status, endpointId, status]
      )
      return
    }
    await this.em_(context).execute(
      `UPDATE ledger_webhook_endpoint SET status = ?, failing_since = COALESCE(failing_since, now()), updated_at = now()
       WHERE id = ? AND status <> ?`,
      [status, endpointId, status]
    )
  }

  /**
   * Makes a delivery of an endpoint pending and due at `now`, whatever its status, and clears
   * its claim (an attempt in flight then records nothing, and the change is sent again).
   * Answers the delivery's previous scheduling fields, or null when it is not the endpoint's.
   */
  async scheduleNow(
    endpointId: string,
    deliveryId: string,
    now: Date,
    context: Context
  ): Promise<LedgerWebhookDeliverySchedule | null> {
    const rows = await this.em_(context).execute<LedgerWebhookDeliverySchedule[]>(
      `UPDATE ledger_webhook_delivery d SET status = '${PENDING}', next_attempt_at = ?, locked_until = NULL, updated_at = now()
       FROM ledger_webhook_delivery old
       WHERE d.id = old.id AND d.id = ? AND d.endpoint_id = ? AND d.deleted_at IS NULL
       RETURNING old.id, old.status, old.next_attempt_at, old.locked_until`,
      [now, deliveryId, endpointId]
    )
    return rows[0] ?? null
  }

  /** Puts a delivery's scheduling fields back as {@link scheduleNow} found them. */
  async restoreSchedule(schedule: LedgerWebhookDeliverySchedule, context: Context): Promise<void> {
    await this.em_(context).execute(
      `UPDATE ledger_webhook_delivery SET status = ?, next_attempt_at = ?, locked_until = ?, updated_at = now() WHERE id = ?`,
      [schedule.status, schedule.next_attempt_at, schedule.locked_until, schedule.id]
    )
  }
}

/** A delivery's scheduling fields, as a manual retry found them. */
export interface LedgerWebhookDeliverySchedule {
  id: string
  status: LedgerWebhookDeliveryStatus
  next_attempt_at: Date | null
  locked_until: Date | null
}
