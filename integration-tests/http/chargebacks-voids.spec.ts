import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { settle } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { captureMedusaPayment, mirroredCapture } from "../helpers/payments"
import { dec, ledgerRows, ledgerService, storedBalance } from "../helpers/ledger"
import { refundLedgerTransactionWorkflow } from "../../src/workflows"

jest.setTimeout(240_000)

/**
 * Chargebacks (money the card network took back) and voids (an authorization or a pending
 * payment cancelled) are recorded with `POST /admin/orders/:id/transactions`.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      settle(api.post(url, body, { headers: { ...admin.headers, ...headers } }))
    const get = (url: string) => settle(api.get(url, admin))
    const refund = (id: string, body: unknown) => post(`/admin/order-transactions/${id}/refunds`, body)

    async function record(orderId: string, transactions: Record<string, unknown>[]) {
      const res = await post(`/admin/orders/${orderId}/transactions`, { transactions })
      expect(res.status).toBe(200)
      return res.data.transactions as Record<string, any>[]
    }

    async function paidOrder(total: number) {
      const order = await createOrder(getContainer(), { total })
      const [payment] = await record(order.id, [{ kind: "payment", amount: total, payment_method: "card" }])
      return { order, payment }
    }

    /** Medusa's pending_difference equals the ledger's outstanding amount, and the stored balance is the ledger's truth. */
    async function expectBooksAgree(orderId: string) {
      const res = await get(`/admin/orders/${orderId}?fields=id,summary.*`)
      expect(res.status).toBe(200)
      const balance = (await storedBalance(getContainer(), orderId))!
      expect(dec(res.data.order.summary.pending_difference)).toBe(dec(balance.outstanding_amount))
      const [computed] = await ledgerService(getContainer()).computeBalancesFromLedger([orderId])
      for (const field of ["paid_total", "refunded_total", "chargeback_total", "authorized_total", "pending_total", "net_paid", "outstanding_amount"]) {
        expect({ field, value: dec(balance[field]) }).toEqual({ field, value: computed[field as keyof typeof computed] })
      }
      return { summary: res.data.order.summary, balance }
    }

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })

    describe("chargebacks and voids through POST /admin/orders/:id/transactions", () => {
      it("records a chargeback against a succeeded payment, bounded by what is left", async () => {
        const { order, payment } = await paidOrder(100)
        expect((await refund(payment.id, { amount: 20 })).status).toBe(200)
        const cb = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "chargeback", amount: 50, parent_id: payment.id, reason: "fraudulent" }],
        })
        expect(cb.status).toBe(200)
        expect(cb.data.transactions[0]).toEqual(
          expect.objectContaining({ kind: "chargeback", amount: -50, status: "succeeded", parent_id: payment.id })
        )
        expect(cb.data.balance).toEqual(
          expect.objectContaining({
            paid_total: 100,
            refunded_total: 20,
            chargeback_total: 50,
            net_paid: 30,
            outstanding_amount: 70,
            status: "customer_owes",
          })
        )
        const read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(expect.objectContaining({ refunded_amount: 70, refundable_amount: 30 }))

        const tooBig = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "chargeback", amount: 30.01, parent_id: payment.id }],
        })
        expect(tooBig.status).toBe(400)
        expect(tooBig.data).toEqual(expect.objectContaining({ code: "AMOUNT_EXCEEDS_REFUNDABLE", refundable_amount: 30 }))
        const refundTooBig = await refund(payment.id, { amount: 31 })
        expect(refundTooBig.status).toBe(400)
        expect(refundTooBig.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")

        const [pending] = await record(order.id, [{ kind: "payment", amount: 10, status: "pending" }])
        const onPending = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "chargeback", amount: 5, parent_id: pending.id }],
        })
        expect(onPending.status).toBe(400)
        expect(onPending.data.code).toBe("NOT_REFUNDABLE")

        // The refund workflow can record a guarded chargeback too.
        const { result } = await refundLedgerTransactionWorkflow(getContainer()).run({
          input: { transaction_id: payment.id, kind: "chargeback", previously_refunded_amount: 70 },
        })
        const rows = await ledgerRows(getContainer(), order.id)
        expect(rows.find((r) => r.id === result.transaction_id)).toEqual(
          expect.objectContaining({ kind: "chargeback", status: "succeeded", parent_id: payment.id })
        )
        expect(dec(rows.find((r) => r.id === result.transaction_id)!.amount!)).toBe("-30")
        const { balance } = await expectBooksAgree(order.id)
        expect(balance.chargeback_total).toBe("80")
        expect(balance.net_paid).toBe("0")
      })

      it("voids an authorization and a pending payment (which moves to failed)", async () => {
        const order = await createOrder(getContainer(), { total: 100 })
        const [auth, pending, paid] = await record(order.id, [
          { kind: "authorization", amount: 100, payment_method: "card" },
          { kind: "payment", amount: 40, status: "pending", payment_method: "bank_transfer" },
          { kind: "payment", amount: 10 },
        ])
        let bal = await get(`/admin/orders/${order.id}/balance`)
        expect(bal.data.balance).toEqual(expect.objectContaining({ authorized_total: 100, pending_total: 40, paid_total: 10 }))

        const voidAuth = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "void", amount: 60, parent_id: auth.id, reason: "Order changed" }],
        })
        expect(voidAuth.status).toBe(200)
        expect(voidAuth.data.transactions[0]).toEqual(expect.objectContaining({ kind: "void", amount: -60 }))
        expect(voidAuth.data.balance.authorized_total).toBe(40)
        const overVoid = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "void", amount: 40.01, parent_id: auth.id }],
        })
        expect(overVoid.status).toBe(400)
        expect(overVoid.data.code).toBe("INVALID_DATA")

        const voidPending = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "void", amount: 40, parent_id: pending.id }],
        })
        expect(voidPending.status).toBe(200)
        expect(voidPending.data.balance).toEqual(
          expect.objectContaining({ pending_total: 0, paid_total: 10, outstanding_amount: 90, authorized_total: 40 })
        )
        const pendingNow = await get(`/admin/order-transactions/${pending.id}`)
        expect(pendingNow.data.transaction.status).toBe("failed")

        const voidPaid = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "void", amount: 10, parent_id: paid.id }],
        })
        expect(voidPaid.status).toBe(400)
        expect(voidPaid.data.code).toBe("INVALID_DATA")
        const voidPartOfPending = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "void", amount: 5, parent_id: pending.id }],
        })
        expect(voidPartOfPending.status).toBe(400)

        bal = await get(`/admin/orders/${order.id}/balance`)
        expect(bal.data.balance).toEqual(
          expect.objectContaining({ authorized_total: 40, pending_total: 0, paid_total: 10, net_paid: 10 })
        )
        const rows = await ledgerRows(getContainer(), order.id)
        expect(rows.map((r) => [r.kind, r.status, dec(r.amount!)]).sort()).toEqual([
          ["authorization", "succeeded", "100"],
          ["payment", "failed", "40"],
          ["payment", "succeeded", "10"],
          ["void", "succeeded", "-40"],
          ["void", "succeeded", "-60"],
        ])
        await expectBooksAgree(order.id)
      })

      it("answers INVALID_DATA or NOT_REFUNDABLE for chargebacks and voids with the wrong parent", async () => {
        const { order, payment } = await paidOrder(100)
        const [auth] = await record(order.id, [{ kind: "authorization", amount: 50 }])
        const refundRes = await refund(payment.id, { amount: 10 })
        expect(refundRes.status).toBe(200)
        const cases: [Record<string, unknown>, number, string][] = [
          [{ kind: "chargeback", amount: 5 }, 400, "INVALID_DATA"],
          [{ kind: "void", amount: 5 }, 400, "INVALID_DATA"],
          [{ kind: "chargeback", amount: 5, parent_id: auth.id }, 400, "NOT_REFUNDABLE"],
          [{ kind: "chargeback", amount: 5, parent_id: refundRes.data.transaction.id }, 400, "NOT_REFUNDABLE"],
          [{ kind: "void", amount: 5, parent_id: refundRes.data.transaction.id }, 400, "INVALID_DATA"],
          [{ kind: "chargeback", amount: 5, parent_id: "oltx_missing" }, 404, "NOT_FOUND"],
          [{ kind: "void", amount: 5, parent_id: "oltx_missing" }, 404, "NOT_FOUND"],
          [{ kind: "chargeback", amount: 1.001, parent_id: payment.id }, 400, "INVALID_DATA"],
          [{ kind: "chargeback", amount: -5, parent_id: payment.id }, 400, "INVALID_DATA"],
        ]
        for (const [transaction, status, code] of cases) {
          const res = await post(`/admin/orders/${order.id}/transactions`, { transactions: [transaction] })
          expect({ transaction, status: res.status, code: res.data.code }).toEqual({ transaction, status, code })
        }
        // A chargeback on another order's payment is not found on this order.
        const other = await createOrder(getContainer(), { total: 10 })
        const cross = await post(`/admin/orders/${other.id}/transactions`, {
          transactions: [{ kind: "chargeback", amount: 5, parent_id: payment.id }],
        })
        expect(cross.status).toBe(404)
        expect(cross.data.code).toBe("NOT_FOUND")
        expect(await ledgerRows(getContainer(), order.id)).toHaveLength(3)
        expect(await ledgerRows(getContainer(), other.id)).toHaveLength(0)
      })

      it("a pending chargeback holds its amount and frees it when it fails", async () => {
        const { order, payment } = await paidOrder(100)
        const [cb] = await record(order.id, [
          { kind: "chargeback", amount: 60, status: "pending", parent_id: payment.id, reason: "dispute opened" },
        ])
        let read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(expect.objectContaining({ refunded_amount: 60, pending_refund_amount: 60, refundable_amount: 40 }))
        const over = await refund(payment.id, { amount: 41 })
        expect(over.status).toBe(400)
        expect(over.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")

        const won = await post(`/admin/order-transactions/${cb.id}`, { status: "failed", message: "Dispute won" })
        expect(won.status).toBe(200)
        expect(won.data.balance).toEqual(expect.objectContaining({ chargeback_total: 0, pending_total: 0, net_paid: 100 }))
        read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(expect.objectContaining({ refunded_amount: 0, refundable_amount: 100 }))
        await expectBooksAgree(order.id)
      })

      it("10 concurrent chargebacks of 15.00 on 100.00: exactly 6 are recorded", async () => {
        const { order, payment } = await paidOrder(100)
        const chargeback = () =>
          post(`/admin/orders/${order.id}/transactions`, {
            transactions: [{ kind: "chargeback", amount: 15, parent_id: payment.id }],
          })
        const answers = await Promise.all(Array.from({ length: 10 }, chargeback))
        // "Retry later" (409 CONCURRENT_REQUEST, nothing written) is retried as a client would.
        for (let round = 0; round < 20 && answers.some((r) => r.data?.code === "CONCURRENT_REQUEST"); round++) {
          for (const [i, r] of answers.entries()) {
            if (r.data?.code === "CONCURRENT_REQUEST") {
              answers[i] = await chargeback()
            }
          }
        }
        for (const r of answers) {
          expect([200, 400]).toContain(r.status)
        }
        expect(answers.filter((r) => r.status === 200)).toHaveLength(6)
        expect(answers.filter((r) => r.status === 400 && r.data.code === "AMOUNT_EXCEEDS_REFUNDABLE")).toHaveLength(4)
        const { balance } = await expectBooksAgree(order.id)
        expect(dec(balance.chargeback_total)).toBe("90")
      })

      it("a chargeback on a payment from Medusa stays in the ledger and Medusa's order transactions, no Medusa refund", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        const { payment_id, capture_id } = await captureMedusaPayment(container, order.id, 100)
        const payment = await mirroredCapture(container, order.id, capture_id)
        expect(payment).toEqual(expect.objectContaining({ kind: "payment", reference: "capture" }))
        const cb = await post(`/admin/orders/${order.id}/transactions`, {
          transactions: [{ kind: "chargeback", amount: 40, parent_id: payment!.id, reason: "fraudulent" }],
        })
        expect(cb.status).toBe(200)
        expect(await container.resolve(Modules.PAYMENT).listRefunds({ payment_id })).toHaveLength(0)
        const core = await container
          .resolve(Modules.ORDER)
          .listOrderTransactions({ order_id: order.id }, { select: ["amount", "reference", "reference_id"] })
        expect(core.filter((t) => t.reference === "order_ledger").map((t) => [dec(String(t.amount)), t.reference_id])).toEqual([
          ["-40", cb.data.transactions[0].id],
        ])
        const { balance, summary } = await expectBooksAgree(order.id)
        expect(dec(balance.chargeback_total)).toBe("40")
        expect(summary.pending_difference).toBe(40)

        // A refund through Medusa is now bounded by the 60.00 the chargeback left.
        const over = await refund(payment!.id as string, { amount: 60.01 })
        expect(over.status).toBe(400)
        expect(over.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")
        expect(await container.resolve(Modules.PAYMENT).listRefunds({ payment_id })).toHaveLength(0)
      })
    })
  },
})
