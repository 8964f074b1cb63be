import type { MedusaContainer } from "@medusajs/framework/types"
import { publishLedgerChanges } from "../workflows/utils/publish-changes"

/**
 * Every second, emits the Medusa events of ledger changes not yet published: those a crash or a
 * busy publisher left behind (each write also asks for a publish at once). Safe on several
 * worker processes: one publishes at a time, the others find the position held and skip.
 */
export default async function publishLedgerChangesJob(container: MedusaContainer) {
  await publishLedgerChanges(container)
}

export const config = {
  name: "order-ledger-publish-changes",
  schedule: { interval: 1000 },
}
