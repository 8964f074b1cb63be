import { Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { setTimeout as sleep } from "timers/promises"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/** Input of {@link acquireLedgerLockStep}. */
export type AcquireLedgerLockStepInput = {
  /** The order ids whose ledgers are written. */
  order_ids: string[]
  /** Seconds to wait for the lock before answering `CONCURRENT_REQUEST`. Default 5. */
  timeout?: number
  /** Seconds the lock lives if its holder dies. Default 30. */
  ttl?: number
}

export const acquireLedgerLockStepId = "acquire-ledger-lock"

/** The locking-module key of an order's ledger. */
export const ledgerLockKey = (orderId: string) => `order-ledger:${orderId}`

/**
 * Takes Medusa's lock on each order's ledger, polling every 20 ms, and turns a timeout into a 409
 * `CONCURRENT_REQUEST` instead of a 500. This is an extra: the guarantee is the row lock the
 * module takes in the database.
 *
 * @example
 * acquireLedgerLockStep({ order_ids: [input.order_id] })
 */
export const acquireLedgerLockStep = createStep(
  acquireLedgerLockStepId,
  async (input: AcquireLedgerLockStepInput, { container }) => {
    const keys = [...new Set(input.order_ids)].sort().map(ledgerLockKey)
    if (!keys.length) {
      return new StepResponse(void 0, { keys })
    }
    const locking = container.resolve(Modules.LOCKING)
    const until = Date.now() + (input.timeout ?? 5) * 1000
    for (;;) {
      try {
        await locking.acquire(keys, { expire: input.ttl ?? 30 })
        break
      } catch (e) {
        if (Date.now() >= until) {
          ledgerError(
            LedgerErrorCode.CONCURRENT_REQUEST,
            "Another request is writing to this order's ledger; retry later."
          )
        }
      }
      await sleep(20)
    }
    return new StepResponse(void 0, { keys })
  },
  async (data, { container }) => {
    if (!data?.keys?.length) {
      return
    }
    await container.resolve(Modules.LOCKING).release(data.keys)
  }
)
