import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { captureLedgerAuthorizationWorkflow } from "../../src/workflows/workflows/capture-ledger-authorization"
import { captureAmount } from "../../src/workflows/steps/capture-validate-ledger-authorization"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"
import { createAdminHeaders } from "../helpers/admin"
import { checkout, setUpCheckoutStore, waitFor, type CheckoutStore } from "../helpers/checkout"
import { settle, type Res } from "../helpers/http"

jest.setTimeout(240_000)

type Row = Record<string, any>

/** An exact decimal string of a number, a decimal string or Medusa's `raw_` object. */
const dec = (v: unknown) => MathBN.convert((v as { value?: string })?.value ?? (v as string)).toFixed()
const sum = (values: unknown[]) =>
  values.reduce<ReturnType<typeof MathBN.convert>>((t, v) => MathBN.add(t, dec(v)), MathBN.convert(0)).toFixed()

/** A payment provider's methods the tests count calls of. */
type ProviderLike = {
  capturePayment: (...args: unknown[]) => Promise<unknown>
  cancelPayment: (...args: unknown[]) => Promise<unknown>
}

/**
 * Medusa's system payment provider as the payment module calls it. Read through the module's
 * provider service (not a public API): the tests spy on it to see the provider really called.
 */
function systemProvider(container: MedusaContainer): ProviderLike {
  const payments = container.resolve(Modules.PAYMENT) as unknown as {
    paymentProviderService_: { retrieveProvider(id: string): ProviderLike }
  }
  return payments.paymentProviderService_.retrieveProvider("pp_system_default")
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, utils }) => {
    let admin: { headers: Record<string, string> }
    let store: CheckoutStore

    const post = (url: string, body: unknown = {}, options = admin) => settle(api.post(url, body, options))
    const capture = (id: string, body: unknown = {}) => post(`/admin/order-transactions/${id}/capture`, body)
    const voidAuth = (id: string, body: unknown = {}) => post(`/admin/order-transactions/${id}/void`, body)

    const ledgerRows = async (orderId: string): Promise<Row[]> =>
      (await api.get(`/admin/orders/${orderId}/transactions?limit=100&order=created_at`, admin)).data.transactions

    /** Medusa's payment of an order (checkout makes one), with its captures and its collection's status. */
    const medusaPayment = async (orderId: string): Promise<Row> => {
      const fields = [
        "id",
        "payment_status",
        "payment_collections.status",
        "payment_collections.payments.id",
        "payment_collections.payments.amount",
        "payment_collections.payments.captured_at",
        "payment_collections.payments.canceled_at",
        "payment_collections.payments.captures.id",
        "payment_collections.payments.captures.amount",
        "payment_collections.payments.captures.created_by",
      ].join(",")
      const { data } = await api.get(`/admin/orders/${orderId}?fields=${fields}`, admin)
      const [collection] = data.order.payment_collections as Row[]
      const [payment] = collection.payments as Row[]
      return { ...payment, collection_status: collection.status, order_payment_status: data.order.payment_status }
    }

    /** The ledger's outstanding amount and Medusa's own pending_difference, exact. */
    const figures = async (orderId: string) => {
      const { data: b } = await api.get(`/admin/orders/${orderId}/balance`, admin)
      const { data: o } = await api.get(`/admin/orders/${orderId}?fields=id,summary.*`, admin)
      return {
        ledger_outstanding: dec(b.balance.outstanding_amount),
        medusa_pending_difference: dec(o.order.summary.raw_pending_difference ?? o.order.summary.pending_difference),
      }
    }

    /**
     * After an action: background work (the payment.captured subscriber's reconcile) is done, the
     * ledger balance agrees with Medusa's summary, every Medusa capture is in the ledger exactly
     * once, and a reconcile finds nothing to add.
     */
    const expectInStep = async (orderId: string, label: string) => {
      await utils.waitWorkflowExecutions()
      const f = await figures(orderId)
      console.log(`[provider-actions] ${label}: ${JSON.stringify(f)}`)
      expect(f.ledger_outstanding).toBe(f.medusa_pending_difference)
      const { data: again } = await api.post(`/admin/order-transactions/reconcile`, { order_ids: [orderId] }, admin)
      expect(again).toMatchObject({ orders: 1, created: 0, failed: [] })
      const rows = await ledgerRows(orderId)
      const payment = await medusaPayment(orderId)
      const count = (reference: string, id: string) =>
        rows.filter((r) => r.reference === reference && r.reference_id === id).length
      expect(count("payment", payment.id)).toBe(1)
      for (const c of payment.captures as Row[]) {
        expect([c.id, count("capture", c.id)]).toEqual([c.id, 1])
      }
      expect(count("payment_canceled", payment.id)).toBe(payment.canceled_at ? 1 : 0)
      // Medusa's core order transactions: one per capture (added by Medusa's capture flow, never
      // a second one by the ledger), of the capture's amount.
      const core = await getContainer()
        .resolve(Modules.ORDER)
        .listOrderTransactions({ order_id: orderId }, { select: ["id", "amount", "reference", "reference_id"] })
      expect(core.map((t) => [t.reference, t.reference_id, dec(t.amount)]).sort()).toEqual(
        (payment.captures as Row[]).map((c) => ["capture", c.id, dec(c.amount)]).sort()
      )
      return { rows, payment }
    }

    /** An order placed through the store's checkout, and its ledger authorization. */
    const checkedOut = async (quantity = 1) => {
      const { order_id } = await checkout(api, store, { quantity })
      const auth = await waitFor("the authorization in the ledger", async () =>
        (await ledgerRows(order_id)).find((r) => r.kind === "authorization")
      )
      await utils.waitWorkflowExecutions()
      return { order_id, auth }
    }

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
      store = await setUpCheckoutStore(api, admin, { unit_price: 150 })
    })

    afterEach(() => {
      jest.restoreAllMocks()
    })

    describe("POST /admin/order-transactions/:id/capture", () => {
      it("captures all that is left at the provider, once in the ledger, with Medusa's books in step", async () => {
        const { order_id, auth } = await checkedOut()
        const provider = jest.spyOn(systemProvider(getContainer()), "capturePayment")
        const res = await capture(auth.id)
        expect(res.status).toBe(200)
        expect(provider).toHaveBeenCalledTimes(1)

        const payment = await medusaPayment(order_id)
        expect(payment.captured_at).not.toBeNull()
        expect(payment.captures).toHaveLength(1)
        expect(dec(payment.captures[0].amount)).toBe("150")
        expect(payment.captures[0].created_by).toMatch(/^user_/)
        expect(payment.collection_status).toBe("completed")

        expect(res.data.transaction).toMatchObject({
          kind: "payment",
          status: "succeeded",
          amount: 150,
          currency_code: "usd",
          reference: "capture",
          reference_id: payment.captures[0].id,
          parent_id: auth.id,
          gateway: auth.gateway,
          payment_method: auth.payment_method,
          card_brand: auth.card_brand,
          card_last4: auth.card_last4,
          metadata: { medusa_payment_id: payment.id },
        })
        expect(res.data.balance).toMatchObject({
          order_id,
          paid_total: 150,
          authorized_total: 0,
          outstanding_amount: 0,
          status: "settled",
        })

        const { rows } = await expectInStep(order_id, "after a full capture")
        expect(rows.map((r) => r.kind)).toEqual(["authorization", "payment"])

        // Nothing is left: a second capture is refused before the provider is called.
        const again = await capture(auth.id)
        expect(again.status).toBe(400)
        expect(again.data).toMatchObject({ code: "INVALID_DATA", type: "invalid_data" })
        expect(again.data.message).toMatch(/Nothing is left to capture/)
        expect(provider).toHaveBeenCalledTimes(1)

        // A captured payment cannot be canceled by Medusa.
        const voided = await voidAuth(auth.id)
        expect(voided.status).toBe(400)
        expect(voided.data.code).toBe("INVALID_DATA")
        expect(voided.data.message).toMatch(/Medusa cannot cancel payment .* it has captures/)
        expect((await medusaPayment(order_id)).canceled_at).toBeNull()
        expect(await ledgerRows(order_id)).toHaveLength(2)
      })

      it("captures in part, leaves the rest authorized, and a capture without amount takes the rest", async () => {
        const { order_id, auth } = await checkedOut()

        const first = await capture(auth.id, { amount: "40.50" })
        expect(first.status).toBe(200)
        expect(first.data.transaction).toMatchObject({ kind: "payment", amount: 40.5, parent_id: auth.id, reference: "capture" })
        expect(first.data.balance).toMatchObject({ paid_total: 40.5, authorized_total: 109.5, outstanding_amount: 109.5 })
        let payment = await medusaPayment(order_id)
        expect(payment.captured_at).toBeNull()
        expect(payment.captures.map((c: Row) => dec(c.amount))).toEqual(["40.5"])
        await expectInStep(order_id, "after a partial capture")

        // More than is left is refused, and so is an amount with more decimals than USD has.
        const tooMuch = await capture(auth.id, { amount: 110 })
        expect(tooMuch.status).toBe(400)
        expect(tooMuch.data).toMatchObject({ code: "INVALID_DATA" })
        expect(tooMuch.data.message).toMatch(/exceeds what is left on authorization/)
        const tooPrecise = await capture(auth.id, { amount: "10.005" })
        expect(tooPrecise.status).toBe(400)
        expect(tooPrecise.data.code).toBe("INVALID_DATA")
        expect(tooPrecise.data.message).toMatch(/decimals/)

        const rest = await capture(auth.id)
        expect(rest.status).toBe(200)
        expect(rest.data.transaction).toMatchObject({ kind: "payment", amount: 109.5, parent_id: auth.id })
        expect(rest.data.balance).toMatchObject({ paid_total: 150, authorized_total: 0, outstanding_amount: 0, status: "settled" })
        payment = await medusaPayment(order_id)
        expect(payment.captured_at).not.toBeNull()
        expect(sum(payment.captures.map((c: Row) => c.amount))).toBe("150")
        expect(payment.captures.map((c: Row) => c.id).sort()).toEqual(
          [first.data.transaction.reference_id, rest.data.transaction.reference_id].sort()
        )

        const { rows } = await expectInStep(order_id, "after capturing the rest")
        expect(rows.map((r) => r.kind)).toEqual(["authorization", "payment", "payment"])
      })

      it("10 racing captures never capture more than the authorization holds", async () => {
        const { order_id, auth } = await checkedOut()
        const answers: Res[] = await Promise.all(
          Array.from({ length: 10 }, () => capture(auth.id, { amount: 40 }))
        )
        const statuses = answers.map((r) => r.status)
        console.log(`[provider-actions] race statuses: ${JSON.stringify(statuses)} codes: ${JSON.stringify(answers.map((r) => r.data?.code ?? null))}`)
        for (const r of answers) {
          expect([200, 400, 409]).toContain(r.status)
          if (r.status !== 200) {
            expect(["INVALID_DATA", "CONCURRENT_REQUEST"]).toContain(r.data.code)
            expect(r.data.code).toBe(r.status === 400 ? "INVALID_DATA" : "CONCURRENT_REQUEST")
          }
        }
        const won = answers.filter((r) => r.status === 200)
        expect(won.length).toBeGreaterThanOrEqual(1)
        expect(won.length).toBeLessThanOrEqual(3)

        const { rows, payment } = await expectInStep(order_id, "after 10 racing captures")
        const medusaCaptured = sum((payment.captures as Row[]).map((c) => c.amount))
        expect(MathBN.lte(medusaCaptured, 150)).toBe(true)
        expect(medusaCaptured).toBe(sum(won.map(() => 40)))
        const ledgerCaptured = sum(rows.filter((r) => r.kind === "payment" && r.reference === "capture").map((r) => r.amount))
        expect(ledgerCaptured).toBe(medusaCaptured)
        expect(new Set(won.map((r) => r.data.transaction.id)).size).toBe(won.length)

        // What is left (30 after 3 captures) is still capturable, exactly.
        const rest = await capture(auth.id)
        expect(rest.status).toBe(200)
        expect(dec(rest.data.transaction.amount)).toBe(MathBN.sub(150, medusaCaptured).toFixed())
        const after = await expectInStep(order_id, "after capturing what the race left")
        expect(sum((after.payment.captures as Row[]).map((c) => c.amount))).toBe("150")
        expect(after.payment.captured_at).not.toBeNull()
      })

      it("answers the row the subscriber mirrored first instead of recording a second one", async () => {
        const container = getContainer()
        const { order_id, auth } = await checkedOut()
        // The payment.captured subscriber's reconcile mirroring the capture between Medusa's
        // capture flow and the ledger write (it writes through the module, as the reconcile does).
        let mirroredId: string | null = null
        const workflow = captureLedgerAuthorizationWorkflow(container)
        workflow.insertActionAfter("capture-payment-workflow-as-step", "mirror-like-the-subscriber", {
          invoke: async function mirrorLikeTheSubscriber() {
            const payment = await container.resolve(Modules.PAYMENT).retrievePayment(auth.reference_id, { relations: ["captures"] })
            const [c] = payment.captures ?? []
            const result = await container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE).recordTransactions({
              order: { id: order_id, currency_code: "usd", total: 150 },
              transactions: [
                {
                  kind: "payment",
                  amount: c.amount as number,
                  parent_id: auth.id,
                  reference: "capture",
                  reference_id: c.id,
                  gateway: payment.provider_id,
                  metadata: { medusa_payment_id: payment.id },
                },
              ],
            })
            mirroredId = result.transaction_ids[0]
            return mirroredId
          },
        })
        const { result } = await workflow.run({ input: { transaction_id: auth.id, amount: 60 } })
        expect(mirroredId).toMatch(/^oltx_/)
        expect(result).toMatchObject({ order_id, transaction_id: mirroredId, created: false })

        const payment = await medusaPayment(order_id)
        expect(payment.captures).toHaveLength(1)
        expect(result.medusa_capture_id).toBe(payment.captures[0].id)
        const rows = await ledgerRows(order_id)
        expect(rows.filter((r) => r.reference === "capture")).toEqual([
          expect.objectContaining({ id: mirroredId, amount: 60, reference_id: payment.captures[0].id }),
        ])
        // Medusa's own books kept the capture's core order transaction.
        await expectInStep(order_id, "after a capture the subscriber mirrored first")
      })
      it("with an Idempotency-Key, a repeat answers the first capture and calls no provider", async () => {
        const { order_id, auth } = await checkedOut()
        const provider = jest.spyOn(systemProvider(getContainer()), "capturePayment")
        const key = { headers: { ...admin.headers, "Idempotency-Key": `capture-${order_id}` } }
        const first = await post(`/admin/order-transactions/${auth.id}/capture`, { amount: 30 }, key)
        expect(first.status).toBe(200)
        const again = await post(`/admin/order-transactions/${auth.id}/capture`, { amount: 30 }, key)
        expect(again.status).toBe(200)
        expect(again.data).toEqual(first.data)
        expect(provider).toHaveBeenCalledTimes(1)
        expect((await medusaPayment(order_id)).captures).toHaveLength(1)

        const other = await post(`/admin/order-transactions/${auth.id}/capture`, { amount: 31 }, key)
        expect(other.status).toBe(409)
        expect(other.data.code).toBe("IDEMPOTENCY_KEY_MISMATCH")
        expect(provider).toHaveBeenCalledTimes(1)
        const { rows } = await expectInStep(order_id, "after an idempotent capture repeated")
        expect(rows.filter((r) => r.kind === "payment")).toHaveLength(1)
      })

      it("refuses to capture while the ledger and Medusa disagree on what is left", async () => {
        const container = getContainer()
        const { order_id, auth } = await checkedOut()
        // A capture made in Medusa that the ledger has not mirrored yet (no event, so no subscriber).
        await container.resolve(Modules.PAYMENT).capturePayment({ payment_id: auth.reference_id, amount: 50 })
        const provider = jest.spyOn(systemProvider(container), "capturePayment")
        const behind = await capture(auth.id, { amount: 10 })
        expect(behind.status).toBe(409)
        expect(behind.data).toMatchObject({
          code: "CONCURRENT_REQUEST",
          authorization_remaining_amount: 150,
          medusa_remaining_amount: 100,
        })
        expect(behind.data.message).toMatch(/not in the ledger yet/)
        expect(provider).not.toHaveBeenCalled()

        // Once the reconcile has mirrored it, the rest can be captured.
        const { data: reconciled } = await api.post(`/admin/order-transactions/reconcile`, { order_ids: [order_id] }, admin)
        expect(reconciled.created).toBe(1)
        const rest = await capture(auth.id)
        expect(rest.status).toBe(200)
        expect(rest.data.transaction.amount).toBe(100)
        const payment = await medusaPayment(order_id)
        expect(sum(payment.captures.map((c: Row) => c.amount))).toBe("150")
        expect(payment.captured_at).not.toBeNull()

        // A capture recorded by hand against a Medusa authorization is unknown to the provider.
        const next = await checkedOut()
        const order = { id: next.order_id, currency_code: "usd", total: 150 }
        await container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE).recordTransactions({
          order,
          transactions: [{ kind: "payment", amount: 20, parent_id: next.auth.id }],
        })
        const ahead = await capture(next.auth.id)
        expect(ahead.status).toBe(400)
        expect(ahead.data).toMatchObject({ code: "INVALID_DATA", authorization_remaining_amount: 130, medusa_remaining_amount: 150 })
        expect(ahead.data.message).toMatch(/recorded by hand/)
        expect(provider).toHaveBeenCalledTimes(1)
      })

      it("records nothing and keeps Medusa's books when the provider refuses the capture", async () => {
        const { order_id, auth } = await checkedOut()
        jest.spyOn(systemProvider(getContainer()), "capturePayment").mockRejectedValueOnce(new Error("Card declined"))
        const refused = await capture(auth.id, { amount: 25 })
        expect(refused.status).toBeGreaterThanOrEqual(400)
        const payment = await medusaPayment(order_id)
        expect(payment.captures).toHaveLength(0)
        expect(await ledgerRows(order_id)).toHaveLength(1)
        await expectInStep(order_id, "after a refused capture")

        // The lock was released: the next capture goes through.
        const res = await capture(auth.id, { amount: 25 })
        expect(res.status).toBe(200)
        await expectInStep(order_id, "after the capture that followed a refusal")
      })
    })

    describe("POST /admin/order-transactions/:id/void", () => {
      it("cancels the payment at the provider and records the void the reconcile would, once", async () => {
        const { order_id, auth } = await checkedOut()
        const provider = jest.spyOn(systemProvider(getContainer()), "cancelPayment")
        const res = await voidAuth(auth.id)
        expect(res.status).toBe(200)
        expect(provider).toHaveBeenCalledTimes(1)

        const payment = await medusaPayment(order_id)
        expect(payment.canceled_at).not.toBeNull()
        expect(payment.captures).toHaveLength(0)
        expect(payment.collection_status).toBe("canceled")
        expect(payment.order_payment_status).toBe("canceled")
        expect(res.data.transaction).toMatchObject({
          kind: "void",
          status: "succeeded",
          amount: -150,
          reference: "payment_canceled",
          reference_id: payment.id,
          parent_id: auth.id,
          gateway: "pp_system_default",
          reason: "Payment canceled in Medusa",
          metadata: { medusa_payment_id: payment.id },
        })
        expect(res.data.balance).toMatchObject({ authorized_total: 0, paid_total: 0, outstanding_amount: 150, status: "customer_owes" })

        const { rows } = await expectInStep(order_id, "after a void")
        expect(rows.map((r) => r.kind)).toEqual(["authorization", "void"])

        // Voided: neither a second void nor a capture reaches the provider.
        const capturer = jest.spyOn(systemProvider(getContainer()), "capturePayment")
        const again = await voidAuth(auth.id)
        expect(again.status).toBe(400)
        expect(again.data).toMatchObject({ code: "INVALID_DATA" })
        expect(again.data.message).toMatch(/already canceled/)
        const captured = await capture(auth.id)
        expect(captured.status).toBe(400)
        expect(captured.data.code).toBe("INVALID_DATA")
        expect(provider).toHaveBeenCalledTimes(1)
        expect(capturer).not.toHaveBeenCalled()
        expect(await ledgerRows(order_id)).toHaveLength(2)
      })

      it("with an Idempotency-Key, a repeat answers the first void; a refused cancel records nothing", async () => {
        const { order_id, auth } = await checkedOut()
        const provider = jest.spyOn(systemProvider(getContainer()), "cancelPayment")
        provider.mockRejectedValueOnce(new Error("Provider unavailable"))
        const key = { headers: { ...admin.headers, "Idempotency-Key": `void-${order_id}` } }
        const refused = await post(`/admin/order-transactions/${auth.id}/void`, {}, key)
        expect(refused.status).toBeGreaterThanOrEqual(400)
        expect((await medusaPayment(order_id)).canceled_at).toBeNull()
        expect(await ledgerRows(order_id)).toHaveLength(1)

        const first = await post(`/admin/order-transactions/${auth.id}/void`, {}, key)
        expect(first.status).toBe(200)
        const again = await post(`/admin/order-transactions/${auth.id}/void`, {}, key)
        expect(again.status).toBe(200)
        expect(again.data).toEqual(first.data)
        expect(provider).toHaveBeenCalledTimes(2)
        const { rows } = await expectInStep(order_id, "after an idempotent void repeated")
        expect(rows.map((r) => r.kind)).toEqual(["authorization", "void"])
      })

      it("refuses to void a partly captured payment: Medusa cannot cancel a payment with captures", async () => {
        const { order_id, auth } = await checkedOut()
        expect((await capture(auth.id, { amount: 50 })).status).toBe(200)
        const res = await voidAuth(auth.id)
        expect(res.status).toBe(400)
        expect(res.data.code).toBe("INVALID_DATA")
        expect(res.data.message).toMatch(/it has captures/)
        expect(res.data.medusa_capture_ids).toHaveLength(1)
        const payment = await medusaPayment(order_id)
        expect(payment.canceled_at).toBeNull()
        await expectInStep(order_id, "after a refused void")
      })
    })

    describe("USE_PROVIDER_ACTION and the seeds' refund recipe", () => {
      it("refuses a bookkeeping capture or void of a checkout authorization, naming the route", async () => {
        const { order_id, auth } = await checkedOut()
        const before = await ledgerRows(order_id)
        for (const [kind, route] of [["payment", "capture"], ["void", "void"]] as const) {
          const res = await post(`/admin/orders/${order_id}/transactions`, {
            transactions: [{ kind, amount: 10, parent_id: auth.id }],
          })
          expect(res.status).toBe(409)
          expect(res.data.code).toBe("USE_PROVIDER_ACTION")
          expect(res.data.message).toContain(`POST /admin/order-transactions/${auth.id}/${route}`)
        }
        expect(await ledgerRows(order_id)).toEqual(before)
        // A bookkeeping authorization is still captured by recording a payment with it as parent.
        const { data } = await api.post(
          `/admin/orders/${order_id}/transactions`,
          { transactions: [{ kind: "authorization", amount: 20, payment_method: "card", gateway: "pos" }] },
          admin
        )
        const pos = await post(`/admin/orders/${order_id}/transactions`, {
          transactions: [{ kind: "payment", amount: 20, parent_id: data.transactions[0].id }],
        })
        expect(pos.status).toBe(200)
      })

      it("sums order.transactions with reference refund to the ledger's refunded_total, for Medusa's and the ledger's refunds", async () => {
        const { order_id, auth } = await checkedOut()
        const captured = await capture(auth.id)
        expect(captured.status).toBe(200)
        // A Medusa refund of the card capture made from the ledger, one made in Medusa, and refunds of cash.
        await api.post(`/admin/order-transactions/${captured.data.transaction.id}/refunds`, { amount: 15 }, admin)
        await api.post(`/admin/payments/${(await medusaPayment(order_id)).id}/refund`, { amount: 5 }, admin)
        const { data: cash } = await api.post(
          `/admin/orders/${order_id}/transactions`,
          { transactions: [{ kind: "payment", amount: 40, payment_method: "cash" }] },
          admin
        )
        const cashId = cash.transactions[0].id
        await api.post(`/admin/order-transactions/${cashId}/refunds`, { amount: 7.5 }, admin)
        await api.post(
          `/admin/orders/${order_id}/transactions`,
          { transactions: [{ kind: "refund", amount: 2.25, parent_id: cashId }] },
          admin
        )
        // Medusa's own refund reaches the ledger through its payment.refunded subscriber.
        await waitFor("every refund in the ledger", async () => {
          const { data } = await api.get(`/admin/orders/${order_id}/balance`, admin)
          return dec(data.balance.refunded_total) === "29.75"
        })
        await utils.waitWorkflowExecutions()
        const { data: o } = await api.get(`/admin/orders/${order_id}?fields=id,summary.*,transactions.*`, admin)
        const recipe = (o.order.transactions as Row[])
          .filter((t) => t.reference === "refund")
          .reduce((sum: ReturnType<typeof MathBN.convert>, t) => MathBN.add(sum, MathBN.abs(dec(t.raw_amount ?? t.amount))), MathBN.convert(0))
        const { data: b } = await api.get(`/admin/orders/${order_id}/balance`, admin)
        expect(recipe.toFixed()).toBe("29.75")
        expect(dec(b.balance.refunded_total)).toBe("29.75")
        expect(dec(b.balance.outstanding_amount)).toBe(dec(o.order.summary.raw_pending_difference ?? o.order.summary.pending_difference))
      })
    })

    describe("captureAmount (what a capture takes)", () => {
      it("takes all that is left exactly, and a typed amount that rounds to it takes it exactly too", () => {
        expect(captureAmount(undefined, "24.9781", "eur").toFixed()).toBe("24.9781")
        expect(captureAmount("24.98", "24.9781", "eur").toFixed()).toBe("24.9781")
        expect(captureAmount(10, "24.9781", "eur").toFixed()).toBe("10")
        expect(captureAmount("24.99", "24.9781", "eur").toFixed()).toBe("24.99") // then refused: exceeds what is left
        expect(() => captureAmount("24.978", "24.9781", "eur")).toThrow(/decimals/)
        expect(() => captureAmount(1.5, "100", "jpy")).toThrow(/decimals/)
      })
    })

    describe("errors", () => {
      it("answers 404, 400 and 401 with codes", async () => {
        const { order_id, auth } = await checkedOut()

        for (const action of ["capture", "void"]) {
          const missing = await post(`/admin/order-transactions/oltx_missing/${action}`)
          expect([action, missing.status, missing.data.code]).toEqual([action, 404, "NOT_FOUND"])

          const anonymous = await settle(api.post(`/admin/order-transactions/${auth.id}/${action}`, {}))
          expect([action, anonymous.status]).toEqual([action, 401])

          const extra = await post(`/admin/order-transactions/${auth.id}/${action}`, { reason: "x" })
          expect([action, extra.status, extra.data.code]).toEqual([action, 400, "INVALID_DATA"])
        }
        for (const amount of [-5, 0, "abc", "1e3"]) {
          const bad = await capture(auth.id, { amount })
          expect([amount, bad.status, bad.data.code]).toEqual([amount, 400, "INVALID_DATA"])
        }

        // A bookkeeping authorization has no provider: the message says how to record its capture.
        const { data: recorded } = await api.post(
          `/admin/orders/${order_id}/transactions`,
          { transactions: [{ kind: "authorization", amount: 20, payment_method: "card" }] },
          admin
        )
        const bookkeeping = recorded.transactions[0]
        const captureBookkeeping = await capture(bookkeeping.id)
        expect(captureBookkeeping.status).toBe(400)
        expect(captureBookkeeping.data.code).toBe("INVALID_DATA")
        expect(captureBookkeeping.data.message).toContain(`record a payment with parent_id ${bookkeeping.id}`)
        expect(captureBookkeeping.data.message).toContain(`POST /admin/orders/${order_id}/transactions`)
        const voidBookkeeping = await voidAuth(bookkeeping.id)
        expect(voidBookkeeping.status).toBe(400)
        expect(voidBookkeeping.data.message).toContain(`record a void with parent_id ${bookkeeping.id}`)

        // A ledger payment is not an authorization.
        const captured = await capture(auth.id, { amount: 10 })
        expect(captured.status).toBe(200)
        const ofPayment = await capture(captured.data.transaction.id)
        expect(ofPayment.status).toBe(400)
        expect(ofPayment.data.code).toBe("INVALID_DATA")
        expect(ofPayment.data.message).toMatch(/is a payment, not an authorization/)
        await expectInStep(order_id, "after the error cases")
      })
    })
  },
})
