import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  WorkflowData,
  WorkflowResponse,
  createWorkflow,
  transform,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { recordLedgerTransactionsWorkflow } from "../../src/workflows/workflows/record-ledger-transactions"
import { ledgerLockKey } from "../../src/workflows/utils/ledger-lock"
import { isLedgerLockContention } from "../../src/utils/errors"
import { createOrder } from "../helpers/orders"
import { ledgerRows } from "../helpers/ledger"

jest.setTimeout(120_000)

/** A store's own workflow that holds the order's ledger lock and records through the plugin's workflow inside it. */
const recordUnderOwnLockWorkflow = createWorkflow(
  "test-record-under-own-ledger-lock",
  (input: WorkflowData<{ order_id: string }>) => {
    const key = transform({ input }, ({ input }) => [ledgerLockKey(input.order_id)])
    acquireLockStep({ key, timeout: 2, ttl: 30 })
    const recordInput = transform({ input }, ({ input }) => ({
      order_id: input.order_id,
      transactions: [{ kind: "payment" as const, amount: 10, payment_method: "cash" as const }],
    }))
    const result = recordLedgerTransactionsWorkflow.runAsStep({ input: recordInput })
    releaseLockStep({ key })
    return new WorkflowResponse(result)
  }
)

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    describe("the ledger's lock", () => {
      it("does not make a ledger workflow nested in one holding the same key wait on itself", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        const started = Date.now()
        const { result } = await recordUnderOwnLockWorkflow(container).run({ input: { order_id: order.id } })
        // Well under the 5 s the nested workflow would wait for a lock held by someone else.
        expect(Date.now() - started).toBeLessThan(4_000)
        expect(result.transaction_ids).toHaveLength(1)
        expect((await ledgerRows(container, order.id)).map((r) => r.id)).toEqual(result.transaction_ids)

        // The outer workflow released the key: a plain record goes through at once.
        const again = await recordLedgerTransactionsWorkflow(container).run({
          input: { order_id: order.id, transactions: [{ kind: "payment", amount: 5 }] },
        })
        expect(again.result.transaction_ids).toHaveLength(1)
      })

      it("refuses a record while someone else holds the key, with the lock-contention error the API answers as CONCURRENT_REQUEST", async () => {
        const container = getContainer()
        const order = await createOrder(container, { total: 100 })
        const locking = container.resolve(Modules.LOCKING)
        await locking.acquire(ledgerLockKey(order.id), { ownerId: "someone-else", expire: 30 })
        try {
          const { errors } = await recordLedgerTransactionsWorkflow(container).run({
            input: { order_id: order.id, transactions: [{ kind: "payment", amount: 5 }] },
            throwOnError: false,
          })
          expect(errors.map((e) => isLedgerLockContention(e.error))).toEqual([true])
          expect(await ledgerRows(container, order.id)).toEqual([])
        } finally {
          await locking.release(ledgerLockKey(order.id), { ownerId: "someone-else" })
        }
      })
    })
  },
})
