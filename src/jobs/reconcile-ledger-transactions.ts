import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcileLedgerTransactionsWorkflow } from "../workflows/workflows/reconcile-ledger-transactions"
import { systemActor, withLedgerActor } from "../utils/actor"

/** How far back the job looks: orders, payments, captures or refunds changed in the last day. */
const LOOKBACK_MS = 24 * 60 * 60 * 1000

/**
 * Every 15 minutes, brings the ledger in step with Medusa's payments for orders changed in the
 * last day, in case an event was lost.
 */
export default async function reconcileLedgerTransactionsJob(container: MedusaContainer) {
  await withLedgerActor({ actor: systemActor(`job:${config.name}`) }, () =>
    reconcileLedgerTransactionsWorkflow(container).run({
      input: { updated_since: new Date(Date.now() - LOOKBACK_MS) },
    })
  )
}

export const config = {
  name: "order-ledger-reconcile",
  schedule: "*/15 * * * *",
}
