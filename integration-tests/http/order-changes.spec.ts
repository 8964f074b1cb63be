import type { IOrderModuleService } from "@medusajs/framework/types"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { refreshOrderBalancesWorkflow } from "../../src/workflows/workflows/refresh-order-balances"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { medusaSummary, storedBalance } from "../helpers/ledger"

jest.setTimeout(120_000)

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs
  let value = await read()
  while (!done(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100))
    value = await read()
  }
  return value
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("balances follow Medusa's order total", () => {
      it("refreshes the balance when an order edit changes the total", async () => {
        const container = getContainer()
        const admin = await createAdminHeaders(container)
        const order = await createOrder(container, { total: 100 })
        const paid = await api.post(
          `/admin/orders/${order.id}/transactions`,
          { transactions: [{ kind: "payment", amount: 100 }] },
          admin
        )
        expect(paid.data.balance.status).toBe("settled")

        const withItems = await container.resolve(Modules.ORDER).retrieveOrder(order.id, { relations: ["items"] })
        const item = withItems.items?.[0]
        const edit = await api.post(`/admin/order-edits`, { order_id: order.id }, admin)
        await api.post(`/admin/order-edits/${order.id}/items/item/${item!.id}`, { quantity: 3 }, admin)
        await api.post(`/admin/order-edits/${order.id}/request`, {}, admin)
        await api.post(`/admin/order-edits/${order.id}/confirm`, {}, admin)
        expect(edit.status).toBe(200)

        const balance = await waitFor(
          () => storedBalance(container, order.id),
          (b) => b?.order_total === "300"
        )
        expect(balance).toEqual(
          expect.objectContaining({ order_total: "300", net_paid: "100", outstanding_amount: "200", status: "customer_owes" })
        )
        expect((await medusaSummary(container, order.id)).pending_difference).toBe(200)
      })

      it("leaves draft orders out of balance refreshes", async () => {
        const container = getContainer()
        // A draft from the start: the scheduled reconcile (every 15 minutes) must not catch it as
        // an order in between.
        const draft = await container.resolve(Modules.ORDER).createOrders({
          currency_code: "usd",
          email: "draft@ledger.test",
          is_draft_order: true,
          items: [{ title: "Draft item", quantity: 1, unit_price: 10 }],
        } as Parameters<IOrderModuleService["createOrders"]>[0] & { is_draft_order: boolean })
        const order = await createOrder(container, { total: 10 })
        const { result } = await refreshOrderBalancesWorkflow(container).run({
          input: { order_ids: [draft.id, order.id] },
        })
        expect(result).toEqual([order.id])
        expect(await storedBalance(container, draft.id)).toBeUndefined()
        expect(await storedBalance(container, order.id)).toEqual(
          expect.objectContaining({ order_total: "10", status: "customer_owes" })
        )
      })
    })
  },
})
