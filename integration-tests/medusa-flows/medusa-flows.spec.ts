import { spawn, type ChildProcess } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { differences, normalize, short } from "./fingerprint"
import type { FlowsRun } from "./flows.run"
import { FLOW_NAMES, headline } from "./scenario"

// About 2-3 minutes on a quiet 2-core machine; the margin is for a machine busy with other work.
jest.setTimeout(540_000)

/**
 * "Medusa's own flows are unchanged with the plugin installed": a differential check.
 *
 * The same scenario of Medusa's own flows (`scenario.ts`: checkout, full and partial capture,
 * refunds, order cancel before and after capture with Medusa's refunds and credit lines, a return
 * received and refunded, a refund claim, a replacement claim, an exchange and an order edit paid
 * with "mark as paid", and the requests Medusa refuses along the way), driven over Medusa's own
 * admin and store HTTP API, runs on two stores, each booted by `medusaIntegrationTestRunner` on a
 * fresh database in a jest process of its own (`flows.run.ts`):
 * - WITHOUT the plugin: `host/medusa-config.ts`, the same options with no ledger module, and a
 *   project root with no `src/`, so none of the plugin's routes, subscribers, links or jobs load;
 * - WITH it: the repository's `medusa-config.ts` (the plugin's module and `src/`).
 * The scenario calls no ledger route. Every answer (status and body) and, after every step, the
 * order as Medusa's admin reads it (status, payment and fulfillment status, totals, `summary`,
 * items, credit lines, payment collections with payments, captures and refunds), its
 * transactions and its changes are normalized (ids, timestamps and secrets replaced by stable
 * placeholders) and must be deeply equal, flow by flow. Each flow ends with one more read after
 * 1 s of quiet (a late write by a subscriber shows there) and the order as the storefront shows
 * it; after all flows, the plugin's scheduled reconcile job runs on the store with the plugin and
 * every order is read again. The plugin's subscribers must have mirrored Medusa's payments into
 * its ledger meanwhile (else the plugin was not at work), and left no ledger-made rows in
 * Medusa's books.
 *
 * `MEDUSA_FLOWS_SEQUENTIAL=1` runs the two stores one after the other instead of side by side.
 * `MEDUSA_FLOWS_SELF_TEST=1` tests this test: on the store with the plugin, the checkout flow also
 * records a bank transfer through a ledger route, unrecorded, as a background write would be; the
 * checkout flow must then FAIL, its differences showing the extra Medusa payment collection, the
 * capture transaction and the paid total.
 */

const ROOT = path.resolve(__dirname, "../..")
const JEST = path.join(ROOT, "node_modules/.bin/jest")

/** The jest processes still running (ended if this suite ends first). */
const children = new Set<ChildProcess>()

/** Runs `flows.run.ts` for one store in its own jest process; answers its run and its output. */
function runStore(plugin: "with" | "without", dir: string): Promise<{ run?: FlowsRun; output: string; code: number | null }> {
  const out = path.join(dir, `${plugin}.json`)
  return new Promise((resolve) => {
    const child = spawn(
      JEST,
      ["--runInBand", "--forceExit", "--ci", "--testMatch", "<rootDir>/integration-tests/medusa-flows/flows.run.ts"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          MEDUSA_FLOWS_PLUGIN: plugin,
          MEDUSA_FLOWS_OUT: out,
          // The self-test (see the header) records ledger money on the store with the plugin only.
          MEDUSA_FLOWS_SELF_TEST: plugin === "with" ? process.env.MEDUSA_FLOWS_SELF_TEST : undefined,
        },
        stdio: ["ignore", "pipe", "pipe"],
      }
    )
    children.add(child)
    let output = ""
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    child.once("exit", (code) => {
      children.delete(child)
      const run = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf-8")) as FlowsRun) : undefined
      resolve({ run, output, code })
    })
  })
}

