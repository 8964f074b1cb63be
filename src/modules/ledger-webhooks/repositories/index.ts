export { LedgerWebhooksRepository } from "./ledger-webhooks"
export type { FanOutEndpoint, LedgerWebhookDeliverySchedule, NewLedgerWebhookDelivery } from "./ledger-webhooks"
