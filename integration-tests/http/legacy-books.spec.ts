import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { recordLedgerTransactionsWorkflow } from "../../src/workflows/workflows/record-ledger-transactions"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { ledgerRows, ledgerService } from "../helpers/ledger"

jest.setTimeout(180_000)

const dec = (v: unknown) => MathBN.convert((v as { value?: string })?.value ?? (v as string)).toFixed()

/**
 * A ledger written before outside payments became Medusa payments: its cash and its refund are
 * `order_ledger` core order transactions. The reconcile carries them over (a captured
 * system-provider payment, a Medusa refund of it) and takes the old core transactions out, once.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, utils }) => {
    it("carries an older ledger's outside money into Medusa's payments, idempotently", async () => {
      const container = getContainer()
      const admin = await createAdminHeaders(container)
      const order = await createOrder(container, { total: 100 })
      // The older ledger: rows without Medusa's books, and the core transactions it used to add.
      const { result } = await recordLedgerTransactionsWorkflow(container).run({
        input: { order_id: order.id, transactions: [{ kind: "payment", amount: 100, payment_method: "cash" }], skip_core_sync: true },
      })
      const cashId = result.transaction_ids[0]
      await recordLedgerTransactionsWorkflow(container).run({
        input: { order_id: order.id, transactions: [{ kind: "refund", amount: 10, parent_id: cashId }], skip_core_sync: true },
      })
      const orders = container.resolve(Modules.ORDER)
      await orders.addOrderTransactions([
        { order_id: order.id, amount: 100, currency_code: "usd", reference: "order_ledger", reference_id: cashId },
        { order_id: order.id, amount: -10, currency_code: "usd", reference: "order_ledger", reference_id: "oltx_old_refund" },
      ])

      const books = async () => {
        await utils.waitWorkflowExecutions()
        const core = await orders.listOrderTransactions({ order_id: order.id }, { select: ["amount", "reference"] })
        const { data } = await api.get(
          `/admin/orders/${order.id}?fields=id,summary.*,payment_collections.captured_amount,payment_collections.refunded_amount`,
          admin
        )
        const { data: b } = await api.get(`/admin/orders/${order.id}/balance`, admin)
        return {
          core: core.map((t) => [t.reference, dec(String(t.amount))]).sort(),
          collections: (data.order.payment_collections as Record<string, unknown>[]).map((c) => [dec(c.captured_amount), dec(c.refunded_amount)]),
          pending_difference: dec(data.order.summary.raw_pending_difference ?? data.order.summary.pending_difference),
          outstanding: dec(b.balance.outstanding_amount),
        }
      }

      const first = await api.post(`/admin/order-transactions/reconcile`, { order_ids: [order.id] }, admin)
      expect(first.data).toMatchObject({ orders: 1, created: 0, failed: [] })
      const after = await books()
      expect(after).toEqual({
        core: [["capture", "100"], ["refund", "-10"]],
        collections: [["100", "10"]],
        pending_difference: "10",
        outstanding: "10",
      })
      const rows = await ledgerService(container).listTransactionPage({ order_id: order.id }, { limit: 10 })
      expect(rows.map((r) => [r.kind, r.medusa_payment_id?.startsWith("pay_")])).toEqual([
        ["payment", true],
        ["refund", true],
      ])

      // Again: nothing to carry, nothing to put right, nothing mirrored back.
      await api.post(`/admin/order-transactions/reconcile`, { order_ids: [order.id] }, admin)
      expect(await books()).toEqual(after)
      expect(await ledgerRows(container, order.id)).toHaveLength(2)
    })
  },
})
