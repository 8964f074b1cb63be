import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { settle, type Res } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { captureMedusaPayment, mirroredCapture } from "../helpers/payments"
import { dec, ledgerRows, ledgerService, storedBalance } from "../helpers/ledger"

jest.setTimeout(240_000)

/** Sum of exact decimal strings. */
const sum = (values: (string | number)[]) =>
  values.reduce<ReturnType<typeof MathBN.convert>>((t, v) => MathBN.add(t, v), MathBN.convert(0)).toFixed()

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      settle(api.post(url, body, { headers: { ...admin.headers, ...headers } }))
    const get = (url: string) => settle(api.get(url, admin))
    const refund = (id: string, body: unknown, headers: Record<string, string> = {}) =>
      post(`/admin/order-transactions/${id}/refunds`, body, headers)

    async function paidOrder(total: number) {
      const order = await createOrder(getContainer(), { total })
      const res = await post(`/admin/orders/${order.id}/transactions`, {
        transactions: [{ kind: "payment", amount: total, payment_method: "card" }],
      })
      expect(res.status).toBe(200)
      return { order, payment: res.data.transactions[0] }
    }

    /** The stored balance equals the one computed from scratch from the ledger rows. */
    async function expectStoredBalanceIsLedgerTruth(orderId: string) {
      const stored = await storedBalance(getContainer(), orderId)
      const [computed] = await ledgerService(getContainer()).computeBalancesFromLedger([orderId])
      for (const field of ["paid_total", "refunded_total", "chargeback_total", "pending_total", "net_paid", "outstanding_amount"]) {
        expect({ field, value: dec(stored![field]) }).toEqual({ field, value: computed[field as keyof typeof computed] })
      }
      expect(stored!.status).toBe(computed.status)
      return stored!
    }

    /**
     * Retries the answers that asked to retry later (409 CONCURRENT_REQUEST) until each request
     * has a final answer, as a client would.
     */
    async function untilFinal(first: Res[], again: () => Promise<Res>) {
      const answers = [...first]
      for (let round = 0; round < 20 && answers.some((r) => r.data?.code === "CONCURRENT_REQUEST"); round++) {
        for (const [i, r] of answers.entries()) {
          if (r.data?.code === "CONCURRENT_REQUEST") {
            answers[i] = await again()
          }
        }
      }
      return answers
    }

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })

    it("20 concurrent partial refunds of 7.00 on a 100.00 payment: exactly 14 succeed, never more than was paid", async () => {
      const { order, payment } = await paidOrder(100)
      const latencies: number[] = []
      const started = Date.now()
      const first = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const t = Date.now()
          const res = await refund(payment.id, { amount: "7.00", note: `racer ${i}` })
          latencies.push(Date.now() - t)
          return res
        })
      )
      const wall = Date.now() - started

      // No 500s: each answer is a success, a refusal for the amount, or "retry later".
      for (const r of first) {
        expect([200, 400, 409]).toContain(r.status)
        if (r.status === 400) {
          expect(r.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")
        }
        if (r.status === 409) {
          expect(r.data.code).toBe("CONCURRENT_REQUEST")
        }
      }
      const concurrent = first.filter((r) => r.status === 409).length
      const answers = await untilFinal(first, () => refund(payment.id, { amount: "7.00", note: "retry" }))

      const ok = answers.filter((r) => r.status === 200)
      const refused = answers.filter((r) => r.status === 400)
      expect(ok).toHaveLength(14)
      expect(refused).toHaveLength(6)
      for (const r of refused) {
        expect(r.data).toEqual(expect.objectContaining({ code: "AMOUNT_EXCEEDS_REFUNDABLE", refundable_amount: 2 }))
      }

      const rows = (await ledgerRows(getContainer(), order.id)).filter((r) => r.kind === "refund")
      expect(rows).toHaveLength(ok.length)
      expect(new Set(ok.map((r) => r.data.transaction.id))).toEqual(new Set(rows.map((r) => r.id)))
      const refunded = MathBN.abs(sum(rows.map((r) => r.amount!))).toFixed()
      expect(refunded).toBe("98")
      expect(MathBN.lte(refunded, 100)).toBe(true)

      const stored = await expectStoredBalanceIsLedgerTruth(order.id)
      expect(dec(stored.refunded_total)).toBe("98")
      const read = await get(`/admin/order-transactions/${payment.id}`)
      expect(read.data.transaction).toEqual(expect.objectContaining({ refunded_amount: 98, refundable_amount: 2 }))

      latencies.sort((a, b) => a - b)
      console.log(
        `[refund-race] 20 x 7.00 on 100.00: ${ok.length} ok, ${refused.length} AMOUNT_EXCEEDS_REFUNDABLE, ` +
          `${concurrent} CONCURRENT_REQUEST retried; refunded ${refunded}; wall ${wall} ms, ` +
          `p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, max ${latencies[latencies.length - 1]} ms`
      )
    })

    it("the database guard alone holds: 20 concurrent guarded refunds straight on the module, without Medusa's lock", async () => {
      const { order, payment } = await paidOrder(100)
      const ledger = ledgerService(getContainer())
      const orderInput = { id: order.id, currency_code: "usd", total: "100" }
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          ledger
            .recordTransactions({
              order: orderInput,
              transactions: [{ kind: "refund", amount: "7.00", parent_id: payment.id }],
              refund_guard: { parent_id: payment.id },
            })
            .then(
              () => "ok",
              (e: { code?: string }) => e.code ?? "unknown"
            )
        )
      )
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(14)
      expect(outcomes.filter((o) => o !== "ok")).toEqual(Array(6).fill("AMOUNT_EXCEEDS_REFUNDABLE"))
      const rows = (await ledgerRows(getContainer(), order.id)).filter((r) => r.kind === "refund")
      expect(rows).toHaveLength(14)
      expect(sum(rows.map((r) => r.amount!))).toBe("-98")
      await expectStoredBalanceIsLedgerTruth(order.id)
    })

    it("10 concurrent full refunds: one takes all that is left, the others are refused", async () => {
      const { order, payment } = await paidOrder(100)
      expect((await refund(payment.id, { amount: "12.34" })).status).toBe(200)
      const first = await Promise.all(Array.from({ length: 10 }, () => refund(payment.id, {})))
      const answers = await untilFinal(first, () => refund(payment.id, {}))
      const ok = answers.filter((r) => r.status === 200)
      expect(ok).toHaveLength(1)
      expect(ok[0].data.transaction.amount).toBe(-87.66)
      expect(answers.filter((r) => r.status === 400 && r.data.code === "AMOUNT_EXCEEDS_REFUNDABLE")).toHaveLength(9)
      const stored = await expectStoredBalanceIsLedgerTruth(order.id)
      expect(dec(stored.refunded_total)).toBe("100")
    })

    it("guarded flow: a client with stale figures gets 409 with fresh ones, retries with them and succeeds", async () => {
      const { order, payment } = await paidOrder(100)

      // Client A reads what was refunded so far.
      const seenByA = (await get(`/admin/order-transactions/${payment.id}`)).data.transaction
      expect(seenByA).toEqual(expect.objectContaining({ refunded_amount: 0, refundable_amount: 100 }))

      // Client B refunds in between, with its own correct figure.
      const byB = await refund(payment.id, { amount: 30, previously_refunded_amount: 0, reason: "B" })
      expect(byB.status).toBe(200)

      // A refunds with its stale figure: refused, nothing written, fresh figures in the body.
      const stale = await refund(payment.id, {
        amount: 80,
        previously_refunded_amount: seenByA.refunded_amount,
        reason: "A",
      })
      expect(stale.status).toBe(409)
      expect(stale.data).toEqual(
        expect.objectContaining({
          type: "conflict",
          code: "PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH",
          transaction_id: payment.id,
          refunded_amount: 30,
          pending_refund_amount: 0,
          refundable_amount: 70,
          formatted_refunded_amount: "$30.00",
          formatted_refundable_amount: "$70.00",
        })
      )
      expect((await ledgerRows(getContainer(), order.id)).filter((r) => r.kind === "refund")).toHaveLength(1)

      // A asks again with the fresh figures: 80 no longer fits, 70 does.
      const tooMuch = await refund(payment.id, { amount: 80, previously_refunded_amount: stale.data.refunded_amount })
      expect(tooMuch.status).toBe(400)
      expect(tooMuch.data.code).toBe("AMOUNT_EXCEEDS_REFUNDABLE")
      const retry = await refund(payment.id, {
        amount: stale.data.refundable_amount,
        previously_refunded_amount: stale.data.refunded_amount,
        reason: "A",
      })
      expect(retry.status).toBe(200)
      expect(retry.data.transaction.amount).toBe(-70)
      expect(retry.data.balance).toEqual(expect.objectContaining({ refunded_total: 100, net_paid: 0 }))
      await expectStoredBalanceIsLedgerTruth(order.id)
    })

    it("10 concurrent identical refunds with one Idempotency-Key record exactly one refund", async () => {
      const { order, payment } = await paidOrder(100)
      const key = { "Idempotency-Key": `race-${order.id}` }
      const first = await Promise.all(
        Array.from({ length: 10 }, () => refund(payment.id, { amount: 15, previously_refunded_amount: 0 }, key))
      )
      const answers = await untilFinal(first, () => refund(payment.id, { amount: 15, previously_refunded_amount: 0 }, key))
      for (const r of answers) {
        expect(r.status).toBe(200)
      }
      expect(new Set(answers.map((r) => r.data.transaction.id)).size).toBe(1)
      const rows = (await ledgerRows(getContainer(), order.id)).filter((r) => r.kind === "refund")
      expect(rows).toHaveLength(1)
      expect(dec(rows[0].amount!)).toBe("-15")
      const stored = await expectStoredBalanceIsLedgerTruth(order.id)
      expect(dec(stored.refunded_total)).toBe("15")
      // The payment is a captured Medusa payment, the refund one Medusa refund of it: once each.
      const core = await getContainer()
        .resolve(Modules.ORDER)
        .listOrderTransactions({ order_id: order.id }, { select: ["amount", "reference"] })
      expect(core.map((t) => [t.reference, dec(String(t.amount))]).sort()).toEqual([["capture", "100"], ["refund", "-15"]])
    })

    it("5 concurrent refunds of 30.00 on a Medusa payment of 100.00: 3 go through Medusa, 90.00 back in all", async () => {
      const container = getContainer()
      const order = await createOrder(container, { total: 100 })
      const { payment_id, capture_id } = await captureMedusaPayment(container, order.id, 100)
      const payment = await ledgerPaymentOfCapture(order.id, capture_id)

      const first = await Promise.all(Array.from({ length: 5 }, () => refund(payment.id, { amount: 30 })))
      const answers = await untilFinal(first, () => refund(payment.id, { amount: 30 }))
      expect(answers.filter((r) => r.status === 200)).toHaveLength(3)
      expect(answers.filter((r) => r.status === 400 && r.data.code === "AMOUNT_EXCEEDS_REFUNDABLE")).toHaveLength(2)

      const refunds = await container.resolve(Modules.PAYMENT).listRefunds({ payment_id }, { select: ["id", "amount"] })
      expect(sum(refunds.map((r) => String(r.amount)))).toBe("90")
      const rows = (await ledgerRows(container, order.id)).filter((r) => r.kind === "refund")
      expect(rows.map((r) => r.reference_id).sort()).toEqual(refunds.map((r) => r.id).sort())
      expect(rows.every((r) => r.status === "succeeded")).toBe(true)
      await expectStoredBalanceIsLedgerTruth(order.id)
      const summary = (await get(`/admin/orders/${order.id}?fields=id,summary.*`)).data.order.summary
      expect(dec(summary.pending_difference)).toBe(dec((await storedBalance(container, order.id))!.outstanding_amount))
    })

    /** The ledger payment mirrored from a Medusa capture. */
    async function ledgerPaymentOfCapture(orderId: string, captureId: string) {
      const mirrored = await mirroredCapture(getContainer(), orderId, captureId)
      expect(mirrored).toEqual(expect.objectContaining({ kind: "payment" }))
      return { id: mirrored!.id as string }
    }
  },
})
