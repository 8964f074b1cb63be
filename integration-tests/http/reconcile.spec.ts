import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createAdminHeaders } from "../helpers/admin"
import { MIRRORED_REFERENCES as MIRRORED, deleteMirroredRows } from "../helpers/ledger"
import { checkout, medusaPayments, setUpCheckoutStore, waitFor, type CheckoutStore } from "../helpers/checkout"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"
import reconcileLedgerTransactionsJob, { config as jobConfig } from "../../src/jobs/reconcile-ledger-transactions"

jest.setTimeout(180_000)

type Row = Record<string, any>

/** Every column of the orders' ledger rows, straight from the table. */
async function tableRows(container: MedusaContainer, orderIds: string[]): Promise<Row[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(
    `SELECT *, amount::text AS amount, fee::text AS fee FROM ledger_transaction
     WHERE order_id = ANY(?::text[]) ORDER BY id`,
    [`{${orderIds.join(",")}}`]
  )
  return rows
}

/** Rows by what they mirror, with the parent named by what it mirrors: comparable across re-creation. */
function byReference(rows: Row[]) {
  const byId = new Map(rows.map((r) => [r.id, r]))
  return Object.fromEntries(
    rows
      .filter((r) => MIRRORED.includes(r.reference))
      .map((r) => {
        const parent = r.parent_id ? byId.get(r.parent_id) : null
        return [
          `${r.reference}:${r.reference_id}`,
          {
            order_id: r.order_id,
            kind: r.kind,
            status: r.status,
            amount: MathBN.convert(r.amount).toFixed(),
            currency_code: r.currency_code,
            gateway: r.gateway,
            payment_method: r.payment_method,
            external_id: r.external_id,
            card_brand: r.card_brand,
            card_last4: r.card_last4,
            reason: r.reason,
            note: r.note,
            metadata: r.metadata,
            occurred_at: new Date(r.occurred_at).toISOString(),
            parent: parent ? `${parent.reference}:${parent.reference_id}` : null,
          },
        ]
      })
  )
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, utils }) => {
    describe("POST /admin/order-transactions/reconcile", () => {
      let admin: { headers: Record<string, string> }
      let store: CheckoutStore

      beforeEach(async () => {
        admin = await createAdminHeaders(getContainer())
        store = await setUpCheckoutStore(api, admin, { unit_price: 150 })
      })

      const reconcile = (body: Record<string, unknown>, options = admin) =>
        api
          .post("/admin/order-transactions/reconcile", body, options)
          .catch((e: { response: { status: number; data: Row } }) => e.response)

      /** Ledger balance vs computed-from-scratch vs Medusa's summary, for each order. */
      const expectBalancesInStep = async (orderIds: string[]) => {
        const ledger = getContainer().resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
        const computed = await ledger.computeBalancesFromLedger(orderIds)
        for (const orderId of orderIds) {
          const { data: b } = await api.get(`/admin/orders/${orderId}/balance`, admin)
          const { data: o } = await api.get(`/admin/orders/${orderId}?fields=id,summary.*`, admin)
          const fresh = computed.find((c) => c.order_id === orderId)!
          const stored = b.balance
          for (const field of ["order_total", "paid_total", "refunded_total", "authorized_total", "net_paid", "outstanding_amount"] as const) {
            expect([orderId, field, MathBN.convert(stored[field]).toFixed()]).toEqual([orderId, field, fresh[field]])
          }
          expect(stored.status).toBe(fresh.status)
          const pending = o.order.summary.raw_pending_difference?.value ?? o.order.summary.pending_difference
          expect([orderId, MathBN.convert(stored.outstanding_amount).toFixed()]).toEqual([orderId, MathBN.convert(pending).toFixed()])
        }
      }

      it("brings deleted rows back with the same reference ids; a second run changes nothing", async () => {
        const container = getContainer()
        // Order A: paid through checkout, captured in two parts, refunded across both captures.
        const a = (await checkout(api, store, { quantity: 2 })).order_id
        await waitFor("A's authorization", async () => (await tableRows(container, [a])).length === 1)
        const [payA] = await medusaPayments(api, admin, a)
        await api.post(`/admin/payments/${payA.id}/capture`, { amount: 100 }, admin)
        await api.post(`/admin/payments/${payA.id}/capture`, { amount: 200 }, admin)
        await api.post(`/admin/payments/${payA.id}/refund`, { amount: 250, note: "Returned most of it" }, admin)
        // Order B: canceled before capture.
        const b = (await checkout(api, store)).order_id
        await waitFor("B's authorization", async () => (await tableRows(container, [b])).length === 1)
        await api.post(`/admin/orders/${b}/cancel`, {}, admin)
        await waitFor("every event handled", async () => (await tableRows(container, [a, b])).length === 7)
        await utils.waitWorkflowExecutions()

        const original = await tableRows(container, [a, b])
        const originalByReference = byReference(original)
        const [refundA] = (await medusaPayments(api, admin, a))[0].refunds
        // The 250 refund fits neither capture alone (100, 200): spread oldest first, 100 + 150.
        expect(originalByReference[`refund:${refundA.id}`]).toMatchObject({ amount: "-100", note: "Returned most of it" })
        expect(originalByReference[`refund:${refundA.id}:2`]).toMatchObject({ amount: "-150" })
        expect(Object.keys(originalByReference).sort()).toHaveLength(7)

        // In step already: nothing to do.
        const first = await reconcile({ order_ids: [a, b] })
        expect(first.status).toBe(200)
        expect(first.data).toEqual({ orders: 2, created: 0, skipped: 6, failed: [] })

        // Lose the mirrored rows, then reconcile.
        expect(await deleteMirroredRows(container, [a, b])).toBe(7)
        expect(await tableRows(container, [a, b])).toHaveLength(0)
        const restored = await reconcile({ order_ids: [a, b] })
        expect(restored.status).toBe(200)
        expect(restored.data).toEqual({ orders: 2, created: 7, skipped: 0, failed: [] })
        const after = await tableRows(container, [a, b])
        expect(byReference(after)).toEqual(originalByReference)
        expect(after.map((r) => r.id).filter((id) => original.some((o) => o.id === id))).toEqual([])
        await expectBalancesInStep([a, b])

        // A second run: nothing created, every row exactly as it was (ids, timestamps, all columns).
        const again = await reconcile({ order_ids: [a, b] })
        expect(again.data).toEqual({ orders: 2, created: 0, skipped: 6, failed: [] })
        expect(await tableRows(container, [a, b])).toEqual(after)
        await expectBalancesInStep([a, b])
      })

      it("concurrent reconciles (an event delivered twice at once) record each Medusa record exactly once", async () => {
        const container = getContainer()
        const f = (await checkout(api, store, { quantity: 2 })).order_id
        await waitFor("F's authorization", async () => (await tableRows(container, [f])).length === 1)
        const [payF] = await medusaPayments(api, admin, f)
        await api.post(`/admin/payments/${payF.id}/capture`, {}, admin)
        await api.post(`/admin/payments/${payF.id}/refund`, { amount: 60 }, admin)
        await waitFor("F's capture and refund", async () => (await tableRows(container, [f])).length === 3)
        await utils.waitWorkflowExecutions()
        const original = byReference(await tableRows(container, [f]))

        expect(await deleteMirroredRows(container, [f])).toBe(3)
        const answers = await Promise.all(Array.from({ length: 6 }, () => reconcile({ order_ids: [f] })))
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200])
        expect(answers.flatMap((a) => a.data.failed)).toEqual([])
        expect(answers.reduce((n, a) => n + a.data.created, 0)).toBe(3)
        const rows = await tableRows(container, [f])
        expect(rows).toHaveLength(3)
        expect(byReference(rows)).toEqual(original)
        await expectBalancesInStep([f])
      })

      it("the scheduled job and a reconcile of every order restore rows too; manual rows are left alone", async () => {
        const container = getContainer()
        const c = (await checkout(api, store)).order_id
        await waitFor("C's authorization", async () => (await tableRows(container, [c])).length === 1)
        const [payC] = await medusaPayments(api, admin, c)
        await api.post(`/admin/payments/${payC.id}/capture`, {}, admin)
        await api.post(
          `/admin/orders/${c}/transactions`,
          { transactions: [{ kind: "payment", amount: 20, payment_method: "cash" }] },
          admin
        )
        await waitFor("C's capture", async () => (await tableRows(container, [c])).length === 3)
        await utils.waitWorkflowExecutions()
        const original = await tableRows(container, [c])

        expect(jobConfig.schedule).toBe("*/15 * * * *")
        expect(await deleteMirroredRows(container, [c])).toBe(2)
        await reconcileLedgerTransactionsJob(container)
        const afterJob = await tableRows(container, [c])
        expect(byReference(afterJob)).toEqual(byReference(original))
        expect(afterJob.find((r) => r.reference === "manual")).toEqual(original.find((r) => r.reference === "manual"))

        expect(await deleteMirroredRows(container, [c])).toBe(2)
        // Every order: the reconcile runs in the background and is polled to its end.
        const reconcileAll = async () => {
          const started = await reconcile({})
          expect(started.status).toBe(202)
          return await waitFor(
            "the reconcile of every order",
            async () => {
              const { data } = await api.get(`/admin/order-transactions/reconcile/${started.data.reconcile.id}`, admin)
              return data.reconcile.status !== "running" && data.reconcile
            },
            { timeoutMs: 60_000, intervalMs: 200 }
          )
        }
        const all = await reconcileAll()
        expect(all).toMatchObject({ status: "done", result: { created: 2, failed: [] } })
        expect(all.result.orders).toBeGreaterThanOrEqual(1)
        expect(byReference(await tableRows(container, [c]))).toEqual(byReference(original))
        const second = await reconcileAll()
        expect(second).toMatchObject({ status: "done", result: { created: 0, failed: [] } })
        await expectBalancesInStep([c])
      })

      it("an order whose Medusa refund no longer fits is reported in failed; the other orders are reconciled", async () => {
        const container = getContainer()
        const d = (await checkout(api, store)).order_id
        const e = (await checkout(api, store)).order_id
        await waitFor("both authorizations", async () => (await tableRows(container, [d, e])).length === 2)
        const [payD] = await medusaPayments(api, admin, d)
        await api.post(`/admin/payments/${payD.id}/capture`, {}, admin)
        const captureRow = await waitFor("D's capture", async () =>
          (await tableRows(container, [d])).find((r) => r.reference === "capture")
        )
        // The card network took all of it back; then someone refunds in Medusa as well.
        await api.post(
          `/admin/orders/${d}/transactions`,
          { transactions: [{ kind: "chargeback", amount: 150, parent_id: captureRow.id, reason: "fraudulent" }] },
          admin
        )
        await api.post(`/admin/payments/${payD.id}/refund`, { amount: 50 }, admin)
        await utils.waitWorkflowExecutions()
        await deleteMirroredRows(container, [e])

        const res = await reconcile({ order_ids: [d, e] })
        expect(res.status).toBe(200)
        expect(res.data.orders).toBe(2)
        expect(res.data.created).toBe(1) // E's authorization
        expect(res.data.failed).toEqual([
          expect.objectContaining({ order_id: d, code: "AMOUNT_EXCEEDS_REFUNDABLE" }),
        ])
        expect(res.data.failed[0].message).toContain("ref_")
        expect((await tableRows(container, [e])).map((r) => r.kind)).toEqual(["authorization"])
      })

      it("answers 401 without auth, 404 for unknown orders and 400 for bad bodies, with stable codes", async () => {
        const noAuth = await reconcile({}, { headers: {} })
        expect(noAuth.status).toBe(401)

        const missing = await reconcile({ order_ids: ["order_does_not_exist"] })
        expect(missing.status).toBe(404)
        expect(missing.data).toMatchObject({ type: "not_found", code: "NOT_FOUND" })
        expect(missing.data.message).toContain("order_does_not_exist")

        for (const body of [
          { order_ids: [] },
          { order_ids: "order_1" },
          { order_ids: [""] },
          { order_ids: Array.from({ length: 1001 }, (_, i) => `order_${i}`) },
          { order_ids: ["order_1"], extra: true },
        ]) {
          const bad = await reconcile(body)
          expect([JSON.stringify(body).slice(0, 40), bad.status, bad.data.code]).toEqual([
            JSON.stringify(body).slice(0, 40),
            400,
            "INVALID_DATA",
          ])
        }
      })
    })
  },
})
