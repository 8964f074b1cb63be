import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MathBN } from "@medusajs/framework/utils"
import { createAdminHeaders } from "../helpers/admin"
import { settle } from "../helpers/http"
import { createOrder } from "../helpers/orders"

jest.setTimeout(180_000)

type Row = Record<string, any>
const dec = (v: unknown) => MathBN.convert((v as { value?: string })?.value ?? (v as string)).toFixed()

/**
 * A chargeback the merchant wins and a refund that bounces are forward-only `reversal` rows:
 * the reversed row is never edited, and the balance, Medusa's books and the refundable amount
 * follow.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, utils }) => {
    describe("POST /admin/order-transactions/:id/reversals", () => {
      let admin: { headers: Record<string, string> }

      beforeEach(async () => {
        admin = await createAdminHeaders(getContainer())
      })

      const record = async (orderId: string, item: Row) =>
        (await api.post(`/admin/orders/${orderId}/transactions`, { transactions: [item] }, admin)).data.transactions[0]
      const figures = async (orderId: string) => {
        await utils.waitWorkflowExecutions()
        const { data: b } = await api.get(`/admin/orders/${orderId}/balance`, admin)
        const { data: o } = await api.get(`/admin/orders/${orderId}?fields=id,summary.*,transactions.*`, admin)
        const refundRecipe = (o.order.transactions as Row[])
          .filter((t) => t.reference === "refund")
          .reduce((sum: ReturnType<typeof MathBN.convert>, t) => MathBN.add(sum, MathBN.abs(dec(t.raw_amount ?? t.amount))), MathBN.convert(0))
        return {
          outstanding: dec(b.balance.outstanding_amount),
          medusa_pending_difference: dec(o.order.summary.raw_pending_difference ?? o.order.summary.pending_difference),
          reversed_total: dec(b.balance.reversed_total),
          refunded_total: dec(b.balance.refunded_total),
          refund_recipe: refundRecipe.toFixed(),
          status: b.balance.status,
        }
      }
      const refundable = async (paymentId: string) =>
        dec((await api.get(`/admin/order-transactions/${paymentId}`, admin)).data.transaction.refundable_amount)

      it("reverses a won chargeback and a bounced refund; the original rows stay as they were", async () => {
        const order = await createOrder(getContainer(), { total: 100 })
        const payment = await record(order.id, { kind: "payment", amount: 100, payment_method: "bank_transfer" })
        const chargeback = await record(order.id, { kind: "chargeback", amount: 30, parent_id: payment.id, reason: "fraud" })
        expect(await figures(order.id)).toMatchObject({ outstanding: "30", medusa_pending_difference: "30", status: "customer_owes" })
        expect(await refundable(payment.id)).toBe("70")

        // The merchant wins the dispute: all of the chargeback comes back.
        const won = await api.post(`/admin/order-transactions/${chargeback.id}/reversals`, { reason: "Dispute won" }, admin)
        expect(won.status).toBe(200)
        expect(won.data.transaction).toMatchObject({ kind: "reversal", status: "succeeded", parent_id: chargeback.id, reason: "Dispute won" })
        expect(dec(won.data.transaction.amount)).toBe("30")
        expect(await figures(order.id)).toMatchObject({
          outstanding: "0",
          medusa_pending_difference: "0",
          reversed_total: "30",
          status: "settled",
        })
        expect(await refundable(payment.id)).toBe("100")
        const { data: original } = await api.get(`/admin/order-transactions/${chargeback.id}`, admin)
        expect(original.transaction).toMatchObject({ kind: "chargeback", status: "succeeded" })
        expect(dec(original.transaction.amount)).toBe("-30")

        // Nothing is left to reverse on it now.
        const twice = await settle(api.post(`/admin/order-transactions/${chargeback.id}/reversals`, {}, admin))
        expect(twice.status).toBe(400)
        expect(twice.data.code).toBe("INVALID_DATA")

        // A refund of $20 bounces.
        const refund = await api.post(`/admin/order-transactions/${payment.id}/refunds`, { amount: 20 }, admin)
        expect(await figures(order.id)).toMatchObject({ refunded_total: "20", outstanding: "20", medusa_pending_difference: "20" })
        const tooMuch = await settle(
          api.post(`/admin/order-transactions/${refund.data.transaction.id}/reversals`, { amount: 25 }, admin)
        )
        expect(tooMuch.status).toBe(400)
        expect(tooMuch.data.message).toContain("amount")
        const bounced = await api.post(
          `/admin/order-transactions/${refund.data.transaction.id}/reversals`,
          { amount: 20, reason: "Refund bounced" },
          admin
        )
        expect(bounced.status).toBe(200)
        const end = await figures(order.id)
        expect(end.outstanding).toBe(end.medusa_pending_difference)
        expect(end).toMatchObject({ reversed_total: "50", status: "settled" })
        expect(await refundable(payment.id)).toBe("100")

        // Only a succeeded refund or chargeback can be reversed.
        const ofPayment = await settle(api.post(`/admin/order-transactions/${payment.id}/reversals`, {}, admin))
        expect(ofPayment.status).toBe(400)
        expect(ofPayment.data.code).toBe("INVALID_DATA")
        const unknown = await settle(api.post(`/admin/order-transactions/oltx_missing/reversals`, {}, admin))
        expect(unknown.status).toBe(404)
        const badAmount = await settle(api.post(`/admin/order-transactions/${chargeback.id}/reversals`, { amount: -1 }, admin))
        expect(badAmount.status).toBe(400)
        expect(badAmount.data.message).toContain("amount")
      })
    })
  },
})
