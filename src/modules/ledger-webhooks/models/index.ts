export { default as LedgerWebhookEndpoint } from "./ledger-webhook-endpoint"
export { default as LedgerWebhookDelivery } from "./ledger-webhook-delivery"
