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
 * - where a record call's time goes: Query's order read, Medusa's lock, the service write, Medusa's
 *   `addOrderTransactions` (the core sync) and the workflow engine with eight empty steps.
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
    [3 * single + 3 * batches + 3 * warmup + 100]
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
  // The same without adding the rows to Medusa's core order transactions (`skip_core_sync`).
  const noSync = take(batches + 1)
  out.workflow_record_50_no_core_sync = await timed(batches, 1, async (i) => {
    const order = noSync[i < 0 ? batches : i]
    await recordLedgerTransactionsWorkflow(container).run({
      input: { order_id: order.id, transactions: Array.from({ length: 50 }, payment), skip_core_sync: true },
    })
  })
  const noSyncSingle = take(single + warmup)
  out.workflow_record_1_no_core_sync = await timed(single, warmup, async (i) => {
    const order = noSyncSingle[i < 0 ? -1 - i : warmup + i]
    await recordLedgerTransactionsWorkflow(container).run({
      input: { order_id: order.id, transactions: [payment()], skip_core_sync: true },
    })
  })
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

  out.counts = counts
  if (process.env.BENCH_OUT) {
    writeFileSync(process.env.BENCH_OUT, JSON.stringify(out))
  }
}
