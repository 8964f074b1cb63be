import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { settle } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { storedBalance } from "../helpers/ledger"

jest.setTimeout(180_000)

type Row = Record<string, any>

/** An order's transactions as `[id, order_id, amount]`, in id order (ids increase as they are recorded). */
const rowsOf = (order: Row) =>
  (order.ledger_transactions as Row[]).map((t) => [t.id, t.order_id, t.amount]).sort((a, b) => (a[0] < b[0] ? -1 : 1))

/** The figures of a balance the test checks. */
const figuresOf = (balance: Row | undefined) =>
  balance && {
    id: balance.id,
    order_id: balance.order_id,
    order_total: balance.order_total,
    paid_total: balance.paid_total,
    net_paid: balance.net_paid,
    outstanding_amount: balance.outstanding_amount,
    status: balance.status,
  }

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }

    /**
     * Three orders: A owes (two payments), B is settled (one payment), C has no ledger row at all.
     * Their transactions and balances differ, so a mix-up between orders or between the two links
     * fails.
     */
    async function seed(container: MedusaContainer) {
      admin = await createAdminHeaders(container)
      const a = await createOrder(container, { total: 100 })
      const b = await createOrder(container, { total: 40 })
      const c = await createOrder(container, { total: 70 })
      const record = async (orderId: string, amounts: number[]) => {
        const res = await settle(
          api.post(
            `/admin/orders/${orderId}/transactions`,
            { transactions: amounts.map((amount) => ({ kind: "payment", amount, payment_method: "cash" })) },
            admin
          )
        )
        expect(res.status).toBe(200)
        return (res.data.transactions as Row[]).map((t) => t.id as string)
      }
      const aIds = await record(a.id, [10, 25])
      const bIds = await record(b.id, [40])
      const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const balanceId = async (orderId: string) =>
        (await pg.raw(`SELECT id FROM ledger_balance WHERE order_id = ?`, [orderId])).rows[0].id as string
      const expected = {
        [a.id]: {
          rows: [[aIds[0], a.id, 10], [aIds[1], a.id, 25]],
          balance: {
            id: await balanceId(a.id),
            order_id: a.id,
            order_total: 100,
            paid_total: 35,
            net_paid: 35,
            outstanding_amount: 65,
            status: "customer_owes",
          },
        },
        [b.id]: {
          rows: [[bIds[0], b.id, 40]],
          balance: {
            id: await balanceId(b.id),
            order_id: b.id,
            order_total: 40,
            paid_total: 40,
            net_paid: 40,
            outstanding_amount: 0,
            status: "settled",
          },
        },
        [c.id]: { rows: [] as unknown[], balance: undefined },
      }
      // The stored rows agree with what the test expects of the balances.
      expect(await storedBalance(container, a.id)).toMatchObject({ paid_total: "35", outstanding_amount: "65" })
      expect(await storedBalance(container, c.id)).toBeUndefined()
      return { a, b, c, expected }
    }

    describe("an order's ledger_transactions and ledger_balance in one call", () => {
      it("GET /admin/orders/:id answers every transaction of the order and its balance, in either field order", async () => {
        const { a, b, c, expected } = await seed(getContainer())
        for (const fields of ["id,*ledger_transactions,*ledger_balance", "id,*ledger_balance,*ledger_transactions"]) {
          for (const order of [a, b, c]) {
            const res = await settle(api.get(`/admin/orders/${order.id}?fields=${fields}`, admin))
            expect([fields, res.status]).toEqual([fields, 200])
            expect(res.data.order.id).toBe(order.id)
            expect([fields, rowsOf(res.data.order)]).toEqual([fields, expected[order.id].rows])
            expect([fields, figuresOf(res.data.order.ledger_balance)]).toEqual([fields, expected[order.id].balance])
          }
        }
      })

      it("query.graph answers both links for several orders at once, in either field order", async () => {
        const { a, b, c, expected } = await seed(getContainer())
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        for (const fields of [
          ["id", "ledger_transactions.*", "ledger_balance.*"],
          ["id", "ledger_balance.*", "ledger_transactions.*"],
          ["id", "ledger_transactions.id", "ledger_transactions.order_id", "ledger_transactions.amount", "ledger_balance.*"],
        ]) {
          const { data } = await query.graph({ entity: "order", fields, filters: { id: [a.id, b.id, c.id] } })
          expect(data.map((o: Row) => o.id).sort()).toEqual([a.id, b.id, c.id].sort())
          for (const order of data as Row[]) {
            expect([fields, order.id, rowsOf(order)]).toEqual([fields, order.id, expected[order.id].rows])
            expect([fields, order.id, figuresOf(order.ledger_balance)]).toEqual([
              fields,
              order.id,
              expected[order.id].balance,
            ])
          }
        }
      })

      it("keeps the single-link reads and the reverse links working", async () => {
        const { a, b, expected } = await seed(getContainer())
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)

        const { data: withRows } = await query.graph({
          entity: "order",
          fields: ["id", "ledger_transactions.*"],
          filters: { id: [a.id, b.id] },
        })
        for (const order of withRows as Row[]) {
          expect(rowsOf(order)).toEqual(expected[order.id].rows)
          expect(order).not.toHaveProperty("ledger_balance")
        }
        const { data: withBalance } = await query.graph({
          entity: "order",
          fields: ["id", "ledger_balance.*"],
          filters: { id: [a.id, b.id] },
        })
        for (const order of withBalance as Row[]) {
          expect(figuresOf(order.ledger_balance)).toEqual(expected[order.id].balance)
          expect(order).not.toHaveProperty("ledger_transactions")
        }

        const { data: rows } = await query.graph({
          entity: "ledger_transaction",
          fields: ["id", "order.id", "order.email"],
          filters: { order_id: [a.id, b.id] },
        })
        expect(rows.map((t: Row) => [t.id, t.order?.id]).sort()).toEqual(
          [...expected[a.id].rows, ...expected[b.id].rows].map(([id, orderId]) => [id, orderId]).sort()
        )
        const { data: balances } = await query.graph({
          entity: "ledger_balance",
          fields: ["id", "paid_total", "order.id"],
          filters: { order_id: [a.id, b.id] },
        })
        expect(balances.map((x: Row) => [x.id, x.paid_total, x.order?.id]).sort()).toEqual(
          [
            [expected[a.id].balance!.id, 35, a.id],
            [expected[b.id].balance!.id, 40, b.id],
          ].sort()
        )
      })
    })
  },
})
