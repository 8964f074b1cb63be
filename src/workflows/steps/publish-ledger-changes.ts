import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { requestLedgerChangesPublish } from "../utils/publish-changes"

export const publishLedgerChangesStepId = "publish-ledger-changes"

/**
 * The last step of every ledger write: asks for the events of the changes it committed (the
 * change log holds them already, so this only makes them go out now rather than at the job's
 * next tick). Nothing to compensate: a change that was rolled back was never written.
 *
 * @example
 * publishLedgerChangesStep()
 */
export const publishLedgerChangesStep = createStep(publishLedgerChangesStepId, async (_: void, { container }) => {
  requestLedgerChangesPublish(container)
  return new StepResponse(void 0)
})
