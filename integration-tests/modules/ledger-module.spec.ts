import path from "path"
import { BALANCE_MONEY_FIELDS } from "../../src/utils/constants"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MedusaError } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"
import type { LedgerOrderInput, RecordLedgerTransactionsInput } from "../../src/modules/order-ledger/types"
import { LedgerErrorCode, toDecimalString } from "../../src/utils"
import { dropDatabase, uniqueDatabaseName } from "./database"

jest.setTimeout(120_000)

const MODULE_DIR = path.resolve(__dirname, "../../src/modules/order-ledger")
const dbName = uniqueDatabaseName("ledger_module")

const FIGURES = BALANCE_MONEY_FIELDS

/** A stored balance as exact decimal strings, comparable with `computeBalancesFromLedger`. */
function figuresOf(balance: Record<string, unknown>): Record<string, string> {
  return {
    order_id: String(balance.order_id),
    currency_code: String(balance.currency_code),
    ...Object.fromEntries(
      FIGURES.map((f) => [f, toDecimalString((balance[`raw_${f}`] ?? balance[f]) as never)])
    ),
    status: String(balance.status),
  }
}

/** Runs `fn` and answers what it threw (failing the test if nothing was thrown). */
async function rejection(fn: () => Promise<unknown>): Promise<{ code?: string; type?: string; message: string; details?: Record<string, unknown> }> {
  try {
    await fn()
  } catch (e) {
    return e as never
  }
  throw new Error("expected a rejection, the call succeeded")
}

afterAll(async () => {
  await dropDatabase(dbName)
})

