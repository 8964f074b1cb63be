import { Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ledgerLockKey } from "./acquire-ledger-lock"

export const releaseLedgerLockStepId = "release-ledger-lock"

/**
 * Releases the locks {@link acquireLedgerLockStep} took.
 *
 * @example
 * releaseLedgerLockStep({ order_ids: [input.order_id] })
 */
export const releaseLedgerLockStep = createStep(
  releaseLedgerLockStepId,
  async (input: { order_ids: string[] }, { container }) => {
    const keys = [...new Set(input.order_ids)].sort().map(ledgerLockKey)
    if (keys.length) {
      await container.resolve(Modules.LOCKING).release(keys)
    }
    return new StepResponse(void 0)
  }
)
