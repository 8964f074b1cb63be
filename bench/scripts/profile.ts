import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  StepResponse,
  WorkflowResponse,
  createStep,
  createWorkflow,
  transform,
  when,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, emitEventStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { writeFileSync } from "fs"
import { Session } from "inspector"
import { performance } from "perf_hooks"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"
import type { LedgerTransactionInput } from "../../src/modules/order-ledger/types"
import { recordLedgerTransactionsWorkflow } from "../../src/workflows/workflows/record-ledger-transactions"
import { setTimeout as sleep } from "timers/promises"
import { LEDGER_ORDER_FIELDS } from "../../src/workflows/utils/order-totals"
import { TransactionKind, PaymentMethod } from "../../src/utils/constants"
import { validateLedgerQuery } from "../../src/api/utils/http"
import { listTransactionQueryConfig } from "../../src/api/admin/order-transactions/query-config"
import { retrieveBalanceQueryConfig } from "../../src/api/admin/order-balances/query-config"
import { AdminGetLedgerTransactionsParams } from "../../src/api/admin/order-transactions/validators"
import { AdminGetBalanceParams } from "../../src/api/admin/order-balances/validators"
import { GET as getTransactions } from "../../src/api/admin/orders/[id]/transactions/route"
import { GET as getBalance } from "../../src/api/admin/orders/[id]/balance/route"
import { installSqlTrace, startTrace, stopTrace, type TracedStatement } from "../lib/sql-trace"

/**
 * `medusa exec bench/scripts/profile.ts` against a seeded bench database (`npm run bench -- --keep`,
 * then `DATABASE_URL=…/ledger_bench_…_10000 npx medusa exec bench/scripts/profile.ts`): where a
 * record workflow call of 1 and of 50 and the two per-order GET routes spend their time, with every
 * SQL statement counted and timed (bench/lib/sql-trace.ts). Writes JSON to `BENCH_OUT` (or
 * bench/results/profile.json) and a readable summary to stdout. Not part of `npm run bench`.
 */

const median = (s: number[]) => {
  const a = [...s].sort((x, y) => x - y)
  const m = Math.floor(a.length / 2)
  return a.length ? (a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2) : NaN
}
const r2 = (x: number) => Math.round(x * 100) / 100

const payment = (): LedgerTransactionInput => ({
  kind: TransactionKind.PAYMENT,
  amount: 1,
  payment_method: PaymentMethod.CASH,
  gateway: "manual",
})

type Sample = { ms: number; cpu: number; statements: TracedStatement[] }

/** `n` timed calls after `warmup`; each with its SQL trace. */
async function sampled(n: number, warmup: number, fn: (i: number) => Promise<unknown>): Promise<Sample[]> {
  for (let i = 0; i < warmup; i++) {
    await fn(-1 - i)
  }
  const out: Sample[] = []
  for (let i = 0; i < n; i++) {
    out.push(await one(() => fn(i)))
  }
  return out
}

/** One timed call: wall ms, this process's CPU ms (all threads), its SQL statements. */
async function one(fn: () => Promise<unknown>): Promise<Sample> {
  const statements = startTrace()
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  try {
    await fn()
  } finally {
    stopTrace()
  }
  const ms = performance.now() - start
  const c = process.cpuUsage(cpu0)
  return { ms, cpu: (c.user + c.system) / 1000, statements }
}

/**
 * Calls of several alternatives interleaved (a rotating order each round), so that load from other
 * processes on the machine hits them alike: `n` rounds after `warmup`.
 */
async function interleaved(
  n: number,
  warmup: number,
  fns: Record<string, (i: number) => Promise<unknown>>
): Promise<Record<string, Sample[]>> {
  const labels = Object.keys(fns)
  const out: Record<string, Sample[]> = Object.fromEntries(labels.map((l) => [l, []]))
  for (let i = -warmup; i < n; i++) {
    for (let k = 0; k < labels.length; k++) {
      const label = labels[(k + Math.max(i, 0)) % labels.length]
      const s = await one(() => fns[label](i))
      if (i >= 0) {
        out[label].push(s)
      }
    }
  }
  return out
}

const short = (sql: string) => (sql.length > 150 ? sql.slice(0, 150) + "…" : sql)

/** Median wall ms, median statements per call, median summed SQL ms, and one call's statements. */
function summarize(samples: Sample[]) {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms)
  const mid = sorted[Math.floor(sorted.length / 2)]
  return {
    ms: r2(median(samples.map((s) => s.ms))),
    cpu_ms: r2(median(samples.map((s) => s.cpu))),
    statements: median(samples.map((s) => s.statements.length)),
    sql_ms: r2(median(samples.map((s) => s.statements.reduce((t, q) => t + q.ms, 0)))),
    example: mid.statements.map((q) => ({ ms: r2(q.ms), rows: q.rows, sql: short(q.sql) })),
  }
}


