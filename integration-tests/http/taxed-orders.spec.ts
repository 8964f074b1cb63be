import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MathBN } from "@medusajs/framework/utils"
import { createAdminHeaders } from "../helpers/admin"
import { checkout, medusaPayments, setUpCheckoutStore, waitFor, type CheckoutStore } from "../helpers/checkout"

jest.setTimeout(240_000)

type Row = Record<string, any>
const dec = (v: unknown) => MathBN.convert((v as { value?: string })?.value ?? (v as string)).toFixed()

/**
 * Real stores have percentage taxes: 19% VAT on a €20.99 item is an order total of €24.9781,
 * and Medusa authorizes and captures exactly that. The ledger mirrors Medusa's amounts exactly,
 * takes typed amounts at the currency's decimals, and settles what rounds to zero in euros.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, utils }) => {
    describe("Taxed orders (19% VAT, totals beyond the currency's decimals)", () => {
      let admin: { headers: Record<string, string> }
      let store: CheckoutStore

      beforeEach(async () => {
        admin = await createAdminHeaders(getContainer())
        store = await setUpCheckoutStore(api, admin, { unit_price: 20.99, currency_code: "eur", country_code: "de", tax_rate: 19 })
      })

      const ledgerRows = async (orderId: string): Promise<Row[]> =>
        (await api.get(`/admin/orders/${orderId}/transactions?limit=100&order=created_at`, admin)).data.transactions
      const balance = async (orderId: string) => (await api.get(`/admin/orders/${orderId}/balance`, admin)).data.balance
      const medusaOrder = async (orderId: string) =>
        (await api.get(`/admin/orders/${orderId}?fields=id,total,payment_status,summary.*,transactions.*`, admin)).data.order

      /** Every formatted figure of a balance and its rows: none is a negative zero. */
      const expectNoNegativeZero = (values: unknown[]) => {
        for (const value of values) {
          if (typeof value === "string") {
            expect(value).not.toMatch(/^-\D*0[.,]00\b/)
          }
        }
      }

      /** The ledger and Medusa agree: outstanding within rounding, the seeds' refund recipe equals refunded_total. */
      const expectAgreement = async (orderId: string) => {
        await utils.waitWorkflowExecutions()
        const b = await balance(orderId)
        const o = await medusaOrder(orderId)
        // Medusa's summary zeroes a difference within its currency epsilon; the ledger keeps it exact
        // and calls it settled. Both agree in euros.
        const pending = dec(o.summary.raw_pending_difference ?? o.summary.pending_difference)
        const cents = (v: string) => MathBN.convert(v).decimalPlaces(2, 4).abs().isZero() ? "0" : MathBN.convert(v).decimalPlaces(2, 4).toFixed(2)
        expect(cents(dec(b.outstanding_amount))).toBe(cents(pending))
        const recipe = (o.transactions as Row[])
          .filter((t) => t.reference === "refund")
          .reduce((sum: ReturnType<typeof MathBN.convert>, t) => MathBN.add(sum, MathBN.abs(dec(t.raw_amount ?? t.amount))), MathBN.convert(0))
        expect(recipe.toFixed()).toBe(dec(b.refunded_total))
        expectNoNegativeZero(Object.values(b))
        return { balance: b, order: o }
      }

      it("mirrors checkout, Medusa's capture and a partial refund exactly, and settles both orders", async () => {
        // Order A: checkout authorizes 24.9781, Medusa's own capture takes it, the ledger refunds €5.
        const a = await checkout(api, store)
        const { data: orderA } = await api.get(`/admin/orders/${a.order_id}?fields=id,total`, admin)
        expect(dec(orderA.order.total)).toBe("24.9781")

        const [paymentA] = await medusaPayments(api, admin, a.order_id)
        expect(dec(paymentA.amount)).toBe("24.9781")
        await api.post(`/admin/payments/${paymentA.id}/capture`, {}, admin)
        const captured = await waitFor("the capture mirrored", async () => {
          const rows = await ledgerRows(a.order_id)
          return rows.find((r) => r.kind === "payment" && r.reference === "capture")
        })
        const authA = (await ledgerRows(a.order_id)).find((r) => r.kind === "authorization")
        expect(dec(authA!.amount)).toBe("24.9781")
        expect(dec(captured.amount)).toBe("24.9781")
        expect((await balance(a.order_id)).status).toBe("settled")

        // Typed amounts still follow the currency's decimals.
        const bad = await api
          .post(`/admin/order-transactions/${captured.id}/refunds`, { amount: "5.001" }, admin)
          .catch((e: { response: unknown }) => e.response as { status: number; data: Row })
        expect(bad.status).toBe(400)
        expect(bad.data.code).toBe("INVALID_DATA")
        expect(bad.data.message).toContain("amount")

        const refund = await api.post(`/admin/order-transactions/${captured.id}/refunds`, { amount: 5 }, admin)
        expect(refund.status).toBe(200)
        const [afterRefund] = await medusaPayments(api, admin, a.order_id)
        expect(afterRefund.refunds.map((r) => dec(r.amount))).toEqual(["5"])
        const { balance: endA } = await expectAgreement(a.order_id)
        expect(dec(endA.refunded_total)).toBe("5")

        // Order B: checkout authorizes 24.9781, the customer pays €24.98 in cash at the counter.
        const b = await checkout(api, store, { email: "second@ledger.test" })
        await waitFor("the authorization mirrored", async () => (await ledgerRows(b.order_id)).find((r) => r.kind === "authorization"))
        const cash = await api.post(
          `/admin/orders/${b.order_id}/transactions`,
          { transactions: [{ kind: "payment", amount: "24.98", payment_method: "cash" }] },
          admin
        )
        expect(cash.status).toBe(200)
        const { balance: endB, order: medusaB } = await expectAgreement(b.order_id)
        expect(endB.status).toBe("settled")
        expect(dec(endB.outstanding_amount)).toBe("-0.0019")
        expect(endB.formatted_outstanding_amount).toBe("€0.00")
        // The cash is a captured Medusa payment through the system provider, as "mark as paid" makes it.
        const cashRow = (await ledgerRows(b.order_id)).find((r) => r.kind === "payment")
        expect(cashRow!.medusa_payment_id).toMatch(/^pay_/)
        const payments = await medusaPayments(api, admin, b.order_id)
        const carried = payments.find((p) => p.id === cashRow!.medusa_payment_id)
        expect(carried!.captures.map((c) => dec(c.amount))).toEqual(["24.98"])
        expect(medusaB.payment_status).not.toBe("not_paid")

        // The reconcile finds nothing to add and does not mirror the cash's Medusa payment back.
        const again = await api.post(`/admin/order-transactions/reconcile`, { order_ids: [a.order_id, b.order_id] }, admin)
        expect(again.data.created).toBe(0)
        expect((await ledgerRows(b.order_id)).filter((r) => r.kind === "payment")).toHaveLength(1)
        await expectAgreement(b.order_id)
      })
    })
  },
})
