import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentEvents } from "@medusajs/framework/utils"
import { reconcileLedgerTransactionsWorkflow } from "../workflows/workflows/reconcile-ledger-transactions"
import { systemActor, withLedgerActor } from "../utils/actor"

/**
 * A payment captured or refunded through Medusa (`POST /admin/payments/:id/capture`,
 * `/refund`, or a provider webhook) appears in the ledger of the payment's order, exactly once.
 */
export default async function reconcilePaymentHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await withLedgerActor({ actor: systemActor(`subscriber:${config.context?.subscriberId}`) }, () =>
    reconcileLedgerTransactionsWorkflow(container).run({ input: { payment_ids: [event.data.id] } })
  )
}

export const config: SubscriberConfig = {
  event: [PaymentEvents.CAPTURED, PaymentEvents.REFUNDED],
  context: { subscriberId: "order-ledger-reconcile-payment" },
}
