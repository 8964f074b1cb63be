import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import {
  StepResponse,
  WorkflowResponse,
  createStep,
  createWorkflow,
} from "@medusajs/framework/workflows-sdk"
import { writeFileSync } from "fs"
import { Client } from "pg"
import { performance } from "perf_hooks"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"
import type { LedgerTransactionInput } from "../../src/modules/order-ledger/types"
import { defaultAdminBalanceFields } from "../../src/api/admin/order-balances/query-config"
import { defaultAdminTransactionFields } from "../../src/api/admin/order-transactions/query-config"
import {
  presentBalance,
  presentTransactions,
  retrieveLedgerOrder,
  retrieveOrderBalance,
} from "../../src/api/utils/present"
import { recordLedgerTransactionsWorkflow } from "../../src/workflows/workflows/record-ledger-transactions"
import { LEDGER_ORDER_FIELDS } from "../../src/workflows/utils/order-totals"
import { TransactionKind, PaymentMethod } from "../../src/utils/constants"
import { installSqlTrace, startTrace, stopTrace, type TracedStatement } from "../lib/sql-trace"
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { paymentRow, rawGuardedWrite } = require("../lib/raw-writes")

/** Milliseconds each call of `fn` took, after `warmup` untimed calls. */
async function timed(runs: number, warmup: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await fn(-1 - i)
  }
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn(i)
    samples.push(performance.now() - start)
  }
  return samples
}

/**
 * Two calls timed in turn, `a` first on even rounds and `b` first on odd ones: milliseconds of each,
 * after `warmup` untimed rounds.
 */
async function timedPair(
  runs: number,
  warmup: number,
  fns: { a: (i: number) => Promise<unknown>; b: (i: number) => Promise<unknown> }
): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] }
  for (let i = -warmup; i < runs; i++) {
    for (const key of i % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const)) {
      const start = performance.now()
      await fns[key](i)
      if (i >= 0) {
        out[key].push(performance.now() - start)
      }
    }
  }
  return out
}

const payment = (): LedgerTransactionInput => ({
  kind: TransactionKind.PAYMENT,
  amount: 1,
  payment_method: PaymentMethod.CASH,
  gateway: "manual",
})

/**
 * One instrumented call: its wall ms, and per wrapped method the ms spent in it, its SQL statements
 * and their client-side ms (round trips included; the rest of a part's time is Node's).
 */
type PartsSample = {
  ms: number
  parts: Record<string, number>
  statements: Record<string, number>
  sql_ms: Record<string, number>
  total_statements: number
  total_sql_ms: number
}

/**
 * Wraps service methods (on the instances the container hands out, which the workflow's steps
 * resolve too) so that each call of an instrumented run adds its wall time and SQL statements to
 * its label; a wrapped method called inside another wrapped one counts in the outer one only.
 * Calls run one at a time, so the statements between a method's start and end are its own.
 * `restore()` puts the original methods back.
 */
function instrument(targets: { label: string; object: object; methods: string[] }[]) {
  let current: PartsSample | null = null
  let trace: TracedStatement[] | null = null
  let depth = 0
  const restore: (() => void)[] = []
  for (const { label, object, methods } of targets) {
    const target = object as Record<string, unknown>
    for (const method of methods) {
      const original = target[method] as (...args: unknown[]) => Promise<unknown>
      if (typeof original !== "function") {
        throw new Error(`Cannot instrument ${label}: no method ${method}.`)
      }
      const own = Object.prototype.hasOwnProperty.call(target, method)
      target[method] = async function (this: unknown, ...args: unknown[]) {
        const sample = current
        if (!sample || depth > 0) {
          return await original.apply(this, args)
        }
        depth++
        const statementsBefore = trace?.length ?? 0
        const start = performance.now()
        try {
          return await original.apply(this, args)
        } finally {
          depth--
          sample.parts[label] = (sample.parts[label] ?? 0) + performance.now() - start
          const statements = trace?.slice(statementsBefore) ?? []
          sample.statements[label] = (sample.statements[label] ?? 0) + statements.length
          sample.sql_ms[label] = (sample.sql_ms[label] ?? 0) + statements.reduce((t, st) => t + st.ms, 0)
        }
      }
      restore.push(() => {
        if (own) {
          target[method] = original
        } else {
          delete target[method]
        }
      })
    }
  }
  return {
    /** `n` instrumented calls of `fn`, after `warmup` plain ones. */
    async sample(n: number, warmup: number, fn: (i: number) => Promise<unknown>): Promise<PartsSample[]> {
      for (let i = 0; i < warmup; i++) {
        await fn(-1 - i)
      }
      const out: PartsSample[] = []
      for (let i = 0; i < n; i++) {
        const sample: PartsSample = { ms: 0, parts: {}, statements: {}, sql_ms: {}, total_statements: 0, total_sql_ms: 0 }
        trace = startTrace()
        current = sample
        const start = performance.now()
        try {
          await fn(i)
        } finally {
          sample.ms = performance.now() - start
          current = null
          sample.total_statements = trace.length
          sample.total_sql_ms = trace.reduce((t, st) => t + st.ms, 0)
          stopTrace()
          trace = null
        }
        out.push(sample)
      }
      return out
    },
    restore: () => restore.reverse().forEach((r) => r()),
  }
}

