import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("smoke", () => {
      it("records a payment and answers the balance", async () => {
        const container = getContainer()
        const admin = await createAdminHeaders(container)
        const order = await createOrder(container, { total: 190 })
        const res = await api.post(
          `/admin/orders/${order.id}/transactions`,
          { transactions: [{ kind: "payment", amount: 100, payment_method: "bank_transfer" }] },
          admin
        ).catch((e: any) => e.response)
        console.log(JSON.stringify(res.data, null, 2))
        expect(res.status).toBe(200)
        const bal = await api.get(`/admin/orders/${order.id}/balance`, admin)
        console.log(JSON.stringify(bal.data, null, 2))
        const q = await api.get(`/admin/orders/${order.id}?fields=id,summary.*`, admin)
        console.log(JSON.stringify(q.data, null, 2))
      })
    })
  },
})
