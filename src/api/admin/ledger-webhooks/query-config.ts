/** The fields a webhook endpoint answers with: every stored field but `secret`, which only the create answer carries. */
export const LEDGER_WEBHOOK_FIELDS = [
  "id",
  "url",
  "events",
  "description",
  "enabled",
  "status",
  "cursor",
  "failing_since",
  "created_at",
  "updated_at",
]

export const retrieveLedgerWebhookQueryConfig = {
  defaults: LEDGER_WEBHOOK_FIELDS,
  allowed: LEDGER_WEBHOOK_FIELDS,
  disallowed: ["secret"],
  isList: false,
}

export const listLedgerWebhookQueryConfig = {
  ...retrieveLedgerWebhookQueryConfig,
  defaultLimit: 20,
  isList: true,
}

/** The fields a delivery answers with unless `fields` says otherwise (`+payload` adds the body sent). */
export const LEDGER_WEBHOOK_DELIVERY_FIELDS = [
  "id",
  "endpoint_id",
  "change_id",
  "change_type",
  "position",
  "status",
  "attempts",
  "last_status_code",
  "last_error",
  "last_duration_ms",
  "first_attempted_at",
  "last_attempted_at",
  "next_attempt_at",
  "delivered_at",
  "created_at",
  "updated_at",
]

export const listLedgerWebhookDeliveryQueryConfig = {
  defaults: LEDGER_WEBHOOK_DELIVERY_FIELDS,
  allowed: [...LEDGER_WEBHOOK_DELIVERY_FIELDS, "payload", "locked_until"],
  defaultLimit: 20,
  isList: true,
}