const noopStep = createStep("bench-noop-step", async (input: { n: number }) => new StepResponse(input.n))

/** Eight empty steps: what the workflow engine costs on its own for a workflow of that size. */
const noopWorkflow = createWorkflow("bench-noop-8-steps", (input: { n: number }) => {
  const a = noopStep(input).config({ name: "noop-1" })
  noopStep({ n: a }).config({ name: "noop-2" })
  noopStep(input).config({ name: "noop-3" })
  noopStep(input).config({ name: "noop-4" })
  noopStep(input).config({ name: "noop-5" })
  noopStep(input).config({ name: "noop-6" })
  noopStep(input).config({ name: "noop-7" })
  const h = noopStep(input).config({ name: "noop-8" })
  return new WorkflowResponse(h)
})

/**
 * `medusa exec bench/scripts/measure.ts` (run by `bench/run.js`): the in-process figures, in one
 * Medusa boot against the seeded database, written as raw samples (ms) to `BENCH_OUT`:
 * - who owes through the module service (`listAndCountLedgerBalances`) and through Query on
 *   `ledger_balance`, and Medusa core's way (`query.graph` of every order with `summary.*`,
 *   filtered and sorted in JS);
 * - recording through `recordLedgerTransactionsWorkflow` and through the service's
 *   `recordTransactions`, in batches of 1 and of 50, each call on its own order; the workflow's
 *   calls alternate with raw SQL with the same guarantee (`raw_guarded_*`, the goal's baseline);
 * - outside payments with their Medusa payments: the workflow as it runs against the same with
 *   `skip_core_sync`, batches of 1 and 50, alternating call for call, then checked in the database
 *   (every payment of the first arm a captured Medusa payment, none of the second's);
 * - what the change log costs the record workflow (`skip_core_sync`, its triggers on against off,
 *   alternating call for call), and reading the whole change feed through the service against raw
 *   keyset SQL;
 * - where a record call's time goes: Query's order read, Medusa's lock, the service write, Medusa's
 *   `addOrderTransactions` (the core sync) and the workflow engine with eight empty steps; and, for
 *   a call with Medusa payments, each module method its steps call (instrumented, with its SQL).
 */
