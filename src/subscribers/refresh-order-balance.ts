import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderEditWorkflowEvents, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { refreshOrderBalancesWorkflow } from "../workflows/workflows/refresh-order-balances"
import { systemActor, withLedgerActor } from "../utils/actor"

/**
 * Events after which Medusa's order total may have changed: the balance follows Medusa's current
 * total. `order.updated` carries `{ id }`, the others `{ order_id }`.
 */
export default async function refreshOrderBalanceHandler({
  event,
  container,
}: SubscriberArgs<{ id?: string; order_id?: string }>) {
  const orderId = event.data.order_id ?? event.data.id
  if (orderId) {
    await withLedgerActor({ actor: systemActor(`subscriber:${config.context?.subscriberId}`) }, () =>
      refreshOrderBalancesWorkflow(container).run({ input: { order_ids: [orderId] } })
    )
  }
}

export const config: SubscriberConfig = {
  event: [
    OrderWorkflowEvents.UPDATED,
    OrderEditWorkflowEvents.CONFIRMED,
    OrderWorkflowEvents.RETURN_RECEIVED,
    OrderWorkflowEvents.CLAIM_CREATED,
    OrderWorkflowEvents.EXCHANGE_CREATED,
  ],
  context: { subscriberId: "order-ledger-refresh-order-balance" },
}
