import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { recordLedgerTransactionsWorkflow } from "../../src/workflows/workflows/record-ledger-transactions"
import { syncCoreOrderTransactionsStepId } from "../../src/workflows/steps/sync-core-order-transactions"
import { createOrder } from "../helpers/orders"
import { ledgerRows, medusaSummary, storedBalance } from "../helpers/ledger"

jest.setTimeout(120_000)

// Its own suite: appendAction changes the workflow's definition for the rest of the process.
medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    describe("record workflow compensation", () => {
      it("leaves no transaction, an unchanged balance and Medusa's books as they were when a step after the write fails", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        await recordLedgerTransactionsWorkflow(container).run({
          input: { order_id: order.id, transactions: [{ kind: "payment", amount: 40 }] },
        })
        const before = await storedBalance(container, order.id)
        const rowsBefore = await ledgerRows(container, order.id)
        expect((await medusaSummary(container, order.id)).pending_difference).toBe(60)

        const workflow = recordLedgerTransactionsWorkflow(container)
        workflow.appendAction("inject-failure", syncCoreOrderTransactionsStepId, {
          invoke: async () => {
            throw new Error("injected failure after the ledger and Medusa's books were written")
          },
        })
        const { errors } = await workflow.run({
          input: {
            order_id: order.id,
            transactions: [
              { kind: "payment", amount: 25, external_id: "ch_comp", gateway: "stripe" },
              { kind: "payment", amount: 35 },
            ],
          },
          throwOnError: false,
        })
        expect(errors).toHaveLength(1)
        expect(errors[0].error.message).toMatch(/injected failure/)

        expect(await ledgerRows(container, order.id)).toEqual(rowsBefore)
        expect(await storedBalance(container, order.id)).toEqual(before)
        expect(before).toEqual(expect.objectContaining({ paid_total: "40", outstanding_amount: "60" }))
        // The core order transactions the sync step added were removed again.
        expect((await medusaSummary(container, order.id)).pending_difference).toBe(60)
      })
    })
  },
})
