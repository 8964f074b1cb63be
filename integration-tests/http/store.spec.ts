import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { settle, type Res } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createCustomerOrder, createPublishableKey, registerCustomer } from "../helpers/customer"
import { storeBalanceKeys, storeTransactionKeys } from "../../src/api/store/orders/query-config"

jest.setTimeout(180_000)

type Options = { headers: Record<string, string> }

/** Keys a store answer must never carry, and values of them that must never appear anywhere. */
const HIDDEN_KEYS = [
  "fee",
  "formatted_fee",
  "message",
  "gateway",
  "external_id",
  "reference",
  "reference_id",
  "metadata",
  "note",
  "reason",
  "order",
  "refundable_amount",
  "pending_refund_amount",
]
const SECRET_VALUES = ["ch_store_secret", "re_store_secret", "4.66", "stripe", "Transaction approved", "risk score", "called support"]

const NOT_FOUND_BODY = { type: "not_found", code: "NOT_FOUND", message: "Order not found." }

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: Options
    let publishableKey: string
    let alice: Awaited<ReturnType<typeof registerCustomer>>
    let bob: Awaited<ReturnType<typeof registerCustomer>>
    let orderId: string
    let paymentId: string
    let refundId: string

    const get = (url: string, options: Options) => settle(api.get(url, options))
    const onlyKey = (): Options => ({ headers: { "x-publishable-api-key": publishableKey } })

    const expectNothingHidden = (res: Res) => {
      const raw = JSON.stringify(res.data)
      for (const secret of SECRET_VALUES) {
        expect(raw).not.toContain(secret)
      }
      for (const row of res.data.transactions ?? []) {
        for (const key of HIDDEN_KEYS) {
          expect(row).not.toHaveProperty(key)
        }
      }
    }

    beforeEach(async () => {
      const container = getContainer()
      admin = await createAdminHeaders(container)
      publishableKey = (await createPublishableKey(api, admin)).token
      alice = await registerCustomer(api, publishableKey, { email: "alice@ledger.test", first_name: "Alice" })
      bob = await registerCustomer(api, publishableKey, { email: "bob@ledger.test", first_name: "Bob" })
      const order = await createCustomerOrder(container, { customer_id: alice.customer.id, email: alice.customer.email, total: 190 })
      orderId = order.id
      const { data: paid } = await api.post(
        `/admin/orders/${orderId}/transactions`,
        {
          transactions: [
            {
              kind: "payment",
              amount: 150.5,
              payment_method: "card",
              gateway: "stripe",
              external_id: "ch_store_secret",
              fee: "4.66",
              card_brand: "visa",
              card_last4: "4242",
              message: "Transaction approved",
              occurred_at: "2026-01-15T10:00:00.000Z",
              metadata: { internal: "risk score 12" },
            },
          ],
        },
        admin
      )
      paymentId = paid.transactions[0].id
      const { data: refunded } = await api.post(
        `/admin/orders/${orderId}/transactions`,
        {
          transactions: [
            {
              kind: "refund",
              amount: "20.25",
              parent_id: paymentId,
              payment_method: "card",
              gateway: "stripe",
              external_id: "re_store_secret",
              reason: "damaged in transit",
              note: "customer called support",
              occurred_at: "2026-01-16T09:30:00.000Z",
              metadata: { internal: "risk score 12" },
            },
          ],
        },
        admin
      )
      refundId = refunded.transactions[0].id
    })

    describe("GET /store/orders/:id/transactions", () => {
      it("answers the owner their payments and refunds with the public fields only", async () => {
        const res = await get(`/store/orders/${orderId}/transactions`, alice.headers)
        expect(res.status).toBe(200)
        expect(res.data).toEqual({
          transactions: [
            {
              id: paymentId,
              kind: "payment",
              status: "succeeded",
              amount: 150.5,
              formatted_amount: "$150.50",
              currency_code: "usd",
              payment_method: "card",
              card_brand: "visa",
              card_last4: "4242",
              occurred_at: "2026-01-15T10:00:00.000Z",
              parent_id: null,
              refunded_amount: 20.25,
              formatted_refunded_amount: "$20.25",
            },
            {
              id: refundId,
              kind: "refund",
              status: "succeeded",
              amount: -20.25,
              formatted_amount: "-$20.25",
              currency_code: "usd",
              payment_method: "card",
              card_brand: null,
              card_last4: null,
              occurred_at: "2026-01-16T09:30:00.000Z",
              parent_id: paymentId,
            },
          ],
          count: 2,
          offset: 0,
          limit: 50,
        })
        for (const row of res.data.transactions) {
          expect(Object.keys(row).every((key) => storeTransactionKeys.includes(key))).toBe(true)
        }
        expectNothingHidden(res)
      })

      it("accepts a session cookie as well as a bearer token", async () => {
        const session = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${alice.token}` } })
        const cookie = String(session.headers["set-cookie"]?.[0] ?? "").split(";")[0]
        expect(cookie).toMatch(/^connect\.sid=/)
        const res = await get(`/store/orders/${orderId}/transactions`, { headers: { ...onlyKey().headers, cookie } })
        expect(res.status).toBe(200)
        expect(res.data.transactions.map((t: { id: string }) => t.id)).toEqual([paymentId, refundId])
      })

      it("filters on visible fields and pages", async () => {
        const refunds = await get(`/store/orders/${orderId}/transactions?kind=refund`, alice.headers)
        expect(refunds.status).toBe(200)
        expect(refunds.data.transactions.map((t: { id: string }) => t.id)).toEqual([refundId])
        const newestFirst = await get(`/store/orders/${orderId}/transactions?order=-occurred_at&limit=1`, alice.headers)
        expect(newestFirst.status).toBe(200)
        expect(newestFirst.data).toEqual(
          expect.objectContaining({ count: 2, limit: 1, offset: 0, transactions: [expect.objectContaining({ id: refundId })] })
        )
        const tooMany = await get(`/store/orders/${orderId}/transactions?limit=101`, alice.headers)
        expect(tooMany.status).toBe(400)
        expect(tooMany.data.code).toBe("INVALID_DATA")
      })

      it("narrows the answer to the requested public fields", async () => {
        const narrow = await get(`/store/orders/${orderId}/transactions?fields=status,formatted_amount`, alice.headers)
        expect(narrow.status).toBe(200)
        expect(narrow.data.transactions).toEqual([
          { id: paymentId, status: "succeeded", formatted_amount: "$150.50" },
          { id: refundId, status: "succeeded", formatted_amount: "-$20.25" },
        ])
        const minus = await get(`/store/orders/${orderId}/transactions?fields=-card_last4,-refunded_amount`, alice.headers)
        expect(minus.status).toBe(200)
        expect(Object.keys(minus.data.transactions[0]).sort()).toEqual(
          storeTransactionKeys.filter((k) => k !== "card_last4" && k !== "refunded_amount").sort()
        )
      })

      it.each([
        ["*fee,*metadata", "*fee, *metadata"],
        ["fee,gateway,metadata", "fee, gateway, metadata"],
        ["+fee,+external_id", "+fee, +external_id"],
        ["id,message,note,reference_id", "message, note, reference_id"],
        ["*order", "*order"],
        ["order.email", "order.email"],
      ])("refuses fields=%s with 400 INVALID_DATA and leaks none of them", async (fields, named) => {
        const res = await get(`/store/orders/${orderId}/transactions?fields=${encodeURIComponent(fields)}`, alice.headers)
        expect(res.status).toBe(400)
        expect(res.data).toEqual({
          type: "invalid_data",
          code: "INVALID_DATA",
          message: expect.stringContaining(`fields not available on the store API: ${named}.`),
        })
        expect(res.data).not.toHaveProperty("transactions")
        expectNothingHidden(res)
      })

      it.each([
        ["sorting on a hidden field", "order=fee"],
        ["sorting on a hidden field, descending", "order=-external_id"],
        ["filtering on a hidden field", "gateway=stripe"],
        ["filtering on a hidden field", "external_id=ch_store_secret"],
        ["asking for deleted rows", "with_deleted=true"],
      ])("refuses %s (%s) with 400 INVALID_DATA", async (_, params) => {
        const res = await get(`/store/orders/${orderId}/transactions?${params}`, alice.headers)
        expect(res.status).toBe(400)
        expect(res.data).toEqual(expect.objectContaining({ type: "invalid_data", code: "INVALID_DATA" }))
        expectNothingHidden(res)
      })
    })

    describe("GET /store/orders/:id/balance", () => {
      it("answers the owner what is paid, refunded and still owed", async () => {
        const res = await get(`/store/orders/${orderId}/balance`, alice.headers)
        expect(res.status).toBe(200)
        expect(res.data).toEqual({
          balance: {
            order_id: orderId,
            currency_code: "usd",
            order_total: 190,
            formatted_order_total: "$190.00",
            paid_total: 150.5,
            formatted_paid_total: "$150.50",
            refunded_total: 20.25,
            formatted_refunded_total: "$20.25",
            chargeback_total: 0,
            formatted_chargeback_total: "$0.00",
            reversed_total: 0,
            formatted_reversed_total: "$0.00",
            authorized_total: 0,
            formatted_authorized_total: "$0.00",
            pending_total: 0,
            formatted_pending_total: "$0.00",
            net_paid: 130.25,
            formatted_net_paid: "$130.25",
            outstanding_amount: 59.75,
            formatted_outstanding_amount: "$59.75",
            status: "customer_owes",
          },
        })
        expect(Object.keys(res.data.balance).sort()).toEqual([...storeBalanceKeys].sort())
      })

      it("answers the whole total as owed for an order with no ledger rows yet", async () => {
        const order = await createCustomerOrder(getContainer(), {
          customer_id: alice.customer.id,
          email: alice.customer.email,
          total: "80.10",
        })
        const res = await get(`/store/orders/${order.id}/balance`, alice.headers)
        expect(res.status).toBe(200)
        expect(res.data.balance).toEqual(
          expect.objectContaining({
            order_id: order.id,
            order_total: 80.1,
            paid_total: 0,
            outstanding_amount: 80.1,
            formatted_outstanding_amount: "$80.10",
            status: "customer_owes",
          })
        )
        expect(res.data.balance).not.toHaveProperty("id")
        expect(Object.keys(res.data.balance).every((key) => storeBalanceKeys.includes(key))).toBe(true)
      })

      it("narrows to the requested fields and refuses anything else", async () => {
        const narrow = await get(`/store/orders/${orderId}/balance?fields=formatted_outstanding_amount,status`, alice.headers)
        expect(narrow.status).toBe(200)
        expect(narrow.data).toEqual({ balance: { formatted_outstanding_amount: "$59.75", status: "customer_owes" } })
        const hidden = await get(`/store/orders/${orderId}/balance?fields=*order,id,updated_at`, alice.headers)
        expect(hidden.status).toBe(400)
        expect(hidden.data).toEqual(
          expect.objectContaining({
            code: "INVALID_DATA",
            message: expect.stringContaining("fields not available on the store API: *order, id, updated_at."),
          })
        )
      })
    })

    describe("who may ask", () => {
      it.each(["transactions", "balance"])(
        "answers another customer's order /%s with 404 and exactly the body of a missing order",
        async (resource) => {
          const foreign = await get(`/store/orders/${orderId}/${resource}`, bob.headers)
          const missing = await get(`/store/orders/order_01NOSUCHORDER0000000000000/${resource}`, bob.headers)
          const missingForOwner = await get(`/store/orders/order_01NOSUCHORDER0000000000000/${resource}`, alice.headers)
          expect(foreign.status).toBe(404)
          expect(missing.status).toBe(404)
          expect(foreign.data).toEqual(NOT_FOUND_BODY)
          expect(missing.data).toEqual(foreign.data)
          expect(missingForOwner.data).toEqual(foreign.data)
          expect(JSON.stringify(foreign.data)).toBe(JSON.stringify(missing.data))
          // Public fields do not open the door either.
          const probing = await get(`/store/orders/${orderId}/${resource}?fields=status`, bob.headers)
          expect(probing.status).toBe(404)
          expect(probing.data).toEqual(NOT_FOUND_BODY)
        }
      )

      it.each(["transactions", "balance"])("answers /%s with 401 when no customer is signed in", async (resource) => {
        const anonymous = await get(`/store/orders/${orderId}/${resource}`, onlyKey())
        expect(anonymous.status).toBe(401)
        expect(anonymous.data).toEqual({ message: "Unauthorized" })
        const forged = await get(`/store/orders/${orderId}/${resource}`, {
          headers: { ...onlyKey().headers, authorization: `Bearer ${alice.token.slice(0, -4)}AAAA` },
        })
        expect(forged.status).toBe(401)
        // An admin's token is not a customer's.
        const adminToken = await get(`/store/orders/${orderId}/${resource}`, {
          headers: { ...onlyKey().headers, ...admin.headers },
        })
        expect(adminToken.status).toBe(401)
      })

      it.each(["transactions", "balance"])(
        "answers /%s with Medusa's publishable-key error when the key is missing or unknown",
        async (resource) => {
          const noKey = await get(`/store/orders/${orderId}/${resource}`, {
            headers: { authorization: alice.headers.headers.authorization },
          })
          expect(noKey.status).toBe(400)
          expect(noKey.data).toEqual({
            type: "not_allowed",
            message: expect.stringContaining("Publishable API key required in the request header: x-publishable-api-key"),
          })
          const badKey = await get(`/store/orders/${orderId}/${resource}`, {
            headers: { ...alice.headers.headers, "x-publishable-api-key": "pk_not_a_real_key" },
          })
          expect(badKey.status).toBe(400)
          expect(badKey.data).toEqual({
            type: "not_allowed",
            message: "A valid publishable key is required to proceed with the request",
          })
        }
      )

      it("does not expose the ledger through Medusa's own GET /store/orders/:id", async () => {
        const res = await get(
          `/store/orders/${orderId}?fields=id,*ledger_transactions,*ledger_balance,ledger_transactions.fee`,
          onlyKey()
        )
        // Medusa 2.21 strips fields outside its store allow-list and answers the rest.
        expect(res.status).toBe(200)
        expect(res.data.order.id).toBe(orderId)
        expect(res.data.order).not.toHaveProperty("ledger_transactions")
        expect(res.data.order).not.toHaveProperty("ledger_balance")
        expectNothingHidden(res)
      })
    })
  },
})
