import { spawn } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { differences, normalize, short } from "./fingerprint"
import type { FlowsRun } from "./flows.run"
import { FLOW_NAMES, headline } from "./scenario"

jest.setTimeout(300_000)

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
 * placeholders) and must be deeply equal, flow by flow.
 *
 * `MEDUSA_FLOWS_SEQUENTIAL=1` runs the two stores one after the other instead of side by side.
 */

const ROOT = path.resolve(__dirname, "../..")
const JEST = path.join(ROOT, "node_modules/.bin/jest")

/** Runs `flows.run.ts` for one store in its own jest process; answers its run and its output. */
function runStore(plugin: "with" | "without", dir: string): Promise<{ run?: FlowsRun; output: string; code: number | null }> {
  const out = path.join(dir, `${plugin}.json`)
  return new Promise((resolve) => {
    const child = spawn(
      JEST,
      ["--runInBand", "--forceExit", "--ci", "--testMatch", "<rootDir>/integration-tests/medusa-flows/flows.run.ts"],
      { cwd: ROOT, env: { ...process.env, MEDUSA_FLOWS_PLUGIN: plugin, MEDUSA_FLOWS_OUT: out }, stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    child.once("exit", (code) => {
      const run = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf-8")) as FlowsRun) : undefined
      resolve({ run, output, code })
    })
  })
}

const runs: { without?: FlowsRun; with?: FlowsRun } = {}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-flows-"))
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
      throw new Error(`the store ${label} the plugin did not finish its run (jest exited ${store.code}):\n${store.output.slice(-6000)}`)
    }
  }
  runs.without = without.run
  runs.with = withPlugin.run
  console.log(
    `[medusa-flows] both stores in ${Math.round((Date.now() - started) / 1000)} s ` +
      `(scenario ${runs.without!.seconds} s without, ${runs.with!.seconds} s with the plugin); records in ${dir}`
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
    const diff = differences(a, b)
    console.log(
      diff.length === 0
        ? `[medusa-flows] ${name}: equal (${headline(without)})`
        : `[medusa-flows] ${name}: ${diff.length}${diff.length >= 50 ? "+" : ""} DIFFERENCES\n${diff
            .slice(0, 25)
            .map((d) => `    ${d.path}: without=${short(d.without)} with=${short(d.with)}`)
            .join("\n")}`
    )
    expect(b).toEqual(a)
  })

  it("the plugin wrote nothing of its own into Medusa's books", () => {
    expect(runs.with?.books).toEqual({ order_ledger_transactions: 0, ledger_payment_collections: 0 })
    expect(runs.with?.books).toEqual(runs.without?.books)
  })
})
