import { MedusaError } from "@medusajs/framework/utils"
import { ledgerErrorResponse } from "../../src/api/utils/http"
import { LedgerError, LedgerErrorCode, isLockWaitTimeout } from "../../src/utils/errors"

/** The one mapper from an error to the ledger's HTTP answer. */
describe("ledgerErrorResponse", () => {
  it("answers a ledger error with its code's status and its details", () => {
    const answer = ledgerErrorResponse(new LedgerError(LedgerErrorCode.AMOUNT_EXCEEDS_REFUNDABLE, "too much", { refundable_amount: 5 }))
    expect(answer).toEqual({
      status: 400,
      body: { type: "invalid_data", code: "AMOUNT_EXCEEDS_REFUNDABLE", message: "too much", refundable_amount: 5 },
    })
    expect(ledgerErrorResponse(new LedgerError(LedgerErrorCode.DUPLICATE_TRANSACTION, "twice"))?.status).toBe(409)
  })

  it("answers CONCURRENT_REQUEST when a locking provider refuses an order's ledger lock (in-memory and Redis wording)", () => {
    for (const error of [
      new Error('Failed to acquire lock for key "order-ledger:order_1"'),
      new MedusaError(MedusaError.Types.CONFLICT, 'Failed to acquire lock for key "order-ledger:order_1"'),
    ]) {
      expect(ledgerErrorResponse(error)).toEqual({
        status: 409,
        body: { type: "conflict", code: "CONCURRENT_REQUEST", message: "Another request is writing to this order's ledger; retry later." },
      })
    }
  })

  it("leaves a broken lock provider, another key's lock and unknown errors to Medusa's handler (a 500, logged)", () => {
    expect(ledgerErrorResponse(new Error("Connection is closed."))).toBeNull()
    expect(ledgerErrorResponse(new Error('Failed to acquire lock for key "cart:cart_1"'))).toBeNull()
    expect(ledgerErrorResponse(new Error("Timed-out acquiring lock."))).toBeNull()
    expect(isLockWaitTimeout(new Error("Timed-out acquiring lock."))).toBe(true)
  })

  it("gives Medusa's own invalid-data and not-found errors the ledger's codes", () => {
    expect(ledgerErrorResponse(new MedusaError(MedusaError.Types.INVALID_DATA, "bad"))?.body).toMatchObject({ code: "INVALID_DATA" })
    expect(ledgerErrorResponse(new MedusaError(MedusaError.Types.NOT_FOUND, "gone"))).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } })
  })
})
