/**
 * Bulk seed of the benchmark database, in SQL (generate_series), into Medusa's own order tables
 * and the ledger's table. Each order `i` (1..n) gets:
 *
 * - an `order` (version 1, not a draft, 80% usd / 20% eur), one `order_line_item` + `order_item`
 *   of total T (20.00 to 499.99), and an `order_summary` whose totals JSON is what Medusa's order
 *   module keeps (current/original/accounting total, paid, refunded, transaction total,
 *   pending_difference), computed from the core `order_transaction` rows below;
 * - five ledger transactions: a card authorization of T; its capture (a payment with the
 *   authorization as parent); a partial refund of that payment; a bank transfer; and a failed card
 *   payment (or, for merchant-owes orders, a pending refund);
 * - the succeeded payments and refunds mirrored into Medusa's core `order_transaction`
 *   (reference `order_ledger`), as the plugin's core sync step does.
 *
 * Mix: i % 10 in 0..6 settled (70%), 7..8 the customer owes (20%), 9 the merchant owes (10%).
 * The balance rows are NOT written here: `bench/scripts/prepare.ts` computes them with the
 * ledger service's own `refreshBalances` SQL.
 */

const ORDER_PREFIX = "order_bench"

/** Money as Medusa's raw JSON twin: `{ value, precision }`, value without trailing zeros. */
const RAW = (expr) => `jsonb_build_object('value', trim_scale(${expr})::text, 'precision', 20)`

async function seedOrders(client, n) {
  await client.query("BEGIN")
  await client.query(`
    CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
    SELECT i,
      lpad(i::text, 9, '0') AS b,
      '${ORDER_PREFIX}' || lpad(i::text, 9, '0') AS order_id,
      CASE WHEN i % 5 = 0 THEN 'eur' ELSE 'usd' END AS cur,
      (2000 + (i::bigint * 7919) % 48000) AS tc,
      i % 10 AS g,
      now() - (($1::int - i) * interval '5 minutes') AS ts
    FROM generate_series(1, $1::int) AS i`, [n])
  await client.query(`
    ALTER TABLE bench_seed
      ADD COLUMN t numeric, ADD COLUMN c numeric, ADD COLUMN r numeric,
      ADD COLUMN p4 numeric, ADD COLUMN p4_status text`)
  await client.query(`
    UPDATE bench_seed SET
      t = round(tc / 100.0, 2),
      c = CASE WHEN g IN (7, 8) THEN round((tc / 2) / 100.0, 2) ELSE round(tc / 100.0, 2) END,
      r = CASE WHEN g IN (7, 8) THEN 1.00 ELSE 10.00 END,
      p4 = CASE WHEN g = 9 THEN 15.00 ELSE 10.00 END,
      p4_status = CASE WHEN g IN (7, 8) THEN 'pending' ELSE 'succeeded' END`)

  await client.query(`
    INSERT INTO "order" (id, version, status, is_draft_order, email, currency_code, created_at, updated_at)
    SELECT order_id, 1, 'pending', false, 'buyer' || i || '@bench.test', cur, ts, ts FROM bench_seed`)
  await client.query(`
    INSERT INTO order_line_item (id, title, unit_price, raw_unit_price, requires_shipping, is_discountable,
      is_tax_inclusive, is_custom_price, is_giftcard, created_at, updated_at)
    SELECT 'ordli_bench' || b, 'Bench item', t, ${RAW("t")}, true, true, false, false, false, ts, ts FROM bench_seed`)
  await client.query(`
    INSERT INTO order_item (id, order_id, version, item_id, quantity, raw_quantity, fulfilled_quantity,
      shipped_quantity, return_requested_quantity, return_received_quantity, return_dismissed_quantity,
      written_off_quantity, created_at, updated_at)
    SELECT 'orditem_bench' || b, order_id, 1, 'ordli_bench' || b, 1, ${RAW("1")}, 0, 0, 0, 0, 0, 0, ts, ts
    FROM bench_seed`)

  // Ledger rows: id oltx_bench<b><n>.
  const tx = (n, cols) => `SELECT 'oltx_bench' || b || '${n}' AS id, order_id, ${cols}, cur, ts + interval '${n} seconds' FROM bench_seed`
  const cols = `id, order_id, kind, status, amount, parent_id, payment_method, gateway, external_id,
    card_brand, card_last4, message, reason, currency_code, occurred_at`
  await client.query(`
    INSERT INTO ledger_transaction (${cols}, raw_amount, created_at, updated_at)
    SELECT u.*, ${RAW("u.amount")}, u.occurred_at, u.occurred_at FROM (
      ${tx(1, `'authorization', 'succeeded', t, NULL, 'card', 'stripe', 'pi_bench' || b, 'visa', '4242', 'Authorized', NULL`)}
      UNION ALL
      ${tx(2, `'payment', 'succeeded', c, 'oltx_bench' || b || '1', 'card', 'stripe', 'ch_bench' || b, 'visa', '4242', 'Transaction approved', NULL`)}
      UNION ALL
      ${tx(3, `'refund', 'succeeded', -r, 'oltx_bench' || b || '2', 'card', 'stripe', 're_bench' || b, NULL, NULL, NULL, 'Damaged item'`)}
      UNION ALL
      ${tx(4, `'payment', p4_status, p4, NULL, 'bank_transfer', 'manual', NULL, NULL, NULL, NULL, NULL`)}
      UNION ALL
      SELECT 'oltx_bench' || b || '5', order_id,
        CASE WHEN g = 9 THEN 'refund' ELSE 'payment' END,
        CASE WHEN g = 9 THEN 'pending' ELSE 'failed' END,
        CASE WHEN g = 9 THEN -2.00 ELSE 5.00 END,
        CASE WHEN g = 9 THEN 'oltx_bench' || b || '2' END,
        'card', 'stripe', 'ch_bench_f' || b, 'visa', '0002',
        CASE WHEN g = 9 THEN NULL ELSE 'Card declined' END,
        CASE WHEN g = 9 THEN 'Goodwill' END,
        cur, ts + interval '5 seconds'
      FROM bench_seed
    ) AS u(${cols})`)

  // Medusa's own books: the succeeded payments and refunds, as the core sync step adds them.
  await client.query(`
    INSERT INTO order_transaction (id, order_id, version, amount, raw_amount, currency_code, reference,
      reference_id, created_at, updated_at)
    SELECT 'ordtrx_bench' || substr(id, 11), order_id, 1, amount, ${RAW("amount")}, currency_code,
      'order_ledger', id, occurred_at, occurred_at
    FROM ledger_transaction
    WHERE id LIKE 'oltx_bench%' AND status = 'succeeded' AND kind IN ('payment', 'refund', 'chargeback')`)

  await client.query(`
    INSERT INTO order_summary (id, order_id, version, totals, created_at, updated_at)
    SELECT 'ordsum_bench' || s.b, s.order_id, 1,
      jsonb_build_object(
        'paid_total', x.paid, 'raw_paid_total', ${RAW("x.paid")},
        'refunded_total', x.refunded, 'raw_refunded_total', ${RAW("x.refunded")},
        'accounting_total', s.t, 'raw_accounting_total', ${RAW("s.t")},
        'credit_line_total', 0, 'raw_credit_line_total', ${RAW("0")},
        'transaction_total', x.paid - x.refunded, 'raw_transaction_total', ${RAW("x.paid - x.refunded")},
        'pending_difference', s.t - (x.paid - x.refunded), 'raw_pending_difference', ${RAW("s.t - (x.paid - x.refunded)")},
        'current_order_total', s.t, 'raw_current_order_total', ${RAW("s.t")},
        'original_order_total', s.t, 'raw_original_order_total', ${RAW("s.t")}
      ), s.ts, s.ts
    FROM bench_seed s
    JOIN (
      SELECT order_id,
        COALESCE(SUM(amount) FILTER (WHERE amount > 0), 0) AS paid,
        COALESCE(-SUM(amount) FILTER (WHERE amount < 0), 0) AS refunded
      FROM order_transaction WHERE reference_id LIKE 'oltx_bench%' GROUP BY order_id
    ) x ON x.order_id = s.order_id`)
  await client.query("COMMIT")
}