export default async function measureBench({ container }: ExecArgs) {
  const runs = Number(process.env.BENCH_RUNS ?? 15)
  const warmup = Number(process.env.BENCH_WARMUP ?? 3)
  const coreRuns = Number(process.env.BENCH_CORE_RUNS ?? 5)
  const single = Number(process.env.BENCH_RECORD_SINGLE ?? 100)
  const batches = Number(process.env.BENCH_RECORD_BATCHES ?? 10)
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const out: Record<string, unknown> = {}
  const counts: Record<string, number> = {}

  // 1. Who owes.
  out.service_who_owes = await timed(runs, warmup, async () => {
    const [rows, count] = await ledger.listAndCountLedgerBalances(
      { status: "customer_owes" },
      { take: 100, skip: 0, order: { outstanding_amount: "DESC" } }
    )
    counts.service = count
    counts.service_rows = rows.length
  })
  out.graph_who_owes = await timed(runs, warmup, async () => {
    const { data, metadata } = await query.graph({
      entity: "ledger_balance",
      fields: defaultAdminBalanceFields,
      filters: { status: "customer_owes" },
      pagination: { take: 100, skip: 0, order: { outstanding_amount: "DESC" } },
    })
    counts.graph = metadata?.count ?? -1
    counts.graph_rows = data.length
  })
  out.core_graph_who_owes = await timed(coreRuns, 1, async () => {
    const { data } = await query.graph({ entity: "order", fields: ["id", "summary.*"], filters: { is_draft_order: false } })
    const owing: { id: string; pending: ReturnType<typeof MathBN.convert> }[] = []
    let total = MathBN.convert(0)
    for (const order of data as unknown as { id: string; summary?: { raw_pending_difference?: { value: string } } }[]) {
      const pending = MathBN.convert(order.summary?.raw_pending_difference?.value ?? 0)
      if (MathBN.gt(pending, 0)) {
        owing.push({ id: order.id, pending })
        total = MathBN.add(total, pending)
      }
    }
    owing.sort((a, b) => (MathBN.gt(a.pending, b.pending) ? -1 : MathBN.lt(a.pending, b.pending) ? 1 : 0))
    counts.core_graph = owing.length
    counts.core_graph_rows = owing.slice(0, 100).length
    counts.core_graph_orders_read = data.length
  })

  // What the route runs for plain fields: the service's plain page read + count, formatted.
  out.page_who_owes = await timed(runs, warmup, async () => {
    const { rows, count } = await ledger.listBalancePage(
      { status: "customer_owes" },
      { fields: defaultAdminBalanceFields, skip: 0, take: 100, order: { outstanding_amount: "DESC" } }
    )
    counts.page = count
    rows.map(presentBalance)
  })

  // Where the per-order routes' time goes (GET /admin/orders/:id/transactions and /balance).
  const { rows: sampleOrders } = (await pg.raw(
    `SELECT order_id AS id FROM ledger_balance WHERE order_id LIKE 'order_bench%' ORDER BY md5(order_id) LIMIT 30`
  )) as { rows: { id: string }[] }
  const sampleId = (i: number) => sampleOrders[Math.max(i, 0) % sampleOrders.length].id
  out.route_order_check = await timed(30, warmup, (i) => retrieveLedgerOrder(container, sampleId(i)))
  out.route_transactions_list = await timed(30, warmup, (i) =>
    query.graph({
      entity: "ledger_transaction",
      fields: defaultAdminTransactionFields,
      filters: { order_id: sampleId(i) },
      pagination: { take: 50, skip: 0 },
    })
  )
  const lists: Record<string, unknown>[][] = []
  for (const order of sampleOrders) {
    const { data } = await query.graph({
      entity: "ledger_transaction",
      fields: defaultAdminTransactionFields,
      filters: { order_id: order.id },
    })
    lists.push(data as Record<string, unknown>[])
  }
  out.route_transactions_present = await timed(30, warmup, (i) =>
    presentTransactions(container, lists[Math.max(i, 0) % lists.length].map((row) => ({ ...row })))
  )
  out.route_balance = await timed(30, warmup, (i) => retrieveOrderBalance(container, sampleId(i), defaultAdminBalanceFields))

  // 2. Recording: each call on its own customer-owes order.
  const { rows: owes } = (await pg.raw(
    `SELECT b.order_id AS id, b.currency_code, b.order_total::text AS total FROM ledger_balance b
     WHERE b.status = 'customer_owes' AND b.order_id LIKE 'order_bench%' ORDER BY b.order_id LIMIT ?`,
    [7 * single + 5 * batches + 2 * Math.max(batches, 40) + 7 * warmup + 120]
  )) as { rows: { id: string; currency_code: string; total: string }[] }
  let next = 0
  const take = (n: number) => {
    const slice = owes.slice(next, next + n)
    next += n
    if (slice.length < n) {
      throw new Error(`Not enough seeded customer-owes orders for the recording runs (${owes.length}).`)
    }
    return slice
  }
  // The goal figures: the workflow and raw SQL with the same guarantee (bench/lib/raw-writes.js, on
  // its own pg client, on settled orders), timed call for call in alternating order, so that load
  // from other processes on the machine hits both alike.
  const rawClient = new Client({ connectionString: process.env.DATABASE_URL })
  await rawClient.connect()
  const { rows: settled } = (await pg.raw(
    `SELECT order_id AS id, currency_code FROM ledger_balance WHERE status = 'settled' AND order_id LIKE 'order_bench%'
     ORDER BY order_id DESC LIMIT ?`,
    [single + batches + warmup + 2]
  )) as { rows: { id: string; currency_code: string }[] }
  let nextSettled = 0
  const rawGuarded = (size: number) => {
    const o = settled[nextSettled++ % settled.length]
    return rawGuardedWrite(rawClient, Array.from({ length: size }, () => paymentRow(o.id, o.currency_code)))
  }
  const wfSingle = take(single + warmup)
  const pair1 = await timedPair(single, warmup, {
    a: async (i) => {
      const order = wfSingle[i < 0 ? -1 - i : warmup + i]
      await recordLedgerTransactionsWorkflow(container).run({ input: { order_id: order.id, transactions: [payment()] } })
    },
    b: () => rawGuarded(1),
  })
  out.workflow_record_1 = pair1.a
  out.raw_guarded_1 = pair1.b
  const wfBatch = take(batches + 1)
  const pair50 = await timedPair(batches, 1, {
    a: async (i) => {
      const order = wfBatch[i < 0 ? batches : i]
      await recordLedgerTransactionsWorkflow(container).run({
        input: { order_id: order.id, transactions: Array.from({ length: 50 }, payment) },
      })
    },
    b: () => rawGuarded(50),
  })
  out.workflow_record_50 = pair50.a
  out.raw_guarded_50 = pair50.b
  await rawClient.end()
  // Outside payments with their Medusa payments: the workflow as it runs (each succeeded cash
  // payment becomes a payment collection on the order, paid through `pp_system_default`, with
  // Medusa's `capture` core order transaction) against the same workflow leaving Medusa's books
  // alone (`skip_core_sync`), timed call for call in alternating order, each call on its own
  // customer-owes order. The `skip_core_sync` arm is also the table's skip_core_sync figure.
  const record = (orderId: string, size: number, skipCoreSync: boolean) =>
    recordLedgerTransactionsWorkflow(container).run({
      input: {
        order_id: orderId,
        transactions: Array.from({ length: size }, payment),
        ...(skipCoreSync ? { skip_core_sync: true } : {}),
      },
    })
  const { rows: since } = (await pg.raw(`SELECT now() AS at`)) as { rows: { at: Date }[] }
  const mpSingle = { books: take(single + warmup), skip: take(single + warmup) }
  const mp1 = await timedPair(single, warmup, {
    a: (i) => record(mpSingle.books[warmup + i].id, 1, false),
    b: (i) => record(mpSingle.skip[warmup + i].id, 1, true),
  })
  out.medusa_payments_1 = mp1.a
  out.workflow_record_1_no_core_sync = mp1.b
  const mpBatch = { books: take(batches + 1), skip: take(batches + 1) }
  const mp50 = await timedPair(batches, 1, {
    a: (i) => record(mpBatch.books[1 + i].id, 50, false),
    b: (i) => record(mpBatch.skip[1 + i].id, 50, true),
  })
  out.medusa_payments_50 = mp50.a
  out.workflow_record_50_no_core_sync = mp50.b
  // Proof that each arm did what it is named for: on the first arm's orders every cash payment
  // recorded since the runs began is linked to a captured Medusa payment, each call's with one
  // completed collection on the order and one `capture` core order transaction; on the skip_core_sync arm's,
  // none (counted from the start of the runs, so that a database kept from an earlier run works too).
  const books = async (orders: { id: string }[]) => {
    const ids = orders.map((o) => o.id)
    const at = since[0].at
    const { rows } = (await pg.raw(
      `SELECT
         (SELECT count(*) FROM ledger_transaction t WHERE t.order_id = ANY(?) AND t.created_at >= ?
            AND t.payment_method = 'cash' AND t.kind = 'payment' AND t.status = 'succeeded')::int AS ledger_payments,
         (SELECT count(*) FROM ledger_transaction t JOIN payment p ON p.id = t.medusa_payment_id
            WHERE t.order_id = ANY(?) AND t.created_at >= ? AND t.payment_method = 'cash'
              AND p.captured_at IS NOT NULL)::int AS captured_medusa_payments,
         (SELECT count(*) FROM order_payment_collection l JOIN payment_collection c ON c.id = l.payment_collection_id
            WHERE l.order_id = ANY(?) AND l.created_at >= ? AND l.deleted_at IS NULL
              AND c.status = 'completed')::int AS completed_collections,
         (SELECT count(*) FROM order_transaction WHERE order_id = ANY(?) AND created_at >= ?
            AND reference = 'capture')::int AS capture_core_transactions,
         (SELECT count(*) FROM order_transaction WHERE order_id = ANY(?) AND created_at >= ?
            AND reference = 'order_ledger')::int AS ledger_core_transactions`,
      [ids, at, ids, at, ids, at, ids, at, ids, at]
    )) as { rows: Record<string, number>[] }
    return rows[0]
  }
  const booksMade = await books([...mpSingle.books, ...mpBatch.books])
  const booksSkipped = await books([...mpSingle.skip, ...mpBatch.skip])
  const expected = (single + warmup) + 50 * (batches + 1)
  // One Medusa payment (one collection, one capture) per record call and order.
  const calls = (single + warmup) + (batches + 1)
  const madeOk =
    booksMade.ledger_payments === expected &&
    booksMade.captured_medusa_payments === expected &&
    booksMade.completed_collections === calls &&
    booksMade.capture_core_transactions === calls &&
    booksMade.ledger_core_transactions === 0
  const skippedOk =
    booksSkipped.ledger_payments === expected &&
    booksSkipped.captured_medusa_payments + booksSkipped.completed_collections +
      booksSkipped.capture_core_transactions + booksSkipped.ledger_core_transactions === 0
  if (!madeOk || !skippedOk) {
    throw new Error(
      `The Medusa-payment measurement did not do what it is named for (${expected} payments each): ` +
        `with Medusa's books ${JSON.stringify(booksMade)}, skip_core_sync ${JSON.stringify(booksSkipped)}`
    )
  }
  out.medusa_payments_books = { expected, with_books: booksMade, skip_core_sync: booksSkipped }

  // What the change log costs a write: the record workflow (`skip_core_sync`) as it runs against the
  // same workflow with the change log's triggers off for its database transaction
  // (`SET LOCAL session_replication_role = replica`, which skips user triggers and nothing else the
  // ledger uses), timed call for call in alternating order, each call on its own order.
  const changeRepo = (ledger as unknown as { changes_: { beginWrite: Function } }).changes_ as {
    beginWrite: (settings: unknown, ctx: { transactionManager?: { execute: (sql: string) => Promise<unknown> } }) => Promise<void>
  }
  const beginWrite = changeRepo.beginWrite.bind(changeRepo)
  let withoutLog = false
  changeRepo.beginWrite = async (settings, ctx) => {
    await beginWrite(settings, ctx)
    if (withoutLog) {
      await ctx.transactionManager!.execute(`SET LOCAL session_replication_role = replica`)
    }
  }
  const { rows: [{ n: changesBefore }] } = (await pg.raw(`SELECT count(*)::int AS n FROM ledger_change`)) as { rows: { n: number }[] }
  const { rows: logSince } = (await pg.raw(`SELECT now() AS at`)) as { rows: { at: Date }[] }
  const logSingle = { on: take(single + warmup), off: take(single + warmup) }
  const log1 = await timedPair(single, warmup, {
    a: (i) => record(logSingle.on[warmup + i].id, 1, true),
    b: async (i) => {
      withoutLog = true
      try {
        await record(logSingle.off[warmup + i].id, 1, true)
      } finally {
        withoutLog = false
      }
    },
  })
  // More calls of 50 than elsewhere (each is ~20 ms): the difference is a few ms, and 10 pairs are noise.
  const logBatches = Math.max(batches, 40)
  const logBatch = { on: take(logBatches + 1), off: take(logBatches + 1) }
  const log50 = await timedPair(logBatches, 1, {
    a: (i) => record(logBatch.on[1 + i].id, 50, true),
    b: async (i) => {
      withoutLog = true
      try {
        await record(logBatch.off[1 + i].id, 50, true)
      } finally {
        withoutLog = false
      }
    },
  })
  changeRepo.beginWrite = beginWrite
  const { rows: [{ n: changesAfter }] } = (await pg.raw(`SELECT count(*)::int AS n FROM ledger_change`)) as { rows: { n: number }[] }
  // Proof: the first arm logged one change per row (and balance moves), the second none.
  const rowsOn = single + warmup + 50 * (logBatches + 1)
  if (changesAfter - changesBefore < rowsOn) {
    throw new Error(`The change-log measurement did not log what it recorded: ${changesAfter - changesBefore} changes for ${rowsOn} rows`)
  }
  const { rows: [{ n: loggedOff }] } = (await pg.raw(
    `SELECT count(*)::int AS n FROM ledger_change c JOIN ledger_transaction t ON t.id = c.resource_id
     WHERE t.order_id = ANY(?) AND t.created_at >= ?`,
    [[...logSingle.off, ...logBatch.off].map((o) => o.id), logSince[0].at]
  )) as { rows: { n: number }[] }
  if (loggedOff !== 0) {
    throw new Error(`The without-change-log arm logged ${loggedOff} changes`)
  }
  out.change_log_1 = { with: log1.a, without: log1.b }
  out.change_log_50 = { with: log50.a, without: log50.b }

  // Reading the change feed: all of it, from the start, through the service (`listChanges`, pages
  // of 1000, what `GET /admin/ledger-changes` runs) and through raw keyset SQL over the same index
  // on its own pg client, whole scans in turn, twice each.
  const { rows: [{ n: feedSize }] } = (await pg.raw(`SELECT count(*)::int AS n FROM ledger_change`)) as { rows: { n: number }[] }
  const feedClient = new Client({ connectionString: process.env.DATABASE_URL })
  await feedClient.connect()
  const scanService = async () => {
    let after: string | null = null
    let read = 0
    for (;;) {
      const page = await ledger.listChanges({ after, limit: 1000 })
      read += page.changes.length
      after = page.next_cursor
      if (!page.has_more) {
        return read
      }
    }
  }
  const scanRaw = async () => {
    let txid = "0"
    let seq = "0"
    let read = 0
    for (;;) {
      const { rows } = await feedClient.query(
        `SELECT id, type, created_at, resource_id, order_id, version, actor, idempotency_key, object, previous,
           txid::text AS txid_text, seq::text AS seq_text
         FROM ledger_change WHERE (txid, seq) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY txid, seq LIMIT 1000`,
        [txid, seq]
      )
      read += rows.length
      if (rows.length < 1000) {
        return read
      }
      txid = rows[rows.length - 1].txid_text
      seq = rows[rows.length - 1].seq_text
    }
  }
  const feed: { service_ms: number[]; raw_ms: number[]; changes: number } = { service_ms: [], raw_ms: [], changes: feedSize }
  for (let round = 0; round < 2; round++) {
    for (const [key, scan] of (round % 2 ? [["raw_ms", scanRaw], ["service_ms", scanService]] : [["service_ms", scanService], ["raw_ms", scanRaw]]) as [
      "raw_ms" | "service_ms",
      () => Promise<number>,
    ][]) {
      const started = performance.now()
      const read = await scan()
      feed[key].push(performance.now() - started)
      if (read < feedSize) {
        throw new Error(`A feed scan read ${read} of ${feedSize} changes`)
      }
    }
  }
  await feedClient.end()
  out.change_feed_read = feed
  const svcSingle = take(single + warmup)
  out.service_record_1 = await timed(single, warmup, async (i) => {
    const order = svcSingle[i < 0 ? -1 - i : warmup + i]
    await ledger.recordTransactions({ order, transactions: [payment()] })
  })
  const svcBatch = take(batches + 1)
  out.service_record_50 = await timed(batches, 1, async (i) => {
    const order = svcBatch[i < 0 ? batches : i]
    await ledger.recordTransactions({ order, transactions: Array.from({ length: 50 }, payment) })
  })

  // Where a record call's time goes.
  const parts = take(30)
  out.part_query_order = await timed(30, warmup, async (i) => {
    await query.graph({ entity: "order", fields: LEDGER_ORDER_FIELDS, filters: { id: parts[Math.max(i, 0)].id } })
  })
  const locking = container.resolve(Modules.LOCKING)
  out.part_lock = await timed(30, warmup, async (i) => {
    const key = `order-ledger:${parts[Math.max(i, 0)].id}`
    await locking.acquire([key], { expire: 30 })
    await locking.release([key])
  })
  const orderModule = container.resolve(Modules.ORDER)
  out.part_core_sync = await timed(30, warmup, async (i) => {
    const order = parts[Math.max(i, 0)]
    await orderModule.addOrderTransactions([
      {
        order_id: order.id,
        amount: "1",
        currency_code: order.currency_code,
        reference: "order_ledger",
        reference_id: `oltx_bench_part_${i}_${Date.now()}`,
      },
    ])
  })
  // The core sync step's own reads before Medusa's addOrderTransactions: the ledger rows and the
  // core rows already added for them.
  const { rows: recorded } = (await pg.raw(
    `SELECT id FROM ledger_transaction WHERE order_id = ? AND kind = 'payment' AND status = 'succeeded' LIMIT 1`,
    [wfSingle[warmup].id]
  )) as { rows: { id: string }[] }
  out.part_sync_reads = await timed(30, warmup, async () => {
    const rows = await ledger.listLedgerTransactions(
      { id: recorded.map((r) => r.id) },
      { select: ["id", "order_id", "amount", "currency_code", "reference"] }
    )
    await orderModule.listOrderTransactions(
      { reference: "order_ledger", reference_id: rows.map((r) => r.id) },
      { select: ["reference_id"] }
    )
  })
  out.part_noop_workflow = await timed(30, warmup, async (i) => {
    await noopWorkflow(container).run({ input: { n: i } })
  })

  // Where a call with Medusa payments spends its time (after every timed figure above: the
  // wrappers and the SQL trace stay out of them): each module method the workflow's steps call,
  // wrapped on the container's instances, with its SQL statements; the rest is the workflow engine,
  // its transforms and the step bodies' own code.
  installSqlTrace()
  const eventBus = container.resolve(Modules.EVENT_BUS)
  const probe = instrument([
    { label: "lock", object: locking, methods: ["acquire", "release"] },
    { label: "order_read", object: orderModule, methods: ["listOrders"] },
    { label: "ledger_write", object: ledger, methods: ["recordTransactions"] },
    { label: "collection", object: container.resolve(Modules.PAYMENT), methods: ["createPaymentCollections"] },
    { label: "link", object: container.resolve(ContainerRegistrationKeys.LINK), methods: ["create"] },
    { label: "session", object: container.resolve(Modules.PAYMENT), methods: ["createPaymentSession"] },
    { label: "authorize", object: container.resolve(Modules.PAYMENT), methods: ["authorizePaymentSession"] },
    { label: "capture", object: container.resolve(Modules.PAYMENT), methods: ["capturePayment"] },
    { label: "core_transaction", object: orderModule, methods: ["addOrderTransactions", "listOrderTransactions"] },
    { label: "ledger_link", object: ledger, methods: ["linkMedusaPayments"] },
    { label: "events", object: eventBus, methods: ["emit"] },
  ])
  try {
    const probe1 = take(30 + warmup)
    out.medusa_payments_parts_1 = await probe.sample(30, warmup, (i) => record(probe1[warmup + i].id, 1, false))
    // Calls of 50 take seconds each and the calls of 1 have warmed everything up: 3, no warm-up.
    const probe50 = take(Math.min(batches, 3))
    out.medusa_payments_parts_50 = await probe.sample(Math.min(batches, 3), 0, (i) => record(probe50[i].id, 50, false))
  } finally {
    probe.restore()
  }

  out.counts = counts
  if (process.env.BENCH_OUT) {
    writeFileSync(process.env.BENCH_OUT, JSON.stringify(out))
  }
}
