import { model } from "@medusajs/framework/utils"

/**
 * An `Idempotency-Key` a creating request used, written in the same database transaction as the
 * transactions it created, so a repeat answers the first answer and records nothing.
 */
const LedgerIdempotencyKey = model.define(
  { name: "LedgerIdempotencyKey", tableName: "ledger_idempotency_key" },
  {
    // The record's id, prefixed `olidem_`.
    id: model.id({ prefix: "olidem" }).primaryKey(),
    // The client's key.
    key: model.text().unique(),
    // A hash of the route, the order and the body: a repeat must match it.
    request_hash: model.text(),
    // The order the request wrote to.
    order_id: model.text(),
    // The ids of the transactions the request created.
    transaction_ids: model.json(),
    // The response the first request answered, once it was sent.
    response: model.json().nullable(),
  }
)

export default LedgerIdempotencyKey
