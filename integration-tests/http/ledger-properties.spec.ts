import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MathBN } from "@medusajs/framework/utils"
import fc from "fast-check"
import { recordLedgerTransactionsWorkflow } from "../../src/workflows/workflows/record-ledger-transactions"
import { updateLedgerTransactionWorkflow } from "../../src/workflows/workflows/update-ledger-transaction"
import { LEDGER_ERROR_STATUS } from "../../src/utils/errors"
import { createOrder } from "../helpers/orders"
import { dec, ledgerRows, ledgerService, storedBalance } from "../helpers/ledger"

jest.setTimeout(600_000)

const KINDS = ["payment", "refund", "chargeback", "authorization", "void", "reversal"] as const
const STATUSES = ["pending", "succeeded", "failed", "requires_action"] as const

type Command =
  | { op: "record"; order: number; items: { kind: (typeof KINDS)[number]; cents: number; status: (typeof STATUSES)[number]; parent: number | null }[] }
  | { op: "move"; order: number; target: number; status: (typeof STATUSES)[number] }

const item = fc.record({
  kind: fc.constantFrom(...KINDS),
  cents: fc.integer({ min: 1, max: 30_000 }),
  status: fc.constantFrom(...STATUSES),
  // An index into the order's rows (taken modulo their count), or no parent.
  parent: fc.option(fc.nat(40), { nil: null }),
})
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant("record" as const), order: fc.nat(1), items: fc.array(item, { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant("move" as const), order: fc.nat(1), target: fc.nat(40), status: fc.constantFrom(...STATUSES) })
)

const FINAL = new Set(["succeeded", "failed"])

