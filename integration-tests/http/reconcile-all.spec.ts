import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createAdminHeaders } from "../helpers/admin"
import { deleteMirroredRows } from "../helpers/ledger"
import { checkout, medusaPayments, setUpCheckoutStore, waitFor, type CheckoutStore } from "../helpers/checkout"
import { settle, type Res } from "../helpers/http"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"
import { startLedgerReconcileRunWorkflow } from "../../src/workflows/workflows/reconcile-ledger-transactions"
import { startLedgerReconcileRunStepId } from "../../src/workflows/steps/reconcile-order-batches"

jest.setTimeout(180_000)

type Row = Record<string, any>
const RECONCILE = "/admin/order-transactions/reconcile"

/** The orders' ledger rows, straight from the table. */
async function tableRows(container: MedusaContainer, orderIds: string[]): Promise<Row[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(`SELECT * FROM ledger_transaction WHERE order_id = ANY(?::text[]) ORDER BY id`, [
    `{${orderIds.join(",")}}`,
  ])
  return rows
}

/** Makes a run look as if its process died `minutes` ago (it stopped reporting progress). */
async function backdate(container: MedusaContainer, runId: string, minutes: number) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  await pg.raw(`UPDATE ledger_reconcile_run SET updated_at = now() - (? * interval '1 minute') WHERE id = ?`, [
    minutes,
    runId,
  ])
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, utils }) => {
    describe("Reconcile of every order in the background", () => {
      let admin: { headers: Record<string, string> }
      let store: CheckoutStore

      beforeEach(async () => {
        admin = await createAdminHeaders(getContainer())
        store = await setUpCheckoutStore(api, admin, { unit_price: 150 })
      })

      const startAll = (options = admin): Promise<Res> => settle(api.post(RECONCILE, {}, options))
      const getRun = (id: string, options = admin): Promise<Res> => settle(api.get(`${RECONCILE}/${id}`, options))

      /** Polls the run until it is no longer running. */
      const untilEnded = (id: string) =>
        waitFor(
          `reconcile run ${id} to end`,
          async () => {
            const res = await getRun(id)
            expect(res.status).toBe(200)
            return res.data.reconcile.status !== "running" ? (res.data.reconcile as Row) : null
          },
          { timeoutMs: 60_000, intervalMs: 100 }
        )

      /** Three orders paid through checkout (one captured), their ledger rows then lost. */
      const ordersWithLostRows = async () => {
        const container = getContainer()
        const ids: string[] = []
        for (let i = 0; i < 3; i++) {
          ids.push((await checkout(api, store)).order_id)
        }
        await waitFor("the authorizations", async () => (await tableRows(container, ids)).length === 3)
        const [pay] = await medusaPayments(api, admin, ids[0])
        await api.post(`/admin/payments/${pay.id}/capture`, {}, admin)
        await waitFor("the capture", async () => (await tableRows(container, ids)).length === 4)
        await utils.waitWorkflowExecutions()
        expect(await deleteMirroredRows(container, ids)).toBe(4)
        return ids
      }

      it("answers 202 at once, reports progress, ends done with the result; a second run creates nothing", async () => {
        const container = getContainer()
        const ids = await ordersWithLostRows()

        const started = await startAll()
        expect(started.status).toBe(202)
        expect(started.data.reconcile).toMatchObject({ id: expect.stringMatching(/^olrec_/), status: "running" })
        const id = started.data.reconcile.id as string
        expect(started.headers.location).toBe(`${RECONCILE}/${id}`)

        const done = await untilEnded(id)
        expect(done).toMatchObject({
          id,
          status: "done",
          result: { orders: 3, created: 4, skipped: 0, failed: [] },
          progress: { orders_total: 3, orders_done: 3, created: 4, skipped: 0, failed: 0 },
          error: null,
        })
        expect(Object.keys(done).sort()).toEqual(
          ["created_at", "error", "finished_at", "id", "progress", "result", "status", "updated_at"].sort()
        )
        expect(new Date(done.finished_at).getTime()).toBeGreaterThanOrEqual(new Date(done.created_at).getTime())
        // Each progress report touches the row: that is what tells a live run from a dead one.
        expect(new Date(done.updated_at).getTime()).toBeGreaterThan(new Date(done.created_at).getTime())

        const rows = await tableRows(container, ids)
        expect(rows.map((r) => `${r.order_id}:${r.kind}:${r.reference}`).sort()).toEqual(
          [
            `${ids[0]}:authorization:payment`,
            `${ids[0]}:payment:capture`,
            `${ids[1]}:authorization:payment`,
            `${ids[2]}:authorization:payment`,
          ].sort()
        )

        // A new request after the run ended starts a new run, which finds everything in place.
        const again = await startAll()
        expect(again.status).toBe(202)
        expect(again.data.reconcile.id).not.toBe(id)
        const second = await untilEnded(again.data.reconcile.id)
        expect(second).toMatchObject({
          status: "done",
          result: { orders: 3, created: 0, skipped: 4, failed: [] },
          progress: { orders_total: 3, orders_done: 3, created: 0, skipped: 4, failed: 0 },
        })
        expect(await tableRows(container, ids)).toEqual(rows)
        // The first run's answer is kept.
        expect((await getRun(id)).data.reconcile).toEqual(done)
      })

      it("runs one at a time: requests at once share one run; a run that stopped reporting is superseded", async () => {
        const container = getContainer()
        const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
        const ids = await ordersWithLostRows()

        // Five requests at once: one run, started once.
        const answers = await Promise.all(Array.from({ length: 5 }, () => startAll()))
        expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202])
        const runIds = new Set(answers.map((a) => a.data.reconcile.id))
        expect(runIds.size).toBe(1)
        const [shared] = [...runIds]
        expect(await untilEnded(shared)).toMatchObject({ status: "done", result: { orders: 3, created: 4 } })
        expect(await tableRows(container, ids)).toHaveLength(4)
        expect(await ledger.listLedgerReconcileRuns({})).toHaveLength(1)

        // A run that is running and reporting (here one no worker will ever pick up) is answered as it is.
        const live = await ledger.createLedgerReconcileRuns({ status: "running" })
        const whileLive = await startAll()
        expect(whileLive.status).toBe(202)
        expect(whileLive.data.reconcile).toMatchObject({ id: live.id, status: "running", progress: null, result: null })

        // Once it has not reported for longer than 5 minutes, its process is taken for dead.
        await backdate(container, live.id, 4)
        expect((await startAll()).data.reconcile.id).toBe(live.id)
        await backdate(container, live.id, 6)
        const replacing = await startAll()
        expect(replacing.status).toBe(202)
        const next = replacing.data.reconcile.id as string
        expect(next).not.toBe(live.id)
        const dead = (await getRun(live.id)).data.reconcile
        expect(dead).toMatchObject({ status: "failed", finished_at: expect.any(String) })
        expect(dead.error).toContain(`superseded by ${next}`)
        expect(await untilEnded(next)).toMatchObject({ status: "done", result: { orders: 3, created: 0, skipped: 4 } })
      })

      it("still answers a call naming orders at once (200); 404 for an unknown run; 401 without auth", async () => {
        const container = getContainer()
        const [orderId] = await ordersWithLostRows()

        const named = await settle(api.post(RECONCILE, { order_ids: [orderId] }, admin))
        expect(named.status).toBe(200)
        expect(named.data).toEqual({ orders: 1, created: 2, skipped: 0, failed: [] })
        expect(await tableRows(container, [orderId])).toHaveLength(2)
        expect(await container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE).listLedgerReconcileRuns({})).toEqual([])

        const unknown = await getRun("olrec_does_not_exist")
        expect(unknown.status).toBe(404)
        expect(unknown.data).toMatchObject({ type: "not_found", code: "NOT_FOUND" })
        expect(unknown.data.message).toContain("olrec_does_not_exist")

        const noAuthPost = await startAll({ headers: {} })
        expect(noAuthPost.status).toBe(401)
        const started = await startAll()
        const noAuthGet = await getRun(started.data.reconcile.id, { headers: {} })
        expect(noAuthGet.status).toBe(401)
        await untilEnded(started.data.reconcile.id)
      })

      it("compensation: a start that fails after its step leaves no run and puts a superseded run back", async () => {
        const container = getContainer()
        const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
        const dead = await ledger.createLedgerReconcileRuns({ status: "running" })
        await backdate(container, dead.id, 10)

        const workflow = startLedgerReconcileRunWorkflow(container)
        workflow.appendAction("inject-failure", startLedgerReconcileRunStepId, {
          invoke: async () => {
            throw new Error("injected failure after the run was created")
          },
        })
        const { errors } = await workflow.run({ input: {}, throwOnError: false })
        expect(errors.map((e) => (e.error as Error).message)).toEqual(["injected failure after the run was created"])
        const runs = await ledger.listLedgerReconcileRuns({})
        expect(runs.map((r) => ({ id: r.id, status: r.status, error: r.error, finished_at: r.finished_at }))).toEqual([
          { id: dead.id, status: "running", error: null, finished_at: null },
        ])
      })

      it("a run whose reconcile throws ends failed with the error; the next request starts a new run", async () => {
        await ordersWithLostRows()
        // Medusa's Query fails on the batch's read of the orders' payments (as a database outage would).
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const graph = query.graph.bind(query)
        const spy = jest.spyOn(query, "graph").mockImplementation(((config: { fields?: string[] }, ...rest: unknown[]) => {
          if (config.fields?.some((f) => f.startsWith("payment_collections.payments."))) {
            return Promise.reject(new Error("injected failure in a batch"))
          }
          return (graph as (...args: unknown[]) => unknown)(config, ...rest)
        }) as typeof query.graph)
        try {
          const started = await startAll()
          expect(started.status).toBe(202)
          const failed = await untilEnded(started.data.reconcile.id)
          expect(failed).toMatchObject({
            status: "failed",
            result: null,
            progress: { orders_total: 3, orders_done: 0, created: 0, skipped: 0, failed: 0 },
            finished_at: expect.any(String),
          })
          expect(failed.error).toContain("injected failure in a batch")
        } finally {
          spy.mockRestore()
        }
        // A failed run does not hold the next request back.
        const next = await startAll()
        expect(next.status).toBe(202)
        expect(await untilEnded(next.data.reconcile.id)).toMatchObject({ status: "done", result: { orders: 3, created: 4 } })
      })
    })
  },
})