/**
 * Checks the seed: every order has a balance, and the ledger's outstanding amount equals
 * Medusa's own `pending_difference` for every order (both peers answer the same question).
 */
async function checkSeed(client, n) {
  const { rows } = await client.query(`
    SELECT
      (SELECT count(*) FROM "order" WHERE id LIKE '${ORDER_PREFIX}%')::int AS orders,
      (SELECT count(*) FROM ledger_transaction WHERE order_id LIKE '${ORDER_PREFIX}%')::int AS transactions,
      (SELECT count(*) FROM order_transaction WHERE order_id LIKE '${ORDER_PREFIX}%')::int AS core_transactions,
      (SELECT count(*) FROM ledger_balance WHERE order_id LIKE '${ORDER_PREFIX}%')::int AS balances,
      (SELECT count(*) FROM ledger_balance b JOIN order_summary s ON s.order_id = b.order_id
        WHERE b.order_id LIKE '${ORDER_PREFIX}%'
          AND b.outstanding_amount <> (s.totals->'raw_pending_difference'->>'value')::numeric)::int AS mismatches,
      (SELECT count(*) FROM ledger_balance WHERE status = 'customer_owes')::int AS customer_owes,
      (SELECT count(*) FROM ledger_balance WHERE status = 'merchant_owes')::int AS merchant_owes,
      (SELECT count(*) FROM ledger_balance WHERE status = 'settled')::int AS settled`)
  const r = rows[0]
  if (r.orders !== n || r.balances !== n || r.mismatches !== 0) {
    throw new Error(`Seed check failed: ${JSON.stringify(r)}`)
  }
  return r
}

module.exports = { seedOrders, checkSeed, ORDER_PREFIX }
