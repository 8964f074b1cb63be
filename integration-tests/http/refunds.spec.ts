import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { setTimeout as sleep } from "timers/promises"
import { settle } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { captureMedusaPayment, mirroredCapture } from "../helpers/payments"
import { dec, ledgerRows, ledgerService, medusaSummary, storedBalance } from "../helpers/ledger"
import {
  MEDUSA_REFUND_LEDGER_METADATA_KEY,
  recordLedgerTransactionsStepId,
  refundLedgerTransactionWorkflow,
} from "../../src/workflows"

jest.setTimeout(240_000)

/**
 * A real Medusa payment on an order: a payment collection linked to the order, a session with
 * the system provider, authorized, then captured through Medusa's own capture workflow (which
 * adds Medusa's core order transaction). Answers the payment and capture ids.
 */

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      settle(api.post(url, body, { headers: { ...admin.headers, ...headers } }))
    const get = (url: string) => settle(api.get(url, admin))
    const refund = (id: string, body: unknown, headers: Record<string, string> = {}) =>
      post(`/admin/order-transactions/${id}/refunds`, body, headers)

    /** Records transactions on an order and answers them. */
    async function record(orderId: string, transactions: Record<string, unknown>[]) {
      const res = await post(`/admin/orders/${orderId}/transactions`, { transactions })
      expect(res.status).toBe(200)
      return res.data.transactions as Record<string, any>[]
    }

    /** An order of `total` with one succeeded payment of `paid` recorded in the ledger. */
    async function paidOrder(total: number, paid = total, extra: Record<string, unknown> = {}, currency = "usd") {
      const order = await createOrder(getContainer(), { total, currency_code: currency })
      const [payment] = await record(order.id, [
        { kind: "payment", amount: paid, payment_method: "bank_transfer", ...extra },
      ])
      return { order, payment }
    }

    /** Medusa's pending_difference over HTTP, and the ledger's stored outstanding amount. */
    async function expectBooksAgree(orderId: string) {
      const res = await get(`/admin/orders/${orderId}?fields=id,summary.*`)
      expect(res.status).toBe(200)
      const balance = await storedBalance(getContainer(), orderId)
      expect(dec(res.data.order.summary.pending_difference)).toBe(dec(balance!.outstanding_amount))
      const [computed] = await ledgerService(getContainer()).computeBalancesFromLedger([orderId])
      expect(computed.outstanding_amount).toBe(dec(balance!.outstanding_amount))
      expect(computed.refunded_total).toBe(dec(balance!.refunded_total))
      return { summary: res.data.order.summary, balance: balance! }
    }

    /** The ledger payment mirrored from a Medusa capture, with its refund figures. */
    async function ledgerPaymentOfCapture(orderId: string, captureId: string, amount: number) {
      const mirrored = await mirroredCapture(getContainer(), orderId, captureId)
      expect(mirrored).toEqual(expect.objectContaining({ kind: "payment" }))
      expect(dec(mirrored!.amount as string)).toBe(dec(amount))
      return (await get(`/admin/order-transactions/${mirrored!.id}`)).data.transaction
    }

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })

    describe("POST /admin/order-transactions/:id/refunds", () => {
      it("answers 401 without an admin session", async () => {
        const { payment } = await paidOrder(100)
        const res = await settle(api.post(`/admin/order-transactions/${payment.id}/refunds`, { amount: 1 }))
        expect(res.status).toBe(401)
        expect(await ledgerRows(getContainer(), payment.order_id)).toHaveLength(1)
      })

      it("refunds in part, then all that is left when no amount is given", async () => {
        const { order, payment } = await paidOrder(100, 100, {
          payment_method: "card",
          gateway: "stripe",
          card_brand: "visa",
          card_last4: "4242",
          external_id: "ch_1",
        })

        const first = await refund(payment.id, { amount: 30, reason: "Damaged item", note: "Customer called" })
        expect(first.status).toBe(200)
        expect(first.data.transaction).toEqual(
          expect.objectContaining({
            id: expect.stringMatching(/^oltx_/),
            order_id: order.id,
            kind: "refund",
            status: "succeeded",
            amount: -30,
            formatted_amount: "-$30.00",
            currency_code: "usd",
            parent_id: payment.id,
            reference: "manual",
            reference_id: null,
            payment_method: "card",
            gateway: "stripe",
            card_brand: "visa",
            card_last4: "4242",
            external_id: null,
            reason: "Damaged item",
            note: "Customer called",
          })
        )
        expect(first.data.balance).toEqual(
          expect.objectContaining({
            order_id: order.id,
            order_total: 100,
            paid_total: 100,
            refunded_total: 30,
            net_paid: 70,
            outstanding_amount: 30,
            status: "customer_owes",
            formatted_refunded_total: "$30.00",
          })
        )

        const afterFirst = await get(`/admin/order-transactions/${payment.id}`)
        expect(afterFirst.data.transaction).toEqual(
          expect.objectContaining({ refunded_amount: 30, refundable_amount: 70, pending_refund_amount: 0 })
        )

        const second = await refund(payment.id, { amount: "20.55" })
        expect(second.status).toBe(200)
        expect(second.data.transaction.amount).toBe(-20.55)
        expect(second.data.balance.refunded_total).toBe(50.55)

        const full = await refund(payment.id, {})
        expect(full.status).toBe(200)
        expect(full.data.transaction.amount).toBe(-49.45)
        expect(full.data.balance).toEqual(
          expect.objectContaining({ refunded_total: 100, net_paid: 0, outstanding_amount: 100 })
        )

        const read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(
          expect.objectContaining({ refunded_amount: 100, refundable_amount: 0, formatted_refundable_amount: "$0.00" })
        )

        const again = await refund(payment.id, {})
        expect(again.status).toBe(400)
        expect(again.data).toEqual(
          expect.objectContaining({ type: "invalid_data", code: "AMOUNT_EXCEEDS_REFUNDABLE", refundable_amount: 0 })
        )

        const rows = await ledgerRows(getContainer(), order.id)
        expect(rows.map((r) => [r.kind, dec(r.amount!)])).toEqual([
          ["payment", "100"],
          ["refund", "-30"],
          ["refund", "-20.55"],
          ["refund", "-49.45"],
        ])

        // The payment is a captured Medusa payment and each succeeded refund a Medusa refund of
        // it, each in Medusa's core order transactions once, as Medusa's own flows write them.
        const core = await getContainer()
          .resolve(Modules.ORDER)
          .listOrderTransactions({ order_id: order.id }, { select: ["amount", "reference", "reference_id"] })
        expect(core.filter((t) => t.reference === "order_ledger")).toHaveLength(0)
        expect(core.filter((t) => t.reference === "capture").map((t) => dec(String(t.amount)))).toEqual(["100"])
        expect(core.filter((t) => t.reference === "refund")).toHaveLength(3)
        expect(core.map((t) => dec(String(t.amount))).sort()).toEqual(["-20.55", "-30", "-49.45", "100"])
        const { summary } = await expectBooksAgree(order.id)
        expect(summary.pending_difference).toBe(100)
      })

      it("answers NOT_REFUNDABLE for a refund, a pending payment, an authorization and a failed payment", async () => {
        const { order, payment } = await paidOrder(100)
        const [pending, auth, failed] = await record(order.id, [
          { kind: "payment", amount: 10, status: "pending" },
          { kind: "authorization", amount: 50 },
          { kind: "payment", amount: 5, status: "failed" },
        ])
        const firstRefund = await refund(payment.id, { amount: 10 })
        expect(firstRefund.status).toBe(200)

        for (const target of [firstRefund.data.transaction, pending, auth, failed]) {
          const res = await refund(target.id, { amount: 1 })
          expect(res.status).toBe(400)
          expect(res.data).toEqual(
            expect.objectContaining({
              type: "invalid_data",
              code: "NOT_REFUNDABLE",
              parent_id: target.id,
              parent_kind: target.kind,
              parent_status: target.status,
            })
          )
          const full = await refund(target.id, {})
          expect(full.status).toBe(400)
          expect(full.data.code).toBe("NOT_REFUNDABLE")
        }
        expect(await ledgerRows(getContainer(), order.id)).toHaveLength(5)
        expect((await storedBalance(getContainer(), order.id))!.refunded_total).toBe("10")
      })

      it("answers AMOUNT_EXCEEDS_REFUNDABLE with the payment's figures", async () => {
        const { order, payment } = await paidOrder(80)
        expect((await refund(payment.id, { amount: 50 })).status).toBe(200)
        const res = await refund(payment.id, { amount: 30.01 })
        expect(res.status).toBe(400)
        expect(res.data).toEqual(
          expect.objectContaining({
            type: "invalid_data",
            code: "AMOUNT_EXCEEDS_REFUNDABLE",
            transaction_id: payment.id,
            amount: 80,
            refunded_amount: 50,
            refundable_amount: 30,
            formatted_refundable_amount: "$30.00",
          })
        )
        expect(res.data.message).toMatch(/\$30\.01 exceeds what is left to refund .*\$30\.00/)
        const exact = await refund(payment.id, { amount: 30 })
        expect(exact.status).toBe(200)
        expect(exact.data.balance.refunded_total).toBe(80)
        expect(await ledgerRows(getContainer(), order.id)).toHaveLength(3)
      })

      it("answers 409 PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH with fresh figures, and refunds with the right figure", async () => {
        const { order, payment } = await paidOrder(100)
        const ok = await refund(payment.id, { amount: 10, previously_refunded_amount: 0 })
        expect(ok.status).toBe(200)

        const stale = await refund(payment.id, { amount: 10, previously_refunded_amount: 0 })
        expect(stale.status).toBe(409)
        expect(stale.data).toEqual(
          expect.objectContaining({
            type: "conflict",
            code: "PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH",
            transaction_id: payment.id,
            amount: 100,
            refunded_amount: 10,
            pending_refund_amount: 0,
            refundable_amount: 90,
            formatted_refunded_amount: "$10.00",
          })
        )
        const overstated = await refund(payment.id, { previously_refunded_amount: "10.01" })
        expect(overstated.status).toBe(409)
        expect(overstated.data.code).toBe("PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH")
        expect(await ledgerRows(getContainer(), order.id)).toHaveLength(2)

        const fresh = await refund(payment.id, { amount: 10, previously_refunded_amount: stale.data.refunded_amount })
        expect(fresh.status).toBe(200)
        const full = await refund(payment.id, { previously_refunded_amount: "20.00" })
        expect(full.status).toBe(200)
        expect(full.data.transaction.amount).toBe(-80)
        expect(full.data.balance.refunded_total).toBe(100)
      })

      it("answers INVALID_DATA for bad amounts, too many decimals and unknown fields", async () => {
        const { order, payment } = await paidOrder(100)
        const jpy = await paidOrder(1900, 1900, {}, "jpy")
        const cases: [string, unknown, RegExp][] = [
          [payment.id, { amount: 1.005 }, /amount has 3 decimals but USD allows 2/],
          [payment.id, { amount: "1.005" }, /amount has 3 decimals but USD allows 2/],
          [jpy.payment.id, { amount: 1.5 }, /amount has 1 decimals but JPY allows 0/],
          [payment.id, { previously_refunded_amount: 0.001 }, /previously_refunded_amount has 3 decimals/],
          [payment.id, { amount: 0 }, /amount/],
          [payment.id, { amount: -5 }, /amount/],
          [payment.id, { amount: "ten" }, /amount/],
          [payment.id, { amount: null }, /amount/],
          [payment.id, { previously_refunded_amount: -1 }, /previously_refunded_amount/],
          [payment.id, { status: "failed" }, /status/],
          [payment.id, { amount: 5, kind: "chargeback" }, /kind/],
          [payment.id, { amount: 5, parent_id: payment.id }, /parent_id/],
        ]
        for (const [id, body, message] of cases) {
          const res = await refund(id, body)
          expect({ body, status: res.status, code: res.data.code }).toEqual({ body, status: 400, code: "INVALID_DATA" })
          expect(res.data.type).toBe("invalid_data")
          expect(res.data.message).toMatch(message)
        }
        const badKey = await refund(payment.id, { amount: 1 }, { "Idempotency-Key": "x".repeat(256) })
        expect(badKey.status).toBe(400)
        expect(badKey.data.code).toBe("INVALID_DATA")

        expect(await ledgerRows(getContainer(), order.id)).toHaveLength(1)
        expect(await ledgerRows(getContainer(), jpy.order.id)).toHaveLength(1)
        const yen = await refund(jpy.payment.id, { amount: 900 })
        expect(yen.status).toBe(200)
        expect(yen.data.transaction.formatted_amount).toBe("-¥900")
        expect(yen.data.balance.formatted_outstanding_amount).toBe("¥900")
      })

      it("answers NOT_FOUND for a transaction that does not exist", async () => {
        const res = await refund("oltx_does_not_exist", { amount: 1 })
        expect(res.status).toBe(404)
        expect(res.data).toEqual(expect.objectContaining({ type: "not_found", code: "NOT_FOUND" }))
        expect(res.data.message).toMatch(/oltx_does_not_exist/)
      })

      it("replays a repeat with the same Idempotency-Key and answers IDEMPOTENCY_KEY_MISMATCH for another body", async () => {
        const { order, payment } = await paidOrder(100)
        const key = { "Idempotency-Key": `refund-${order.id}` }
        const first = await refund(payment.id, { amount: 25, previously_refunded_amount: 0 }, key)
        expect(first.status).toBe(200)
        const repeat = await refund(payment.id, { amount: 25, previously_refunded_amount: 0 }, key)
        expect(repeat.status).toBe(200)
        expect(repeat.data).toEqual(first.data)

        const other = await refund(payment.id, { amount: 26, previously_refunded_amount: 0 }, key)
        expect(other.status).toBe(409)
        expect(other.data).toEqual(expect.objectContaining({ type: "conflict", code: "IDEMPOTENCY_KEY_MISMATCH" }))

        // A full refund repeated after it took everything still answers the first answer.
        const fullKey = { "Idempotency-Key": `full-${order.id}` }
        const full = await refund(payment.id, {}, fullKey)
        expect(full.status).toBe(200)
        expect(full.data.transaction.amount).toBe(-75)
        const fullRepeat = await refund(payment.id, {}, fullKey)
        expect(fullRepeat.status).toBe(200)
        expect(fullRepeat.data.transaction.id).toBe(full.data.transaction.id)

        const rows = await ledgerRows(getContainer(), order.id)
        expect(rows.filter((r) => r.kind === "refund").map((r) => dec(r.amount!))).toEqual(["-25", "-75"])
        expect((await storedBalance(getContainer(), order.id))!.refunded_total).toBe("100")
      })

      it("counts a pending refund, frees it when it fails and counts it when it succeeds", async () => {
        const { order, payment } = await paidOrder(100)
        const pending = await refund(payment.id, { amount: 40, status: "pending" })
        expect(pending.status).toBe(200)
        expect(pending.data.transaction.status).toBe("pending")
        expect(pending.data.balance).toEqual(
          expect.objectContaining({ refunded_total: 0, pending_total: -40, net_paid: 100, outstanding_amount: 0 })
        )
        let read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(
          expect.objectContaining({ refunded_amount: 40, pending_refund_amount: 40, refundable_amount: 60 })
        )
        // The pending refund holds its amount: 61 no longer fits.
        const tooMuch = await refund(payment.id, { amount: 61 })
        expect(tooMuch.status).toBe(400)
        expect(tooMuch.data).toEqual(
          expect.objectContaining({ code: "AMOUNT_EXCEEDS_REFUNDABLE", refundable_amount: 60, pending_refund_amount: 40 })
        )
        // Pending refunds are not yet in Medusa's books.
        const coreBefore = await getContainer()
          .resolve(Modules.ORDER)
          .listOrderTransactions({ order_id: order.id }, { select: ["amount"] })
        expect(coreBefore).toHaveLength(1)

        const failed = await post(`/admin/order-transactions/${pending.data.transaction.id}`, {
          status: "failed",
          message: "Bank rejected the transfer",
        })
        expect(failed.status).toBe(200)
        expect(failed.data.balance).toEqual(expect.objectContaining({ pending_total: 0, refunded_total: 0 }))
        read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(
          expect.objectContaining({ refunded_amount: 0, pending_refund_amount: 0, refundable_amount: 100 })
        )
        const backToFailed = await post(`/admin/order-transactions/${pending.data.transaction.id}`, { status: "succeeded" })
        expect(backToFailed.status).toBe(400)
        expect(backToFailed.data.code).toBe("INVALID_STATUS_TRANSITION")

        const second = await refund(payment.id, { amount: 70, status: "pending", previously_refunded_amount: 0 })
        expect(second.status).toBe(200)
        const succeeded = await post(`/admin/order-transactions/${second.data.transaction.id}`, { status: "succeeded" })
        expect(succeeded.status).toBe(200)
        expect(succeeded.data.balance).toEqual(
          expect.objectContaining({ refunded_total: 70, pending_total: 0, net_paid: 30, outstanding_amount: 70 })
        )
        read = await get(`/admin/order-transactions/${payment.id}`)
        expect(read.data.transaction).toEqual(
          expect.objectContaining({ refunded_amount: 70, pending_refund_amount: 0, refundable_amount: 30 })
        )
        const core = await getContainer()
          .resolve(Modules.ORDER)
          .listOrderTransactions({ order_id: order.id }, { select: ["amount", "reference_id"] })
        expect(core.map((t) => dec(String(t.amount))).sort()).toEqual(["-70", "100"])
        await expectBooksAgree(order.id)
      })
    })

    describe("refunding a payment that came from Medusa", () => {
      it("refunds through Medusa's refund flow, records the ref_ once and keeps both books equal", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        const { payment_id, capture_id } = await captureMedusaPayment(container, order.id, 100)
        const payment = await ledgerPaymentOfCapture(order.id, capture_id, 100)
        expect(payment).toEqual(expect.objectContaining({ reference: "capture", reference_id: capture_id }))
        let books = await expectBooksAgree(order.id)
        expect(books.balance.outstanding_amount).toBe("0")

        const pendingAsked = await refund(payment.id, { amount: 10, status: "pending" })
        expect(pendingAsked.status).toBe(400)
        expect(pendingAsked.data.code).toBe("INVALID_DATA")

        const res = await refund(payment.id, { amount: 30, previously_refunded_amount: 0, note: "Returned one item" })
        expect(res.status).toBe(200)
        const payments = container.resolve(Modules.PAYMENT)
        let refunds = await payments.listRefunds({ payment_id }, { select: ["id", "amount", "note", "metadata"] })
        expect(refunds).toHaveLength(1)
        expect(dec(String(refunds[0].amount))).toBe("30")
        expect(refunds[0].note).toBe("Returned one item")
        expect((refunds[0] as any).metadata).toEqual({ [MEDUSA_REFUND_LEDGER_METADATA_KEY]: res.data.transaction.id })
        expect(res.data.transaction).toEqual(
          expect.objectContaining({
            kind: "refund",
            status: "succeeded",
            amount: -30,
            parent_id: payment.id,
            reference: "refund",
            reference_id: refunds[0].id,
            gateway: payment.gateway,
            payment_method: payment.payment_method,
          })
        )

        // Medusa's own refund flow added its order transaction; the ledger added none of its own.
        const orderModule = container.resolve(Modules.ORDER)
        let core = await orderModule.listOrderTransactions(
          { order_id: order.id },
          { select: ["amount", "reference", "reference_id"] }
        )
        expect(core.filter((t) => t.reference === "refund" && t.reference_id === refunds[0].id)).toHaveLength(1)
        expect(core.filter((t) => t.reference === "order_ledger")).toHaveLength(0)
        books = await expectBooksAgree(order.id)
        expect(books.balance.refunded_total).toBe("30")
        expect(dec(books.balance.outstanding_amount)).toBe(dec(books.summary.pending_difference))
        expect(res.data.balance.outstanding_amount).toBe(Number(books.balance.outstanding_amount))

        // Stale figures are refused before Medusa is called.
        const stale = await refund(payment.id, { amount: 5, previously_refunded_amount: 0 })
        expect(stale.status).toBe(409)
        expect(stale.data).toEqual(expect.objectContaining({ code: "PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH", refunded_amount: 30 }))
        const over = await refund(payment.id, { amount: 70.01 })
        expect(over.status).toBe(400)
        expect(over.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")
        expect(await payments.listRefunds({ payment_id })).toHaveLength(1)

        // All that is left, idempotently.
        const key = { "Idempotency-Key": `medusa-full-${order.id}` }
        const full = await refund(payment.id, {}, key)
        expect(full.status).toBe(200)
        expect(full.data.transaction.amount).toBe(-70)
        const repeat = await refund(payment.id, {}, key)
        expect(repeat.status).toBe(200)
        expect(repeat.data.transaction.id).toBe(full.data.transaction.id)
        refunds = await payments.listRefunds({ payment_id }, { select: ["id", "amount"] })
        expect(refunds.map((r) => dec(String(r.amount))).sort()).toEqual(["30", "70"])
        expect(full.data.transaction.reference_id).toBe(refunds.find((r) => dec(String(r.amount)) === "70")!.id)

        core = await orderModule.listOrderTransactions({ order_id: order.id }, { select: ["amount", "reference", "reference_id"] })
        expect(core.filter((t) => t.reference === "refund")).toHaveLength(2)
        expect(core.filter((t) => t.reference === "order_ledger")).toHaveLength(0)
        const rows = await ledgerRows(getContainer(), order.id)
        expect(rows.filter((r) => r.reference === "refund").map((r) => r.reference_id).sort()).toEqual(
          refunds.map((r) => r.id).sort()
        )
        books = await expectBooksAgree(order.id)
        expect(books.balance.refunded_total).toBe("100")
        expect((await refund(payment.id, {})).data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")
      })

      it("refuses, before calling Medusa, more than Medusa has left to refund", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 50 })
        const { payment_id, capture_id } = await captureMedusaPayment(container, order.id, 50)
        const payment = await ledgerPaymentOfCapture(order.id, capture_id, 50)
        // A refund made in Medusa that the ledger has not seen yet (no mirroring in this module call).
        await container.resolve(Modules.PAYMENT).refundPayment({ payment_id, amount: 45 })
        const rowsBefore = await ledgerRows(container, order.id)

        const res = await refund(payment.id, { amount: 10 })
        expect(res.status).toBe(400)
        expect(res.data).toEqual(
          expect.objectContaining({ code: "AMOUNT_EXCEEDS_REFUNDABLE", medusa_payment_id: payment_id, medusa_refundable_amount: 5 })
        )
        const full = await refund(payment.id, {})
        expect(full.status).toBe(400)
        expect(full.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")
        expect(await container.resolve(Modules.PAYMENT).listRefunds({ payment_id })).toHaveLength(1)
        expect(await ledgerRows(container, order.id)).toEqual(rowsBefore)
      })
    })

    describe("events", () => {
      it("emits order_transaction.created once per refund, none for a replay or a refusal", async () => {
        const container = getContainer()
        const eventBus = container.resolve(Modules.EVENT_BUS)
        const seen: any[] = []
        const created = async (event: any) => {
          seen.push(event.data)
        }
        eventBus.subscribe("order_transaction.created", created, { subscriberId: "test-refund-created" })

        const { order, payment } = await paidOrder(100)
        const medusaOrder = await createOrder(container, { total: 50 })
        const { capture_id } = await captureMedusaPayment(container, medusaOrder.id, 50)
        const medusaPayment = await ledgerPaymentOfCapture(medusaOrder.id, capture_id, 50)
        await sleep(300)
        seen.length = 0

        const key = { "Idempotency-Key": `events-${order.id}` }
        const first = await refund(payment.id, { amount: 10 }, key)
        expect((await refund(payment.id, { amount: 10 }, key)).status).toBe(200)
        expect((await refund(payment.id, { amount: 1000 })).status).toBe(400)
        expect((await refund(payment.id, { amount: 1, previously_refunded_amount: 0 })).status).toBe(409)
        const viaMedusa = await refund(medusaPayment.id, { amount: 20 })
        expect(viaMedusa.status).toBe(200)

        const deadline = Date.now() + 5000
        while (seen.length < 2 && Date.now() < deadline) {
          await sleep(50)
        }
        await sleep(300)
        eventBus.unsubscribe?.("order_transaction.created", created, { subscriberId: "test-refund-created" })
        const mine = seen.filter((e) => e.order_id === order.id || e.order_id === medusaOrder.id)
        // Each event carries the change: the refund as recorded, version 1, and who recorded it.
        expect(mine.map((e) => [e.version, e.object.kind, e.previous, e.actor.type])).toEqual([
          [1, "refund", null, "user"],
          [1, "refund", null, "user"],
        ])
        expect(mine.map(({ id, order_id }) => ({ id, order_id })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
          [
            { id: first.data.transaction.id, order_id: order.id },
            { id: viaMedusa.data.transaction.id, order_id: medusaOrder.id },
          ].sort((a, b) => (a.id < b.id ? -1 : 1))
        )
      })
    })

    describe("compensation", () => {
      it("leaves no refund, no core transaction and no idempotency key when the workflow fails after recording", async () => {
        const container = getContainer()
        const { order, payment } = await paidOrder(100)
        const before = await storedBalance(container, order.id)
        const coreBefore = await container
          .resolve(Modules.ORDER)
          .listOrderTransactions({ order_id: order.id }, { select: ["id"] })

        const workflow = refundLedgerTransactionWorkflow(container)
        workflow.appendAction("throw", recordLedgerTransactionsStepId, {
          invoke: async function failAfterRecord() {
            throw new Error("Injected failure after the refund was recorded")
          },
        })
        const { errors } = await workflow.run({
          input: { transaction_id: payment.id, amount: 40, idempotency_key: `comp-${order.id}` },
          throwOnError: false,
        })
        expect(errors).toHaveLength(1)
        expect(errors[0].action).toBe("throw")
        expect(errors[0].error.message).toBe("Injected failure after the refund was recorded")

        expect((await ledgerRows(container, order.id)).map((r) => r.kind)).toEqual(["payment"])
        expect(await storedBalance(container, order.id)).toEqual(before)
        const coreAfter = await container
          .resolve(Modules.ORDER)
          .listOrderTransactions({ order_id: order.id }, { select: ["id"] })
        expect(coreAfter).toHaveLength(coreBefore.length)
        const keys = await ledgerService(container).listLedgerIdempotencyKeys({ key: `comp-${order.id}` })
        expect(keys).toHaveLength(0)

        // The lock was released and the same key works for a real refund afterwards.
        const res = await refund(payment.id, { amount: 40 }, { "Idempotency-Key": `comp-${order.id}` })
        expect(res.status).toBe(200)
        expect(res.data.balance.refunded_total).toBe(40)
      })

      it("removes the reserved refund and calls no provider when the flow fails before Medusa's refund", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        const { payment_id, capture_id } = await captureMedusaPayment(container, order.id, 100)
        const payment = await ledgerPaymentOfCapture(order.id, capture_id, 100)
        const rowsBefore = await ledgerRows(container, order.id)
        const before = await storedBalance(container, order.id)

        const workflow = refundLedgerTransactionWorkflow(container)
        // Right after the reservation was written, before Medusa's refund flow runs.
        workflow.insertActionAfter("record-ledger-transactions", "throw", {
          invoke: async function failBeforeMedusaRefund() {
            throw new Error("Injected failure before Medusa's refund")
          },
        })
        const { errors } = await workflow.run({
          input: { transaction_id: payment.id, amount: 25, idempotency_key: `comp-medusa-${order.id}` },
          throwOnError: false,
        })
        expect(errors.map((e) => [e.action, e.error.message])).toEqual([
          ["throw", "Injected failure before Medusa's refund"],
        ])
        const payments = container.resolve(Modules.PAYMENT)
        expect(await payments.listRefunds({ payment_id })).toHaveLength(0)
        expect(await ledgerRows(container, order.id)).toEqual(rowsBefore)
        expect(await storedBalance(container, order.id)).toEqual(before)
        expect(await ledgerService(container).listLedgerIdempotencyKeys({ key: `comp-medusa-${order.id}` })).toHaveLength(0)

        const res = await refund(payment.id, { amount: 25 }, { "Idempotency-Key": `comp-medusa-${order.id}` })
        expect(res.status).toBe(200)
        expect(res.data.transaction).toEqual(expect.objectContaining({ status: "succeeded", reference: "refund" }))
        const refunds = await payments.listRefunds({ payment_id }, { select: ["id", "amount"] })
        expect(refunds.map((r) => [r.id, dec(String(r.amount))])).toEqual([[res.data.transaction.reference_id, "25"]])
        await expectBooksAgree(order.id)
      })
    })
  },
})