moduleIntegrationTestRunner<OrderLedgerModuleService>({
  moduleName: ORDER_LEDGER_MODULE,
  resolve: MODULE_DIR,
  // The schema comes from the real migrations, not from syncing the models.
  pathToMigrations: path.join(MODULE_DIR, "migrations"),
  dbName,
  testSuite: ({ service, MikroOrmWrapper }) => {
    const order: LedgerOrderInput = { id: "order_01", currency_code: "usd", total: "190" }

    const record = (transactions: RecordLedgerTransactionsInput["transactions"], extra: Partial<RecordLedgerTransactionsInput> = {}) =>
      service.recordTransactions({ order, transactions, ...extra })

    const storedBalance = async (orderId = order.id) => {
      const [balance] = await service.listLedgerBalances({ order_id: orderId })
      return figuresOf(balance as unknown as Record<string, unknown>)
    }

    const rowCount = async (table: string) => {
      const [{ n }] = await MikroOrmWrapper.getManager().execute(`SELECT count(*)::int AS n FROM ${table}`)
      return n as number
    }

    describe("schema", () => {
      it("was built by the migrations", async () => {
        const rows = await MikroOrmWrapper.getManager().execute(`SELECT name FROM mikro_orm_migrations`)
        expect(rows.map((r: { name: string }) => r.name)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^Migration\d+/)])
        )
      })
    })

    describe("recordTransactions", () => {
      it("writes signed rows and the order's balance in one call", async () => {
        const result = await record([
          {
            kind: "payment",
            amount: "100.10",
            payment_method: "card",
            gateway: "stripe",
            external_id: "ch_1",
            fee: "3.20",
            card_brand: "visa",
            card_last4: "4242",
            message: "Transaction approved",
          },
          { kind: "payment", status: "pending", amount: 50, payment_method: "bank_transfer" },
        ])
        expect(result).toMatchObject({ order_id: order.id, replayed: false, voided_payment_ids: [] })
        expect(result.transaction_ids).toHaveLength(2)
        expect(result.transaction_ids[0]).toMatch(/^oltx_/)

        const rows = await service.listLedgerTransactions({ order_id: order.id }, { order: { amount: "DESC" } })
        expect(rows.map((r) => [r.kind, r.status, toDecimalString(r.amount as never), r.currency_code])).toEqual([
          ["payment", "succeeded", "100.1", "usd"],
          ["payment", "pending", "50", "usd"],
        ])
        expect(rows[0]).toMatchObject({ gateway: "stripe", external_id: "ch_1", card_brand: "visa", card_last4: "4242" })
        expect(toDecimalString(rows[0].fee as never)).toBe("3.2")

        expect(await storedBalance()).toEqual({
          order_id: order.id,
          currency_code: "usd",
          order_total: "190",
          paid_total: "100.1",
          refunded_total: "0",
          chargeback_total: "0",
          reversed_total: "0",
          authorized_total: "0",
          pending_total: "50",
          net_paid: "100.1",
          outstanding_amount: "89.9",
          status: "customer_owes",
        })
      })

      it("stores refunds negative and moves the balance to merchant_owes when more was paid than owed", async () => {
        const {
          transaction_ids: [paymentId],
        } = await record([{ kind: "payment", amount: 190 }])
        const second = await record([{ kind: "payment", amount: 20 }])
        expect((await storedBalance()).status).toBe("merchant_owes")
        await record([{ kind: "refund", amount: "20", parent_id: paymentId, reason: "paid twice" }])
        const refund = (await service.listLedgerTransactions({ order_id: order.id, kind: "refund" }))[0]
        expect(toDecimalString(refund.amount as never)).toBe("-20")
        expect(await storedBalance()).toMatchObject({
          paid_total: "210",
          refunded_total: "20",
          net_paid: "190",
          outstanding_amount: "0",
          status: "settled",
        })
        expect(second.transaction_ids).toHaveLength(1)
      })

      it("refund beyond what is refundable → AMOUNT_EXCEEDS_REFUNDABLE, and nothing is written", async () => {
        const {
          transaction_ids: [paymentId],
        } = await record([{ kind: "payment", amount: 100 }])
        await record([{ kind: "refund", amount: "60", parent_id: paymentId }])
        const before = await storedBalance()

        const error = await rejection(() =>
          record([
            { kind: "payment", amount: 5 },
            { kind: "refund", amount: "40.01", parent_id: paymentId },
          ])
        )
        expect(error.code).toBe(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE)
        expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
        expect(error.message).toContain("transactions[1].amount $40.01 exceeds what is left to refund")
        expect(error.details).toMatchObject({ transaction_id: paymentId, refunded_amount: 60, refundable_amount: 40 })

        // All or none: the payment in the same call was not recorded either.
        expect(await rowCount("ledger_transaction")).toBe(2)
        expect(await storedBalance()).toEqual(before)

        // Exactly what is left still fits, and then nothing is left.
        await record([{ kind: "refund", amount: "40", parent_id: paymentId }])
        const again = await rejection(() => record([{ kind: "refund", amount: "0.01", parent_id: paymentId }]))
        expect(again.code).toBe(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE)
      })

      it("two refunds in one batch add up against the payment", async () => {
        const {
          transaction_ids: [paymentId],
        } = await record([{ kind: "payment", amount: 100 }])
        const error = await rejection(() =>
          record([
            { kind: "refund", amount: 60, parent_id: paymentId },
            { kind: "refund", amount: 60, parent_id: paymentId },
          ])
        )
        expect(error.code).toBe(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE)
        expect(await rowCount("ledger_transaction")).toBe(1)
      })

      it("a full refund (no amount, refund guard) takes what is left; a stale guard → PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH", async () => {
        const {
          transaction_ids: [paymentId],
        } = await record([{ kind: "payment", amount: "80.50" }])
        await record([{ kind: "refund", amount: "30", parent_id: paymentId }])

        const stale = await rejection(() =>
          record([{ kind: "refund", parent_id: paymentId }], {
            refund_guard: { parent_id: paymentId, previously_refunded_amount: 0 },
          })
        )
        expect(stale.code).toBe(LedgerErrorCode.PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH)
        expect(stale.type).toBe(MedusaError.Types.CONFLICT)
        expect(stale.details).toMatchObject({ refunded_amount: 30, refundable_amount: 50.5 })

        const full = await record([{ kind: "refund", parent_id: paymentId }], {
          refund_guard: { parent_id: paymentId, previously_refunded_amount: "30" },
        })
        const [refund] = await service.listLedgerTransactions({ id: full.transaction_ids })
        expect(toDecimalString(refund.amount as never)).toBe("-50.5")
        const [summary] = await service.getRefundSummaries([paymentId])
        expect(summary).toEqual({
          transaction_id: paymentId,
          refunded_amount: "80.5",
          pending_refund_amount: "0",
          refundable_amount: "0",
        })
      })

      it("duplicate gateway + external_id → DUPLICATE_TRANSACTION, across calls and within one", async () => {
        await record([{ kind: "payment", amount: 10, gateway: "stripe", external_id: "ch_dup" }])

        const across = await rejection(() =>
          record([{ kind: "payment", amount: 10, gateway: "stripe", external_id: "ch_dup" }])
        )
        expect(across.code).toBe(LedgerErrorCode.DUPLICATE_TRANSACTION)
        expect(across.type).toBe(MedusaError.Types.CONFLICT)

        const within = await rejection(() =>
          record([
            { kind: "payment", amount: 1, gateway: "manual", external_id: "BT-1" },
            { kind: "payment", amount: 1, gateway: "manual", external_id: "BT-1" },
          ])
        )
        expect(within.code).toBe(LedgerErrorCode.DUPLICATE_TRANSACTION)

        const byReference = await rejection(async () => {
          await record([{ kind: "payment", amount: 1, reference: "capture", reference_id: "capt_1" }])
          await record([{ kind: "payment", amount: 1, reference: "capture", reference_id: "capt_1" }])
        })
        expect(byReference.code).toBe(LedgerErrorCode.DUPLICATE_TRANSACTION)

        // The same external id at another gateway is another payment.
        await record([{ kind: "payment", amount: 10, gateway: "paypal", external_id: "ch_dup" }])
        expect(await rowCount("ledger_transaction")).toBe(3)
      })

      it.each([
        ["too many decimals", { kind: "payment" as const, amount: "1.005" }, LedgerErrorCode.INVALID_DATA, /transactions\[0\]\.amount has 3 decimals/],
        ["another currency", { kind: "payment" as const, amount: 1, currency_code: "eur" }, LedgerErrorCode.CURRENCY_MISMATCH, /transactions\[0\]\.currency_code is eur/],
        ["a refund without parent", { kind: "refund" as const, amount: 1 }, LedgerErrorCode.INVALID_DATA, /parent_id is required/],
        ["a refund of a missing payment", { kind: "refund" as const, amount: 1, parent_id: "oltx_missing" }, LedgerErrorCode.NOT_FOUND, /oltx_missing was not found/],
      ])("rejects %s with its code", async (_label, input, code, message) => {
        const error = await rejection(() => record([input]))
        expect(error.code).toBe(code)
        expect(error.message).toMatch(message)
        expect(await rowCount("ledger_transaction")).toBe(0)
      })

      it("replays a repeat with the same idempotency key, and refuses the key with another body", async () => {
        const idempotency = { key: "key-1", request_hash: "hash-a" }
        const first = await record([{ kind: "payment", amount: 10 }], { idempotency })
        const repeat = await record([{ kind: "payment", amount: 10 }], { idempotency })
        expect(repeat).toMatchObject({ replayed: true, transaction_ids: first.transaction_ids })
        expect(await rowCount("ledger_transaction")).toBe(1)

        const mismatch = await rejection(() =>
          record([{ kind: "payment", amount: 11 }], { idempotency: { key: "key-1", request_hash: "hash-b" } })
        )
        expect(mismatch.code).toBe(LedgerErrorCode.IDEMPOTENCY_KEY_MISMATCH)
      })
    })

    describe("recordTransactionsForOrders", () => {
      const other: LedgerOrderInput = { id: "order_02", currency_code: "eur", total: "24.9781" }

      it("records several orders' calls in one transaction, each on its own order's rows and balance", async () => {
        const [{ transaction_ids: [paymentA] }, { transaction_ids: [authB] }] = await service.recordTransactionsForOrders([
          { order, transactions: [{ kind: "payment", amount: 100 }] },
          { order: other, transactions: [{ kind: "authorization", amount: "24.9781" }], exact_amounts: true },
        ])
        const [a, b] = await service.recordTransactionsForOrders([
          { order, transactions: [{ kind: "refund", amount: 30, parent_id: paymentA }] },
          { order: other, transactions: [{ kind: "payment", amount: "24.9781", parent_id: authB }], exact_amounts: true },
        ])
        expect(a).toMatchObject({ order_id: order.id, replayed: false, transactions: [{ kind: "refund", amount: "-30" }] })
        expect(b).toMatchObject({ order_id: other.id, transactions: [{ kind: "payment", amount: "24.9781", parent_id: authB }] })
        expect(await storedBalance()).toMatchObject({ paid_total: "100", refunded_total: "30", status: "customer_owes" })
        expect(await storedBalance(other.id)).toMatchObject({ paid_total: "24.9781", status: "settled" })
        expect(await service.computeBalancesFromLedger([order.id, other.id])).toEqual(
          expect.arrayContaining([expect.objectContaining({ order_id: other.id, paid_total: "24.9781" })])
        )
      })

      it("is all or none: one order's broken call writes nothing for any of them", async () => {
        const [{ transaction_ids: [paymentA] }] = await service.recordTransactionsForOrders([
          { order, transactions: [{ kind: "payment", amount: 100 }] },
        ])
        const error = await rejection(() =>
          service.recordTransactionsForOrders([
            { order: other, transactions: [{ kind: "payment", amount: 5 }] },
            { order, transactions: [{ kind: "refund", amount: "100.01", parent_id: paymentA }] },
          ])
        )
        expect(error.code).toBe(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE)
        expect(await rowCount("ledger_transaction")).toBe(1)
        expect(await service.listLedgerBalances({ order_id: other.id })).toEqual([])
      })

      it("refuses an order named twice and idempotency keys, before writing", async () => {
        const twice = await rejection(() =>
          service.recordTransactionsForOrders([
            { order, transactions: [{ kind: "payment", amount: 1 }] },
            { order, transactions: [{ kind: "payment", amount: 2 }] },
          ])
        )
        expect(twice.code).toBe(LedgerErrorCode.INVALID_DATA)
        const keyed = await rejection(() =>
          service.recordTransactionsForOrders([
            { order, transactions: [{ kind: "payment", amount: 1 }], idempotency: { key: "k", request_hash: "h" } },
          ])
        )
        expect(keyed.code).toBe(LedgerErrorCode.INVALID_DATA)
        expect(await rowCount("ledger_transaction")).toBe(0)
      })
    })

    describe("updateTransactionStatus", () => {
      it("moves forward only, and the balance follows", async () => {
        const {
          transaction_ids: [pendingId],
        } = await record([{ kind: "payment", status: "pending", amount: 190, payment_method: "bank_transfer" }])
        expect((await storedBalance()).status).toBe("customer_owes")

        const before = await service.updateTransactionStatus({ id: pendingId, status: "succeeded", message: "Received" })
        expect(before).toMatchObject({ id: pendingId, status: "pending", message: null })
        expect(await storedBalance()).toMatchObject({ paid_total: "190", pending_total: "0", status: "settled" })

        const error = await rejection(() => service.updateTransactionStatus({ id: pendingId, status: "failed" }))
        expect(error.code).toBe(LedgerErrorCode.INVALID_STATUS_TRANSITION)

        const missing = await rejection(() => service.updateTransactionStatus({ id: "oltx_nope", status: "failed" }))
        expect(missing.code).toBe(LedgerErrorCode.NOT_FOUND)
      })
    })

    describe("computeBalancesFromLedger", () => {
      it("equals the stored balances after a mix of every kind and status", async () => {
        const other: LedgerOrderInput = { id: "order_02", currency_code: "jpy", total: 1900 }
        const [paymentId, , authId] = (
          await record([
            { kind: "payment", amount: "150.25", payment_method: "card", card_brand: "mastercard", card_last4: "4444" },
            { kind: "payment", status: "pending", amount: "20", payment_method: "bank_transfer" },
            { kind: "authorization", amount: "60" },
          ])
        ).transaction_ids
        await record([
          { kind: "refund", amount: "10.10", parent_id: paymentId },
          { kind: "refund", status: "pending", amount: "5", parent_id: paymentId },
          { kind: "chargeback", amount: "15", parent_id: paymentId },
          { kind: "payment", amount: "25", parent_id: authId },
          { kind: "void", amount: "5", parent_id: authId },
        ])
        await service.recordTransactions({ order: other, transactions: [{ kind: "payment", amount: 2000 }] })
        // Medusa's total changes (an edit): the balance follows on refresh.
        await service.refreshBalances([{ ...order, total: "180" }])

        const computed = await service.computeBalancesFromLedger()
        const stored = await Promise.all([storedBalance(order.id), storedBalance(other.id)])
        expect(computed).toEqual(stored)
        expect(computed[0]).toEqual({
          order_id: order.id,
          currency_code: "usd",
          order_total: "180",
          paid_total: "175.25",
          refunded_total: "10.1",
          chargeback_total: "15",
          reversed_total: "0",
          authorized_total: "30",
          pending_total: "15",
          net_paid: "150.15",
          outstanding_amount: "29.85",
          status: "customer_owes",
        })
        expect(computed[1]).toMatchObject({ outstanding_amount: "-100", status: "merchant_owes" })
        expect(await service.computeBalancesFromLedger([other.id])).toEqual([stored[1]])
      })
    })

    describe("revertRecordedTransactions", () => {
      it("removes what one call wrote, its idempotency key and its voids, and nothing else", async () => {
        const kept = await record([{ kind: "payment", amount: 40 }])
        const keptBalance = await storedBalance()
        const {
          transaction_ids: [pendingId],
        } = await record([{ kind: "payment", status: "pending", amount: 30 }])
        const afterPending = await storedBalance()

        const result = await record(
          [
            { kind: "payment", amount: 100, gateway: "stripe", external_id: "ch_rev" },
            { kind: "void", amount: 30, parent_id: pendingId },
          ],
          { idempotency: { key: "rev-key", request_hash: "h" } }
        )
        expect(result.voided_payment_ids).toEqual([pendingId])
        expect(await rowCount("ledger_idempotency_key")).toBe(1)

        await service.revertRecordedTransactions(result)

        expect(await rowCount("ledger_idempotency_key")).toBe(0)
        const rows = await service.listLedgerTransactions({ order_id: order.id })
        expect(rows.map((r) => r.id).sort()).toEqual([kept.transaction_ids[0], pendingId].sort())
        expect(rows.find((r) => r.id === pendingId)?.status).toBe("pending")
        expect(await storedBalance()).toEqual(afterPending)
        // The external id is free again.
        await record([{ kind: "payment", amount: 1, gateway: "stripe", external_id: "ch_rev" }])

        expect(keptBalance.paid_total).toBe("40")
      })

      it("leaves nothing behind after reverting the only call", async () => {
        const result = await record([
          { kind: "payment", amount: 190 },
          { kind: "authorization", amount: 10 },
        ])
        await service.revertRecordedTransactions(result)
        expect(await rowCount("ledger_transaction")).toBe(0)
        expect(await storedBalance()).toMatchObject({
          paid_total: "0",
          authorized_total: "0",
          net_paid: "0",
          outstanding_amount: "190",
          status: "customer_owes",
        })
      })

      it("does nothing for a replayed call", async () => {
        const idempotency = { key: "k", request_hash: "h" }
        await record([{ kind: "payment", amount: 5 }], { idempotency })
        const replay = await record([{ kind: "payment", amount: 5 }], { idempotency })
        await service.revertRecordedTransactions(replay)
        expect(await rowCount("ledger_transaction")).toBe(1)
      })
    })
  },
})