/** The balance recomputed in TypeScript from the rows, with MathBN only. */
function expectedFigures(total: string, rows: Record<string, string | null>[]) {
  const sum = (pred: (r: Record<string, string | null>) => boolean) =>
    rows.filter(pred).reduce((acc, r) => MathBN.add(acc, MathBN.abs(r.amount as string)), MathBN.convert(0))
  const ok = (kind: string) => (r: Record<string, string | null>) => r.kind === kind && r.status === "succeeded"
  const paid = sum(ok("payment"))
  const refunded = sum(ok("refund"))
  const chargeback = sum(ok("chargeback"))
  const reversed = sum(ok("reversal"))
  const net = MathBN.add(MathBN.sub(paid, refunded, chargeback), reversed)
  const outstanding = MathBN.sub(total, net)
  const status = MathBN.gt(outstanding, 0) ? "customer_owes" : MathBN.lt(outstanding, 0) ? "merchant_owes" : "settled"
  return { paid_total: paid.toFixed(), refunded_total: refunded.toFixed(), chargeback_total: chargeback.toFixed(), reversed_total: reversed.toFixed(), net_paid: net.toFixed(), outstanding_amount: outstanding.toFixed(), status }
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("keeps the stored balance equal to a recompute and to the outstanding-amount rule after every step", async () => {
      const container = getContainer()
      const ledger = ledgerService(container)
      const query = container.resolve("query")
      const medusaBooks = async (orderId: string) => {
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "summary.*", "payment_collections.captured_amount", "payment_collections.raw_captured_amount", "payment_collections.refunded_amount", "payment_collections.raw_refunded_amount"],
          filters: { id: orderId },
        })
        const order = data[0] as Record<string, any>
        const raw = (v: any, fallback: any) => dec(v?.value ?? fallback ?? 0)
        const net = (order.payment_collections ?? []).reduce(
          (sum: ReturnType<typeof MathBN.convert>, pc: Record<string, any>) =>
            MathBN.add(sum, MathBN.sub(raw(pc.raw_captured_amount, pc.captured_amount), raw(pc.raw_refunded_amount, pc.refunded_amount))),
          MathBN.convert(0)
        )
        return {
          pending_difference: raw(order.summary?.raw_pending_difference, order.summary?.pending_difference),
          captured_less_refunded: net.toFixed(),
        }
      }
      let steps = 0
      let rejected = 0
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000 })),
          fc.array(command, { minLength: 4, maxLength: 12 }),
          async (totals, commands) => {
            const orders = await Promise.all(totals.map((cents) => createOrder(container, { total: (cents / 100).toFixed(2) })))
            const lastStatus = new Map<string, string>()
            for (const c of commands) {
              steps++
              const order = orders[c.order]
              const before = await ledgerRows(container, order.id)
              try {
                if (c.op === "record") {
                  await recordLedgerTransactionsWorkflow(container).run({
                    input: {
                      order_id: order.id,
                      transactions: c.items.map((i) => ({
                        kind: i.kind,
                        amount: (i.cents / 100).toFixed(2),
                        status: i.status,
                        parent_id: i.parent === null || !before.length ? null : (before[i.parent % before.length].id as string),
                      })),
                    },
                  })
                } else {
                  if (!before.length) {
                    continue
                  }
                  await updateLedgerTransactionWorkflow(container).run({
                    input: { id: before[c.target % before.length].id as string, status: c.status },
                  })
                }
              } catch (e) {
                rejected++
                // A refused command is a 4xx with a stable code and changes nothing.
                expect(Object.keys(LEDGER_ERROR_STATUS)).toContain((e as { code?: string }).code)
                expect(await ledgerRows(container, order.id)).toEqual(before)
              }

              for (const o of orders) {
                const rows = await ledgerRows(container, o.id)
                const stored = await storedBalance(container, o.id)
                if (!rows.length) {
                  continue
                }
                const [computed] = await ledger.computeBalancesFromLedger([o.id])
                const expected = expectedFigures(stored!.order_total, rows)
                for (const field of ["paid_total", "refunded_total", "chargeback_total", "reversed_total", "net_paid", "outstanding_amount"] as const) {
                  expect([field, dec(stored![field])]).toEqual([field, dec(expected[field])])
                  expect([field, dec(computed[field])]).toEqual([field, dec(expected[field])])
                }
                for (const field of ["authorized_total", "pending_total"] as const) {
                  expect([field, dec(stored![field])]).toEqual([field, dec(computed[field])])
                }
                expect(stored!.status).toBe(expected.status)
                expect(computed.status).toBe(expected.status)
                // Medusa's own books say the same: its outstanding amount, and its payment
                // collections' captured less refunded (what its order page calls Paid Total).
                const medusa = await medusaBooks(o.id)
                expect(["pending_difference", medusa.pending_difference]).toEqual(["pending_difference", dec(stored!.outstanding_amount)])
                expect(["captured_less_refunded", medusa.captured_less_refunded]).toEqual([
                  "captured_less_refunded",
                  MathBN.sub(expected.paid_total, expected.refunded_total).toFixed(),
                ])
                // Never refunded beyond a payment, and final statuses never move.
                for (const p of rows.filter((r) => r.kind === "payment" && r.status === "succeeded")) {
                  const taken = rows.filter((r) => r.parent_id === p.id && (r.kind === "refund" || r.kind === "chargeback") && r.status !== "failed")
                  const takenIds = new Set(taken.map((r) => r.id))
                  const givenBack = rows.filter((r) => r.kind === "reversal" && r.status === "succeeded" && takenIds.has(r.parent_id))
                  const net = MathBN.sub(
                    taken.reduce((acc, r) => MathBN.add(acc, MathBN.abs(r.amount as string)), MathBN.convert(0)),
                    givenBack.reduce((acc, r) => MathBN.add(acc, MathBN.abs(r.amount as string)), MathBN.convert(0))
                  )
                  expect(MathBN.lte(net, p.amount as string)).toBe(true)
                }
                for (const r of rows) {
                  const previous = lastStatus.get(r.id as string)
                  if (previous && FINAL.has(previous) && !(previous === "succeeded" && r.kind === "void")) {
                    expect([r.id, r.status]).toEqual([r.id, previous])
                  }
                  lastStatus.set(r.id as string, r.status as string)
                }
              }
            }
          }
        ),
        { numRuns: 20 }
      )
      console.log(`[ledger-properties] ${steps} commands over 20 random runs, ${rejected} refused with a stable code`)
      expect(steps).toBeGreaterThan(50)
    })
  },
})
