/**
 * The benchmark's raw SQL writes, shared by bench/run.js (raw INSERTs: the physical limit) and
 * bench/scripts/measure.ts (raw SQL with the same guarantee as the ledger, timed interleaved with
 * the record workflow), and bench/scripts/profile.ts.
 */

/** What the ledger's write does to the balance, by hand: recompute one order's figures from its rows. `$1` is the order id. */
const RAW_REFRESH_SQL = `
  UPDATE ledger_balance b SET
    paid_total = f.paid, raw_paid_total = jsonb_build_object('value', f.paid::text, 'precision', 20),
    refunded_total = f.refunded, raw_refunded_total = jsonb_build_object('value', f.refunded::text, 'precision', 20),
    chargeback_total = f.chargeback, raw_chargeback_total = jsonb_build_object('value', f.chargeback::text, 'precision', 20),
    authorized_total = f.authorized, raw_authorized_total = jsonb_build_object('value', f.authorized::text, 'precision', 20),
    pending_total = f.pending, raw_pending_total = jsonb_build_object('value', f.pending::text, 'precision', 20),
    net_paid = f.paid - f.refunded - f.chargeback,
    raw_net_paid = jsonb_build_object('value', (f.paid - f.refunded - f.chargeback)::text, 'precision', 20),
    outstanding_amount = b.order_total - (f.paid - f.refunded - f.chargeback),
    raw_outstanding_amount = jsonb_build_object('value', (b.order_total - (f.paid - f.refunded - f.chargeback))::text, 'precision', 20),
    status = CASE WHEN b.order_total - (f.paid - f.refunded - f.chargeback) > 0 THEN 'customer_owes'
                  WHEN b.order_total - (f.paid - f.refunded - f.chargeback) < 0 THEN 'merchant_owes' ELSE 'settled' END,
    updated_at = now()
  FROM (
    SELECT
      COALESCE(SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'payment'), 0) AS paid,
      COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'refund'), 0) AS refunded,
      COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'succeeded' AND t.kind = 'chargeback'), 0) AS chargeback,
      COALESCE(SUM(CASE WHEN t.kind = 'authorization' THEN t.amount
                        WHEN t.kind = 'void' AND p.kind = 'authorization' THEN t.amount
                        WHEN t.kind = 'payment' AND p.kind = 'authorization' THEN -t.amount END)
               FILTER (WHERE t.status = 'succeeded'), 0) AS authorized,
      COALESCE(SUM(t.amount) FILTER (WHERE t.status IN ('pending', 'requires_action')
                                     AND t.kind IN ('payment', 'refund', 'chargeback')), 0) AS pending
    FROM ledger_transaction t LEFT JOIN ledger_transaction p ON p.id = t.parent_id
    WHERE t.order_id = $1 AND t.deleted_at IS NULL
  ) f
  WHERE b.order_id = $1 AND b.deleted_at IS NULL`

let sequence = 0

/** A ledger row shaped as the service inserts it: a succeeded cash payment of 1 (what the workflow runs record). */
function paymentRow(orderId, currency, n = sequence++) {
  const now = new Date().toISOString()
  return [
    `oltx_benchraw${process.pid}${Date.now().toString(36)}${n}`,
    orderId,
    "payment",
    "succeeded",
    "1",
    JSON.stringify({ value: "1", precision: 20 }),
    currency,
    "manual",
    "cash",
    "manual",
    now,
  ]
}

const INSERT_COLUMNS = `id, order_id, kind, status, amount, raw_amount, currency_code, reference, payment_method,
  gateway, occurred_at, created_at, updated_at`

function insertSql(rows) {
  const values = rows
    .map((_, r) => `(${Array.from({ length: 11 }, (_, c) => `$${r * 11 + c + 1}`).join(", ")}, now(), now())`)
    .join(", ")
  return `INSERT INTO ledger_transaction (${INSERT_COLUMNS}) VALUES ${values}`
}

/** One multi-row INSERT (autocommit), on a `pg` client. */
async function rawInsert(client, rows) {
  await client.query(insertSql(rows), rows.flat())
}

/**
 * Raw SQL with the same guarantee as the ledger's write, on a `pg` client: BEGIN, lock the order's
 * balance row, INSERT the rows, recompute the balance, COMMIT (5 round trips).
 */
async function rawGuardedWrite(client, rows) {
  const orderId = rows[0][1]
  await client.query("BEGIN")
  try {
    await client.query(`SELECT id FROM ledger_balance WHERE order_id = $1 AND deleted_at IS NULL FOR UPDATE`, [orderId])
    await rawInsert(client, rows)
    await client.query(RAW_REFRESH_SQL, [orderId])
    await client.query("COMMIT")
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {})
    throw e
  }
}

module.exports = { RAW_REFRESH_SQL, paymentRow, insertSql, rawInsert, rawGuardedWrite }
