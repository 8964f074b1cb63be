import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { deliverLedgerWebhooksWorkflow } from "../workflows/workflows/deliver-ledger-webhooks"
import { coalescedRunner } from "../workflows/utils/coalesce"

/**
 * One round of {@link deliverLedgerWebhooksWorkflow}; answers whether it queued or sent anything.
 * A failed round is logged as a warning, without a stack.
 */
async function runRound(container: MedusaContainer): Promise<boolean> {
  const { result, errors } = await deliverLedgerWebhooksWorkflow(container).run({ throwOnError: false })
  if (errors.length) {
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    logger.warn(
      `Ledger webhooks: a delivery round stopped (${errors.map((e) => e.error?.message ?? String(e.error)).join("; ")}); the next round continues.`
    )
    return false
  }
  return result.fan_out.deliveries_created > 0 || result.sent.attempted > 0
}

/**
 * Runs delivery rounds in this process until one finds nothing to queue or send, or, while
 * rounds are running, asks for one more: a process never runs two at once, and asking many times
 * in a row costs one round. The job calls it every second; the `deliver-ledger-webhooks`
 * subscriber calls it on each ledger change event; while changes keep coming, rounds follow each
 * other without waiting for the next second.
 */
export const requestLedgerWebhookRound = coalescedRunner(runRound)

/**
 * Every second, on the processes that run jobs (workers and `shared` instances), queues the
 * ledger's new changes for each webhook endpoint and sends what is due. Several processes may
 * run it at once: endpoints and deliveries are claimed in the database, so each change goes to
 * an endpoint from one process at a time. Every step is kept in the database as it happens, so a
 * round that fails (the database restarting, the process shutting down) loses nothing: the next
 * round, a second later, continues.
 */
export default async function deliverLedgerWebhooksJob(container: MedusaContainer) {
  await requestLedgerWebhookRound(container)
}

export const config = {
  name: "order-ledger-deliver-webhooks",
  schedule: { interval: 1000 },
}