/**
 * Where the CPU goes while `fn` runs `n` times: V8's sampling profiler, self time summed per
 * package (the path below node_modules, or `src/`, `bench/`) and per function.
 */
async function cpuTop(n: number, fn: (i: number) => Promise<unknown>, top = 12) {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))))
  await post("Profiler.enable")
  await post("Profiler.setSamplingInterval", { interval: 100 })
  await post("Profiler.start")
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    await fn(i)
  }
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const { profile } = await post("Profiler.stop")
  session.disconnect()
  const byId = new Map<number, any>(profile.nodes.map((node: any) => [node.id, node]))
  const self = new Map<number, number>()
  const deltas: number[] = profile.timeDeltas
  profile.samples.forEach((id: number, k: number) => self.set(id, (self.get(id) ?? 0) + (deltas[k] ?? 0)))
  const where = (url: string) => {
    if (!url) return "(native/idle)"
    const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)
    if (m) return m[m.length - 1].replace("node_modules/", "")
    if (url.includes("/src/")) return "plugin src/"
    if (url.includes("/bench/")) return "bench/"
    if (url.startsWith("node:")) return "node core"
    return url.split("/").slice(-2).join("/")
  }
  const pkgs = new Map<string, number>()
  const fns = new Map<string, number>()
  let total = 0
  for (const [id, us] of self) {
    const node = byId.get(id)
    const cf = node.callFrame
    if (cf.functionName === "(idle)" || cf.functionName === "(program)") {
      continue
    }
    const pkg = cf.functionName === "(garbage collector)" ? "(garbage collector)" : where(cf.url)
    if (pkg === "(native/idle)") {
      // Native frames without a script, and time waiting on I/O (an in-process session is never told the thread is idle).
      continue
    }
    total += us
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us)
    const f = `${pkg} ${cf.functionName || "(anonymous)"}${cf.url ? ` ${cf.url.split("/").pop()}:${cf.lineNumber + 1}` : ""}`
    fns.set(f, (fns.get(f) ?? 0) + us)
  }
  const perCall = (us: number) => r2(us / 1000 / n)
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ where: k, ms_per_call: perCall(us) }))
  return {
    calls: n,
    wall_ms_per_call: r2(wall / n),
    process_cpu_ms_per_call: r2((cpu.user + cpu.system) / 1000 / n),
    sampled_js_ms_per_call: perCall(total),
    note: "self time in JavaScript by package; waiting on the database and native frames left out",
    by_package: sorted(pkgs),
    by_function: sorted(fns),
  }
}


// -- The ledger's own lock steps as src/workflows/steps/acquire-ledger-lock.ts and
// release-ledger-lock.ts had them at f1b6f05 (copied so this file does not depend on where they live).
const ledgerLockKey = (orderId: string) => `order-ledger:${orderId}`
const acquireLedgerLockStep = createStep(
  "profile-acquire-ledger-lock",
  async (input: { order_ids: string[] }, { container }) => {
    const keys = [...new Set(input.order_ids)].sort().map(ledgerLockKey)
    const locking = container.resolve(Modules.LOCKING)
    const until = Date.now() + 5000
    for (;;) {
      try {
        await locking.acquire(keys, { expire: 30 })
        break
      } catch (e) {
        if (Date.now() >= until) {
          throw e
        }
      }
      await sleep(20)
    }
    return new StepResponse(void 0, { keys })
  },
  async (data, { container }) => {
    if (data?.keys?.length) {
      await container.resolve(Modules.LOCKING).release(data.keys)
    }
  }
)
const releaseLedgerLockStep = createStep("profile-release-ledger-lock", async (input: { order_ids: string[] }, { container }) => {
  await container.resolve(Modules.LOCKING).release([...new Set(input.order_ids)].sort().map(ledgerLockKey))
  return new StepResponse(void 0)
})

// -- Engine probes ---------------------------------------------------------------------------

const noop = createStep("profile-noop", async (input: { n: number }) => new StepResponse(input.n))

function noopWorkflow(steps: number) {
  return createWorkflow(`profile-noop-${steps}`, (input: { n: number }) => {
    let last: unknown = input
    for (let i = 0; i < steps; i++) {
      last = noop(input).config({ name: `noop-${i}` })
    }
    return new WorkflowResponse(last as never)
  })
}
const noopWorkflows = Object.fromEntries([1, 2, 4, 8, 16].map((n) => [n, noopWorkflow(n)]))

