import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { reconcileLedgerTransactionsWorkflow } from "../workflows/workflows/reconcile-ledger-transactions"
import { systemActor, withLedgerActor } from "../utils/actor"

/**
 * An order placed through checkout shows its payment authorization (and any capture made at
 * checkout) in the ledger at once; a canceled order shows the voids and refunds Medusa made.
 */
export default async function reconcileOrderPaymentsHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await withLedgerActor({ actor: systemActor(`subscriber:${config.context?.subscriberId}`) }, () =>
    reconcileLedgerTransactionsWorkflow(container).run({ input: { order_ids: [event.data.id] } })
  )
}

export const config: SubscriberConfig = {
  event: [OrderWorkflowEvents.PLACED, OrderWorkflowEvents.CANCELED],
  context: { subscriberId: "order-ledger-reconcile-order-payments" },
}
