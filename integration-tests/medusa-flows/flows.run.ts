import fs from "fs"
import path from "path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosInstance } from "axios"
import { createAdminHeaders } from "../helpers/admin"
import { FLOWS, FLOW_NAMES, Scenario, headline, type FlowRecord } from "./scenario"

/**
 * One run of Medusa's own flows on one store, started by `medusa-flows.spec.ts` in a jest process
 * of its own (a Medusa app keeps process-wide state, so two stores cannot boot in one process):
 * `MEDUSA_FLOWS_PLUGIN=without` boots `host/medusa-config.ts` (no plugin), `with` the repository's
 * dev host (the plugin from `src/`). The records go as JSON to `MEDUSA_FLOWS_OUT`.
 *
 * Not a `.spec.ts`: jest runs it only when asked by name (`--testMatch`).
 */

const PLUGIN = process.env.MEDUSA_FLOWS_PLUGIN as "with" | "without" | undefined
const OUT = process.env.MEDUSA_FLOWS_OUT

/** What one store's run produced. */
export interface FlowsRun {
  plugin: "with" | "without"
  records: Record<string, FlowRecord>
  /** Rows of the plugin's kinds in Medusa's own books (none expected: the scenario records no ledger money). */
  books: { order_ledger_transactions: number; ledger_payment_collections: number }
  /** What the plugin stored in its own tables (null where it is not installed). */
  ledger: { transactions: number; balances: number } | null
  /** Whether the plugin's module and routes were there. */
  plugin_loaded: { module: boolean; routes_status: number }
  seconds: number
}

async function count(container: MedusaContainer, sql: string): Promise<number> {
  const { rows } = await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(sql)
  return Number(rows[0].count)
}

async function runFlows(api: AxiosInstance, container: MedusaContainer, waitWorkflows: () => Promise<void>): Promise<FlowsRun> {
  const started = Date.now()
  const admin = await createAdminHeaders(container)
  const store = await Scenario.setUpStore(api, admin)
  const scenario = new Scenario(api, admin, store, waitWorkflows)
  const records: Record<string, FlowRecord> = {}
  for (const name of FLOW_NAMES) {
    const t = Date.now()
    records[name] = await scenario.run(name, FLOWS[name])
    console.log(`[medusa-flows] ${PLUGIN} plugin: ${name} (${Date.now() - t} ms): ${headline(records[name])}`)
  }
  // The plugin's scheduled job (every 15 minutes) would not come round during the run: run it now
  // (the reconcile of every order changed in the last day), then read every flow's order again.
  // Without the plugin there is no job, and the step is a plain re-read.
  // (Required here, not imported at the top: the store without the plugin must not load its code.)
  if (PLUGIN === "with") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const job: typeof import("../../src/jobs/reconcile-ledger-transactions") = require("../../src/jobs/reconcile-ledger-transactions")
    await job.default(container)
  }
  for (const name of FLOW_NAMES) {
    const record = records[name]
    if (record.order_id) {
      record.steps.push({
        step: "after the plugin's scheduled reconcile job (none without the plugin)",
        request: "(none)",
        status: 0,
        body: null,
        order: await scenario.settle(record.order_id),
      })
    }
  }
  console.log(`[medusa-flows] ${PLUGIN} plugin: ms spent ${JSON.stringify(scenario.timing)}`)
  await waitWorkflows()
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const hasLedger = (await pg.raw(`SELECT to_regclass('ledger_transaction') IS NOT NULL AS present`)).rows[0].present
  // A read of one of the plugin's routes: 404 without the plugin, 200 with it.
  const probe = await api.get("/admin/order-balances?limit=1", { ...admin, validateStatus: () => true })
  return {
    plugin: PLUGIN!,
    records,
    books: {
      order_ledger_transactions: await count(container, `SELECT count(*) FROM order_transaction WHERE reference = 'order_ledger'`),
      ledger_payment_collections: await count(
        container,
        `SELECT count(*) FROM payment_collection WHERE metadata ->> 'order_ledger_transaction_id' IS NOT NULL`
      ),
    },
    ledger: hasLedger
      ? {
          transactions: await count(container, `SELECT count(*) FROM ledger_transaction`),
          balances: await count(container, `SELECT count(*) FROM ledger_balance WHERE deleted_at IS NULL`),
        }
      : null,
    plugin_loaded: { module: container.hasRegistration("order_ledger"), routes_status: probe.status },
    seconds: Math.round((Date.now() - started) / 100) / 10,
  }
}

if (!PLUGIN || !OUT) {
  describe("Medusa's own flows (one store)", () => {
    it.skip("runs only from medusa-flows.spec.ts (MEDUSA_FLOWS_PLUGIN, MEDUSA_FLOWS_OUT)", () => undefined)
  })
} else {
  medusaIntegrationTestRunner({
    ...(PLUGIN === "without" ? { medusaConfigFile: path.join(__dirname, "host") } : {}),
    testSuite: ({ api, getContainer, utils }) => {
      it(`runs Medusa's own flows on a store ${PLUGIN} the plugin`, async () => {
        const run = await runFlows(api, getContainer(), utils.waitWorkflowExecutions)
        fs.writeFileSync(OUT, JSON.stringify(run))
      }, 600_000)
    },
  })
}