/** The record workflow's shape without work: 8 steps, 3 transforms and 3 when()s. */
const shapeWorkflow = createWorkflow("profile-shape", (input: { n: number }) => {
  const ids = transform({ input }, ({ input }) => [input.n])
  noop(input).config({ name: "s-lock" })
  const o = noop(input).config({ name: "s-order" })
  const one = transform({ o }, ({ o }) => o)
  noop({ n: one }).config({ name: "s-validate" })
  const rec = transform({ input, one }, ({ input }) => ({ n: input.n }))
  const res = noop(rec).config({ name: "s-record" })
  when({ res }, ({ res }) => res >= 0).then(() => {
    noop(input).config({ name: "s-sync" })
  })
  when({ res }, ({ res }) => res >= 0).then(() => {
    noop(input).config({ name: "s-emit" })
  })
  when({ res }, ({ res }) => res < 0).then(() => {
    noop(input).config({ name: "s-emit2" })
  })
  noop(input).config({ name: "s-release" })
  return new WorkflowResponse(ids)
})

/** Eight steps passing a payload along (each step answers what it got): what checkpoints cost per row carried. */
const carry = createStep("profile-carry", async (input: { rows: Record<string, unknown>[] }) => new StepResponse(input))
const payloadWorkflow = createWorkflow("profile-payload-8-steps", (input: { rows: Record<string, unknown>[] }) => {
  let last = carry(input).config({ name: "carry-0" })
  for (let i = 1; i < 8; i++) {
    last = carry(last).config({ name: `carry-${i}` })
  }
  return new WorkflowResponse(last)
})
const ledgerRow = (k: number) => ({
  id: `oltx_01JABCDEFGHJKMNPQRSTVWXYZ${k}`, order_id: "order_01JABCDEFGHJKMNPQRSTVWXYZ", kind: "payment", status: "succeeded",
  amount: "1", currency_code: "eur", reference: "manual", reference_id: null, parent_id: null, payment_method: "cash",
  gateway: "manual", external_id: null, fee: null, occurred_at: new Date().toISOString(), metadata: null,
})

const customLockWorkflow = createWorkflow("profile-custom-lock", (input: { order_ids: string[] }) => {
  acquireLedgerLockStep({ order_ids: input.order_ids })
  releaseLedgerLockStep({ order_ids: input.order_ids })
  return new WorkflowResponse(input.order_ids)
})

const coreLockWorkflow = createWorkflow("profile-core-lock", (input: { key: string }) => {
  acquireLockStep({ key: input.key, timeout: 5, ttl: 30, retryInterval: 0.02 })
  releaseLockStep({ key: input.key })
  return new WorkflowResponse(input.key)
})

const twoNoopWorkflow = noopWorkflow(2)

const emitWorkflow = createWorkflow("profile-emit", (input: { data: { id: string; order_id: string }[] }) => {
  emitEventStep({ eventName: "order_transaction.created", data: input.data }).config({ name: "profile-emit-created" })
  return new WorkflowResponse(input)
})


// -- Leaner variants of the record workflow (bench-only prototypes, to measure what a change saves) --

type LeanInput = { order_id: string; transactions: LedgerTransactionInput[] }
type LeanOrder = { id: string; currency_code: string; total: string }

/** The order read as one plain SQL statement over Medusa's order and order_summary tables. */
async function rawOrder(container: ExecArgs["container"], id: string): Promise<LeanOrder> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = (await pg.raw(
    `SELECT o.id, lower(o.currency_code) AS currency_code, COALESCE(s.totals->'raw_current_order_total'->>'value', '0') AS total
     FROM "order" o JOIN order_summary s ON s.order_id = o.id AND s.version = o.version AND s.deleted_at IS NULL
     WHERE o.id = ? AND o.deleted_at IS NULL`,
    [id]
  )) as { rows: LeanOrder[] }
  if (!rows[0]) {
    throw new Error(`order ${id} not found`)
  }
  return rows[0]
}

/** The core sync from what the record step wrote: no re-read of the ledger rows, no existence check (fresh ids). */
async function leanCoreSync(container: ExecArgs["container"], order: LeanOrder, input: LeanInput, ids: string[]) {
  const data = input.transactions
    .map((t, k) => ({ t, id: ids[k] }))
    .filter(({ t }) => t.kind === TransactionKind.PAYMENT && (t.status ?? "succeeded") === "succeeded")
    .map(({ t, id }) => ({
      order_id: order.id,
      amount: String(t.amount),
      currency_code: order.currency_code,
      reference: "order_ledger",
      reference_id: id,
    }))
  return data.length ? container.resolve(Modules.ORDER).addOrderTransactions(data) : []
}

