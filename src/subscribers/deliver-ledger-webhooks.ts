import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { requestLedgerWebhookRound } from "../jobs/deliver-ledger-webhooks"
import { LEDGER_WEBHOOK_EVENTS } from "../modules/ledger-webhooks/types"

/**
 * On each ledger change event, a webhook delivery round in this process (coalesced: at most one
 * running, one more queued), so changes reach their endpoints without waiting for the job's next
 * second, and the event's handling never waits for the sends. The job stays the guarantee: an event lost or handled before the change is in the feed
 * only delays a delivery to the next tick.
 */
export default async function deliverLedgerWebhooksHandler({ container }: SubscriberArgs<unknown>) {
  // Not awaited: the event is handled once the round is asked for; the round may send for seconds.
  void requestLedgerWebhookRound(container)
}

export const config: SubscriberConfig = {
  event: [...LEDGER_WEBHOOK_EVENTS],
  context: { subscriberId: "order-ledger-deliver-webhooks" },
}