const runs: { without?: FlowsRun; with?: FlowsRun } = {}
/** Where the two runs' records are; kept (and named in the log) when a flow differs. */
let recordsDir: string | undefined
let keepRecords = false

afterAll(() => {
  for (const child of children) {
    child.kill("SIGTERM")
  }
  if (recordsDir && !keepRecords) {
    fs.rmSync(recordsDir, { recursive: true, force: true })
  }
})

beforeAll(async () => {
  const dir = (recordsDir = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-flows-")))
  const started = Date.now()
  const stores =
    process.env.MEDUSA_FLOWS_SEQUENTIAL === "1"
      ? [await runStore("without", dir), await runStore("with", dir)]
      : await Promise.all([runStore("without", dir), runStore("with", dir)])
  const [without, withPlugin] = stores
  for (const [label, store] of [["without", without], ["with", withPlugin]] as const) {
    const lines = store.output.split("\n").filter((l) => l.includes("[medusa-flows]")).map((l) => l.trim())
    console.log(`${lines.join("\n")}\n[medusa-flows] ${label} plugin: jest exited ${store.code}`)
    if (!store.run) {
      keepRecords = true
      throw new Error(`the store ${label} the plugin did not finish its run (jest exited ${store.code}):\n${store.output.slice(-6000)}`)
    }
  }
  runs.without = without.run
  runs.with = withPlugin.run
  console.log(
    `[medusa-flows] both stores in ${Math.round((Date.now() - started) / 1000)} s ` +
      `(scenario ${runs.without!.seconds} s without, ${runs.with!.seconds} s with the plugin)`
  )
})

describe("Medusa's own flows are unchanged with the plugin installed", () => {
  it("ran on a store without the plugin and on one with it", () => {
    expect(runs.without?.plugin_loaded).toEqual({ module: false, routes_status: 404 })
    expect(runs.without?.ledger).toBeNull()
    expect(runs.with?.plugin_loaded).toEqual({ module: true, routes_status: 200 })
    // The plugin was at work: its subscribers mirrored Medusa's payments into its ledger.
    console.log(`[medusa-flows] with plugin, the ledger holds ${JSON.stringify(runs.with?.ledger)} (from Medusa's events alone)`)
    expect(runs.with?.ledger?.transactions).toBeGreaterThan(0)
  })

  it.each(FLOW_NAMES)("%s: every answer, and the order after every step, are the same", (name) => {
    const without = runs.without!.records[name]
    const withPlugin = runs.with!.records[name]
    // The scenario ran to its end on the store without the plugin (else it proves little).
    expect(without.error).toBeUndefined()
    const a = normalize(without)
    const b = normalize(withPlugin)
    // Paths name the step: `steps[3] "capture".order.order.order.summary.paid_total`.
    const stepName = (i: string) => JSON.stringify(without.steps[Number(i)]?.step ?? withPlugin.steps[Number(i)]?.step)
    const diff = differences(a, b).map((d) => ({ ...d, path: d.path.replace(/^steps\[(\d+)\]/, (m, i) => `${m} ${stepName(i)}`) }))
    keepRecords ||= diff.length > 0
    console.log(
      diff.length === 0
        ? `[medusa-flows] ${name}: equal (${headline(without)})`
        : `[medusa-flows] ${name}: ${diff.length}${diff.length >= 50 ? "+" : ""} DIFFERENCES\n${diff
            .slice(0, 25)
            .map((d) => `    ${d.path}: without=${short(d.without)} with=${short(d.with)}`)
            .join("\n")}\n    (both records: ${recordsDir}/without.json and with.json)`
    )
    expect(b).toEqual(a)
  })

  it("the plugin wrote nothing of its own into Medusa's books", () => {
    expect(runs.with?.books).toEqual({ order_ledger_transactions: 0, ledger_payment_collections: 0 })
    expect(runs.with?.books).toEqual(runs.without?.books)
  })
})