const leanRead = createStep("profile-lean-read", async (input: LeanInput, { container }) => new StepResponse(await rawOrder(container, input.order_id)))
const leanRecord = createStep("profile-lean-record", async (input: { order: LeanOrder; transactions: LedgerTransactionInput[] }, { container }) => {
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  return new StepResponse(await ledger.recordTransactions({ order: input.order, transactions: input.transactions }))
})
const leanSync = createStep(
  "profile-lean-sync",
  async (input: { order: LeanOrder; input: LeanInput; ids: string[] }, { container }) => {
    const created = await leanCoreSync(container, input.order, input.input, input.ids)
    return new StepResponse(created.map((c: { id: string }) => c.id))
  }
)

/** The current workflow's shape with the two cheap changes: order read by SQL, sync without re-reads. */
const leanSameSteps = createWorkflow("profile-lean-same-steps", (input: LeanInput) => {
  const ids = transform({ input }, ({ input }) => [input.order_id])
  acquireLedgerLockStep({ order_ids: ids })
  const order = leanRead(input)
  noop({ n: 0 }).config({ name: "lean-validate" })
  const result = leanRecord(transform({ input, order }, ({ input, order }) => ({ order, transactions: input.transactions })))
  leanSync(transform({ input, order, result }, ({ input, order, result }) => ({ order, input, ids: result.transaction_ids })))
  const events = transform({ result }, ({ result }) => result.transaction_ids.map((id) => ({ id, order_id: result.order_id })))
  emitEventStep({ eventName: "order_transaction.created", data: events }).config({ name: "lean-emit" })
  releaseLedgerLockStep({ order_ids: ids })
  return new WorkflowResponse(result)
})

/** Fewer steps: read + validate + record in one step (no Medusa lock: the row lock is the guarantee), sync, emit. */
const leanThreeSteps = createWorkflow("profile-lean-3-steps", (input: LeanInput) => {
  const result = createStep("profile-lean-read-record", async (input: LeanInput, { container }) => {
    const order = await rawOrder(container, input.order_id)
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const r = await ledger.recordTransactions({ order, transactions: input.transactions })
    return new StepResponse({ order, r })
  })(input)
  leanSync(transform({ input, result }, ({ input, result }) => ({ order: result.order, input, ids: result.r.transaction_ids })))
  const events = transform({ result }, ({ result }) => result.r.transaction_ids.map((id) => ({ id, order_id: result.r.order_id })))
  emitEventStep({ eventName: "order_transaction.created", data: events }).config({ name: "lean3-emit" })
  return new WorkflowResponse(result)
})

/** The floor with Medusa's addOrderTransactions: everything in one step. */
const leanOneStep = createWorkflow("profile-lean-1-step", (input: LeanInput) => {
  const result = createStep("profile-lean-all", async (input: LeanInput, { container }) => {
    const order = await rawOrder(container, input.order_id)
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const r = await ledger.recordTransactions({ order, transactions: input.transactions })
    await leanCoreSync(container, order, input, r.transaction_ids)
    return new StepResponse(r)
  })(input)
  return new WorkflowResponse(result)
})

// -- The record workflow with a step timeline ------------------------------------------------

type Timeline = { steps: Record<string, { ms: number; sql: number; sql_ms: number }>; total: number; skipped: string[] }

async function runWithTimeline(container: ExecArgs["container"], input: Record<string, unknown>): Promise<Timeline & { statements: TracedStatement[] }> {
  const statements = startTrace()
  const marks: Record<string, { begin: number; end?: number; from: number; to?: number }> = {}
  const skipped: string[] = []
  const name = (step: { definition?: { action?: string }; id?: string }) => step.definition?.action ?? step.id ?? "?"
  const start = performance.now()
  await recordLedgerTransactionsWorkflow(container).run({
    input: input as never,
    events: {
      onStepBegin: ({ step }: { step: never }) => {
        marks[name(step)] = { begin: performance.now(), from: statements.length }
      },
      onStepSuccess: ({ step }: { step: never }) => {
        const m = marks[name(step)]
        if (m) {
          m.end = performance.now()
          m.to = statements.length
        }
      },
      onStepSkipped: ({ step }: { step: never }) => {
        skipped.push(name(step))
      },
    } as never,
  })
  const total = performance.now() - start
  stopTrace()
  const steps: Timeline["steps"] = {}
  for (const [k, m] of Object.entries(marks)) {
    const qs = statements.slice(m.from, m.to ?? m.from)
    steps[k] = { ms: (m.end ?? m.begin) - m.begin, sql: qs.length, sql_ms: qs.reduce((t, q) => t + q.ms, 0) }
  }
  return { steps, total, skipped, statements }
}

function summarizeTimelines(runs: (Timeline & { statements: TracedStatement[] })[]) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.steps)))]
  const steps = Object.fromEntries(
    names.map((n) => [
      n,
      {
        ms: r2(median(runs.map((r) => r.steps[n]?.ms ?? 0))),
        sql: median(runs.map((r) => r.steps[n]?.sql ?? 0)),
        sql_ms: r2(median(runs.map((r) => r.steps[n]?.sql_ms ?? 0))),
      },
    ])
  )
  const inSteps = runs.map((r) => Object.values(r.steps).reduce((t, s) => t + s.ms, 0))
  const mid = [...runs].sort((a, b) => a.total - b.total)[Math.floor(runs.length / 2)]
  return {
    total_ms: r2(median(runs.map((r) => r.total))),
    in_steps_ms: r2(median(inSteps)),
    outside_steps_ms: r2(median(runs.map((r, i) => r.total - inSteps[i]))),
    statements: median(runs.map((r) => r.statements.length)),
    sql_ms: r2(median(runs.map((r) => r.statements.reduce((t, q) => t + q.ms, 0)))),
    skipped: mid.skipped,
    steps,
    example: mid.statements.map((q) => ({ ms: r2(q.ms), rows: q.rows, sql: short(q.sql) })),
  }
}

// -- Routes through their real middleware and handler ----------------------------------------

function fakeRes() {
  const res = {
    statusCode: 200,
    body: undefined as unknown,
    status(code: number) {
      res.statusCode = code
      return res
    },
    json(body: unknown) {
      res.body = body
      return res
    },
  }
  return res
}

async function callRoute(
  container: ExecArgs["container"],
  middleware: (req: never, res: never, next: (e?: unknown) => void) => unknown,
  handler: (req: never, res: never) => Promise<void>,
  orderId: string,
  split?: { middleware: number[]; handler: number[]; serialize: number[] }
) {
  const req: Record<string, unknown> = { query: {}, params: { id: orderId }, scope: container, method: "GET", allowed: [] }
  const res = fakeRes()
  const t0 = performance.now()
  await new Promise<void>((resolve, reject) => {
    const r = middleware(req as never, res as never, (e?: unknown) => (e ? reject(e) : resolve()))
    Promise.resolve(r).catch(reject)
  })
  const t1 = performance.now()
  await handler(req as never, res as never)
  const t2 = performance.now()
  const size = JSON.stringify(res.body).length
  const t3 = performance.now()
  if (res.statusCode !== 200) {
    throw new Error(`route answered ${res.statusCode}: ${JSON.stringify(res.body).slice(0, 300)}`)
  }
  split?.middleware.push(t1 - t0)
  split?.handler.push(t2 - t1)
  split?.serialize.push(t3 - t2)
  return size
}

export default async function profile({ container }: ExecArgs) {
  installSqlTrace()
  const reps = Number(process.env.PROFILE_REPS ?? 20)
  const warmup = 3
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const orderModule = container.resolve(Modules.ORDER)
  const locking = container.resolve(Modules.LOCKING)
  const out: Record<string, unknown> = { reps }
  // PROFILE_ONLY=record,timeline,pieces,engine,routes,cpu runs only those sections.
  const only = (section: string) => !process.env.PROFILE_ONLY || process.env.PROFILE_ONLY.split(",").includes(section)

  // Customer-owes orders, from the other end of the id range than bench/scripts/measure.ts takes;
  // each write goes to its own order (a payment of 1 leaves them owing, so reruns may reuse them).
  const { rows: owes } = (await pg.raw(
    `SELECT b.order_id AS id, b.currency_code, b.order_total::text AS total FROM ledger_balance b
     WHERE b.status = 'customer_owes' AND b.order_id LIKE 'order_bench%' ORDER BY b.order_id DESC LIMIT 2000`
  )) as { rows: { id: string; currency_code: string; total: string }[] }
  let next = 0
  const fresh = () => owes[next++ % owes.length]

  // The goal's baseline, in this process: raw SQL with the same guarantee on its own pg client.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Client } = require("pg")
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { paymentRow, rawGuardedWrite } = require("../lib/raw-writes")
  const client = new Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  const guarded = (orderId: string, currency: string, n: number) =>
    rawGuardedWrite(client, Array.from({ length: n }, () => paymentRow(orderId, currency)))
  const batch = (n: number) => Array.from({ length: n }, payment)

  // 1. The record workflow and leaner variants, interleaved, for a batch of 1 and of 50.
  for (const size of only("record") ? [1, 50] : []) {
    const n = size === 1 ? reps : Math.max(8, Math.floor(reps / 2))
    const samples = await interleaved(n, size === 1 ? warmup : 1, {
      raw_guarded: () => { const o = fresh(); return guarded(o.id, o.currency_code, size) },
      service_record: () => ledger.recordTransactions({ order: fresh(), transactions: batch(size) }),
      service_record_then_add_order_transactions: async () => {
        const o = fresh()
        const r = await ledger.recordTransactions({ order: o, transactions: batch(size) })
        await leanCoreSync(container, o, { order_id: o.id, transactions: batch(size) }, r.transaction_ids)
      },
      workflow: () => recordLedgerTransactionsWorkflow(container).run({ input: { order_id: fresh().id, transactions: batch(size) } }),
      workflow_skip_core_sync: () =>
        recordLedgerTransactionsWorkflow(container).run({ input: { order_id: fresh().id, transactions: batch(size), skip_core_sync: true } }),
      variant_8_steps_sql_order_read_sync_without_rereads: () =>
        leanSameSteps(container).run({ input: { order_id: fresh().id, transactions: batch(size) } }),
      variant_3_steps_no_medusa_lock: () => leanThreeSteps(container).run({ input: { order_id: fresh().id, transactions: batch(size) } }),
      variant_1_step: () => leanOneStep(container).run({ input: { order_id: fresh().id, transactions: batch(size) } }),
    })
    const summary = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]))
    const rawMs = (summary.raw_guarded as { ms: number }).ms
    out[`record_batch_${size}`] = Object.fromEntries(
      Object.entries(summary).map(([k, v]) => [k, { x_raw_guarded: r2((v as { ms: number }).ms / rawMs), ...(v as object) }])
    )
  }
  await client.end()

  // 2. The current workflow step by step (onStepBegin / onStepSuccess), SQL attributed to steps.
  const wf = async (size: number, n: number, skip = false) => {
    const runs = []
    for (let i = 0; i < warmup + n; i++) {
      const t = await runWithTimeline(container, {
        order_id: fresh().id,
        transactions: batch(size),
        ...(skip ? { skip_core_sync: true } : {}),
      })
      if (i >= warmup) {
        runs.push(t)
      }
    }
    return summarizeTimelines(runs)
  }
  if (only("timeline")) {
    out.timeline_1 = await wf(1, reps)
    out.timeline_50 = await wf(50, Math.max(8, Math.floor(reps / 2)))
  }

  // 3. The pieces on their own, interleaved.
  const read = !only("pieces") ? {} : await interleaved(reps, warmup, {
    query_graph_order_summary: () => query.graph({ entity: "order", fields: LEDGER_ORDER_FIELDS, filters: { id: fresh().id } }),
    query_graph_order_no_summary: () => query.graph({ entity: "order", fields: ["id", "currency_code"], filters: { id: fresh().id } }),
    order_module_list_orders_with_summary: () =>
      orderModule.listOrders({ id: fresh().id }, { select: ["id", "currency_code", "summary.totals"], relations: ["summary"] }),
    // listOrderSummaries is generated on the service but not declared on IOrderModuleService.
    order_module_list_order_summaries: () =>
      (orderModule as unknown as { listOrderSummaries: (f: object, c: object) => Promise<unknown> }).listOrderSummaries(
        { order_id: fresh().id },
        { select: ["order_id", "totals"] }
      ),
    raw_sql_order_and_summary: () => rawOrder(container, fresh().id),
    locking_acquire_release: async () => {
      const key = `order-ledger:${fresh().id}`
      await locking.acquire([key], { expire: 30 })
      await locking.release([key])
    },
  })
  out.order_read = Object.fromEntries(Object.entries(read).map(([k, v]) => [k, summarize(v)]))

  const core: Record<string, unknown> = {}
  for (const size of only("pieces") ? [1, 50] : []) {
    const recorded: { o: ReturnType<typeof fresh>; ids: string[] }[] = []
    for (let k = 0; k < reps + warmup; k++) {
      const o = fresh()
      const r = await ledger.recordTransactions({ order: o, transactions: batch(size) })
      recorded.push({ o, ids: r.transaction_ids })
    }
    let a = 0
    let b = 0
    const samples = await interleaved(size === 1 ? reps : 10, size === 1 ? warmup : 1, {
      // The sync step's two reads before Medusa's call (f1b6f05: listLedgerTransactions + listOrderTransactions).
      sync_step_reads: async () => {
        const { ids } = recorded[a++ % recorded.length]
        const rows = await ledger.listLedgerTransactions(
          { id: ids, status: "succeeded", kind: ["payment", "refund", "chargeback"] } as never,
          { select: ["id", "order_id", "amount", "currency_code", "reference"] }
        )
        await orderModule.listOrderTransactions({ reference: "order_ledger", reference_id: rows.map((r) => r.id) }, { select: ["reference_id"] })
      },
      add_order_transactions: async () => {
        const { o, ids } = recorded[b++ % recorded.length]
        await leanCoreSync(container, o, { order_id: o.id, transactions: batch(size) }, ids)
      },
      // The same books change in plain SQL, one DB transaction (what a SQL core sync would cost).
      sql_core_sync: async () => {
        const o = fresh()
        await pg.transaction(async (trx) => {
          const { rows } = (await trx.raw(`SELECT version FROM "order" WHERE id = ? FOR UPDATE`, [o.id])) as { rows: { version: number }[] }
          const version = rows[0].version
          await trx.raw(
            `INSERT INTO order_transaction (id, order_id, version, amount, raw_amount, currency_code, reference, reference_id, created_at, updated_at)
             SELECT 'ordtrx_prof' || md5(random()::text), ?, ?, 1, '{"value":"1","precision":20}'::jsonb, ?, 'order_ledger', 'oltx_prof' || g, now(), now()
             FROM generate_series(1, ?) g`,
            [o.id, version, o.currency_code, size]
          )
          await trx.raw(
            `UPDATE order_summary SET totals = totals
               || jsonb_build_object('paid_total', (totals->>'paid_total')::numeric + ?, 'raw_paid_total', jsonb_build_object('value', ((totals->'raw_paid_total'->>'value')::numeric + ?)::text, 'precision', 20))
               || jsonb_build_object('transaction_total', (totals->>'transaction_total')::numeric + ?, 'raw_transaction_total', jsonb_build_object('value', ((totals->'raw_transaction_total'->>'value')::numeric + ?)::text, 'precision', 20))
               || jsonb_build_object('pending_difference', (totals->>'pending_difference')::numeric - ?, 'raw_pending_difference', jsonb_build_object('value', ((totals->'raw_pending_difference'->>'value')::numeric - ?)::text, 'precision', 20)),
               updated_at = now()
             WHERE order_id = ? AND version = ? AND deleted_at IS NULL`,
            [size, size, size, size, size, size, o.id, version]
          )
        })
      },
    })
    core[`batch_${size}`] = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]))
  }
  out.core_sync = core

  // 4. The workflow engine.
  const engineSamples = !only("engine") ? {} : await interleaved(reps, warmup, {
    ...Object.fromEntries(Object.entries(noopWorkflows).map(([n, w]) => [`noop_${n}_steps`, (i: number) => w(container).run({ input: { n: i } })])),
    shape_8_steps_3_transforms_3_whens: (i) => shapeWorkflow(container).run({ input: { n: i } }),
    ledger_lock_steps_f1b6f05: () => customLockWorkflow(container).run({ input: { order_ids: [fresh().id] } }),
    core_flows_acquire_release_lock_steps: () => coreLockWorkflow(container).run({ input: { key: `order-ledger:${fresh().id}` } }),
    payload_8_steps_1_row: () => payloadWorkflow(container).run({ input: { rows: [ledgerRow(0)] } }),
    payload_8_steps_50_rows: () => payloadWorkflow(container).run({ input: { rows: Array.from({ length: 50 }, (_, k) => ledgerRow(k)) } }),
    emit_event_step_1_event: (i) => emitWorkflow(container).run({ input: { data: [{ id: `oltx_x${i}`, order_id: "order_x" }] } }),
    emit_event_step_50_events: (i) =>
      emitWorkflow(container).run({ input: { data: Array.from({ length: 50 }, (_, k) => ({ id: `oltx_x${i}_${k}`, order_id: "order_x" })) } }),
  })
  const engine: Record<string, unknown> = Object.fromEntries(Object.entries(engineSamples).map(([k, v]) => [k, summarize(v)]))
  if (only("engine")) {
    const x = [1, 2, 4, 8, 16]
    const y = x.map((n) => (engine[`noop_${n}_steps`] as { ms: number }).ms)
    const mx = x.reduce((a, b) => a + b) / x.length
    const my = y.reduce((a, b) => a + b) / y.length
    const slope = x.reduce((t, xi, i) => t + (xi - mx) * (y[i] - my), 0) / x.reduce((t, xi) => t + (xi - mx) ** 2, 0)
    engine.fit = { ms_per_step: r2(slope), fixed_ms: r2(my - slope * mx) }
  }
  out.engine = engine

  // 5. The two per-order GET routes through their real middleware and handler, and their parts.
  const { rows: sample } = (await pg.raw(
    `SELECT order_id AS id FROM ledger_balance WHERE order_id LIKE 'order_bench%' ORDER BY md5(order_id) LIMIT 50`
  )) as { rows: { id: string }[] }
  const sid = (i: number) => sample[Math.abs(i) % sample.length].id
  const txMw = validateLedgerQuery(AdminGetLedgerTransactionsParams, listTransactionQueryConfig) as never
  const balMw = validateLedgerQuery(AdminGetBalanceParams, retrieveBalanceQueryConfig) as never
  const { rows: paymentIds } = (await pg.raw(
    `SELECT order_id, array_agg(id) AS ids FROM ledger_transaction WHERE kind = 'payment' AND order_id = ANY(?) GROUP BY order_id`,
    [sample.map((s) => s.id)]
  )) as { rows: { order_id: string; ids: string[] }[] }
  const splits: Record<string, { middleware: number[]; handler: number[]; serialize: number[] }> = {
    route_transactions: { middleware: [], handler: [], serialize: [] },
    route_balance: { middleware: [], handler: [], serialize: [] },
  }
  const bytes: Record<string, number> = {}
  const routeSamples = !only("routes") ? {} : await interleaved(reps * 2, warmup, {
    route_transactions: async (i) => {
      bytes.route_transactions = await callRoute(container, txMw, getTransactions as never, sid(i), i >= 0 ? splits.route_transactions : undefined)
    },
    route_balance: async (i) => {
      bytes.route_balance = await callRoute(container, balMw, getBalance as never, sid(i), i >= 0 ? splits.route_balance : undefined)
    },
    transactions_query_graph_paged_list_and_count: (i) =>
      query.graph({
        entity: "ledger_transaction",
        fields: listTransactionQueryConfig.defaults,
        filters: { order_id: sid(i) },
        pagination: { skip: 0, take: 50 },
      }),
    transactions_query_graph_unpaged: (i) =>
      query.graph({ entity: "ledger_transaction", fields: listTransactionQueryConfig.defaults, filters: { order_id: sid(i) } }),
    transactions_service_plain_page: (i) => ledger.listTransactionPage({ order_id: sid(i) }, { limit: 50 }),
    transactions_one_sql_rows_refund_sums_count: (i) =>
      pg.raw(
        `SELECT t.*, t.amount::text AS amount, t.fee::text AS fee, count(*) OVER () AS full_count, r.refunded, r.pending_refund
         FROM ledger_transaction t
         LEFT JOIN LATERAL (
           SELECT -SUM(c.amount) FILTER (WHERE c.status = 'succeeded') AS refunded,
                  -SUM(c.amount) FILTER (WHERE c.status IN ('pending', 'requires_action')) AS pending_refund
           FROM ledger_transaction c WHERE c.parent_id = t.id AND c.deleted_at IS NULL AND c.kind IN ('refund', 'chargeback')
         ) r ON t.kind = 'payment'
         WHERE t.order_id = ? AND t.deleted_at IS NULL ORDER BY t.occurred_at LIMIT 50`,
        [sid(i)]
      ),
    refund_summaries: (i) => ledger.getRefundSummaries(paymentIds[Math.abs(i) % paymentIds.length].ids),
    balance_query_graph: (i) =>
      query.graph({ entity: "ledger_balance", fields: retrieveBalanceQueryConfig.defaults, filters: { order_id: sid(i) } }),
    balance_one_sql: (i) => pg.raw(`SELECT * FROM ledger_balance WHERE order_id = ? AND deleted_at IS NULL`, [sid(i)]),
  })
  const routes: Record<string, unknown> = Object.fromEntries(Object.entries(routeSamples).map(([k, v]) => [k, summarize(v)]))
  for (const [k, sp] of only("routes") ? Object.entries(splits) : []) {
    Object.assign(routes[k] as object, {
      middleware_ms: r2(median(sp.middleware)),
      handler_ms: r2(median(sp.handler)),
      json_stringify_ms: r2(median(sp.serialize)),
      body_bytes: bytes[k],
    })
  }
  out.routes = routes

  // 6. CPU by package (V8 sampling profiler) of the costly pieces.
  if (only("cpu") && process.env.PROFILE_CPU !== "0") {
    const cpu: Record<string, unknown> = {}
    cpu.workflow_1 = await cpuTop(reps, () => recordLedgerTransactionsWorkflow(container).run({ input: { order_id: fresh().id, transactions: batch(1) } }))
    cpu.workflow_50 = await cpuTop(5, () => recordLedgerTransactionsWorkflow(container).run({ input: { order_id: fresh().id, transactions: batch(50) } }))
    cpu.query_graph_order_summary = await cpuTop(reps, () => query.graph({ entity: "order", fields: LEDGER_ORDER_FIELDS, filters: { id: fresh().id } }))
    cpu.route_transactions = await cpuTop(reps * 2, (i) => callRoute(container, txMw, getTransactions as never, sid(i)))
    cpu.route_balance = await cpuTop(reps * 2, (i) => callRoute(container, balMw, getBalance as never, sid(i)))
    out.cpu = cpu
  }

  const file = process.env.BENCH_OUT ?? "bench/results/profile.json"
  writeFileSync(file, JSON.stringify(out, null, 2))
  console.log(`profile written to ${file}`)
}
