import fc from "fast-check"

/**
 * Bad input for every admin route of the ledger, as fast-check arbitraries. Every case is invalid
 * by construction (at least one field, header, path or query value that the contract rejects),
 * so the only right answer is a 4xx with a stable `code`, and nothing written. Valid parts are
 * mixed in so the bad one is not always alone: a batch of good transactions with one bad item
 * must be refused as a whole.
 */

export interface FuzzContext {
  /** A usd order of 100.00 with a succeeded payment of 60.00 and a pending payment of 10.00. */
  orderId: string
  /** The succeeded payment (nothing refunded yet). */
  paymentId: string
  /** The pending payment. */
  pendingId: string
  /** An authorization of 30.00 on the same order. */
  authorizationId: string
  /**
   * A webhook endpoint that exists (`olwh_…`), so bad bodies and queries also reach a real one;
   * without it the webhook cases use ids that exist nowhere.
   */
  webhookId?: string
}

export interface FuzzCase {
  /** `METHOD /path/pattern`, for the figures. */
  route: string
  method: "GET" | "POST" | "DELETE"
  path: string
  body?: unknown
  rawBody?: string
  headers?: Record<string, string>
}

const long = (n: number) => "x".repeat(n)

/** Ids that exist nowhere, including awkward characters (sent percent-encoded). */
const missingId = fc
  .oneof(
    fc.constantFrom("order_missing", "oltx_missing", "0", "null", "undefined", "%", "a/b", "..", "' OR 1=1 --", long(300)),
    fc.string({ minLength: 1, maxLength: 40 })
  )
  .filter((s) => !["export", "reconcile"].includes(s) && s.trim() !== "" && s !== "." && s !== "..")
  .map((s) => `missing_${s}`)

/** Bodies that are not a JSON object at all, or not JSON. */
const notAnObject = fc.oneof(
  fc.constantFrom<{ rawBody: string } | { body: unknown }>(
    { rawBody: "{" },
    { rawBody: '{"transactions": [' },
    { rawBody: "{'a': 1}" },
    { rawBody: '{"a": 1,}' },
    { rawBody: "nul" },
    { body: null },
    { body: "text" },
    { body: 42 },
    { body: true },
    { body: [] },
    { body: [{}] }
  ),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== "object" || Array.isArray(v)).map((body) => ({ body }))
)

const unknownKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => /^[a-z_]+$/.test(k))
  .map((k) => `zz_${k}`)

// ---------------------------------------------------------------------------------------------
// POST /admin/orders/:id/transactions
// ---------------------------------------------------------------------------------------------

const validTransaction = fc.record({
  kind: fc.constant("payment"),
  amount: fc.constantFrom(1, 2.5, "3.10", "0.01"),
  payment_method: fc.constantFrom("cash", "card", "bank_transfer", "wallet"),
  status: fc.constantFrom("succeeded", "pending"),
})

/** One field of a transaction set to a value the contract rejects in any context. */
function transactionCorruption(ctx: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  const bad: Record<string, unknown[]> = {
    kind: ["", "PAYMENT", "deposit", 1, null, ["payment"]],
    status: ["done", "", "SUCCEEDED", 0, null],
    amount: [0, -1, -0.01, "abc", "", "1e3", "-5", "1.001", 1.005, null, true, [], {}, "0", "0.00", "12,50", " 5", "Infinity", "NaN"],
    currency_code: ["eur", "us", "usdd", 5, "€€€", ""],
    payment_method: ["crypto", "", 3, "CARD"],
    card_brand: ["visa2", 1, ""],
    card_last4: ["123", "12345", "abcd", 1234, ""],
    occurred_at: ["yesterday", "2024-13-01T00:00:00Z", 0, "2024-01-01", "", "2024-02-30T10:00:00Z"],
    metadata: ["x", 1, [1, 2], true],
    fee: [-1, "abc", "-0.5", 0.001, "1.234", true],
    gateway: ["", 12, long(65)],
    external_id: ["", 5, long(256)],
    reference: ["", long(65), 3],
    reference_id: ["", long(256), 4],
    parent_id: ["oltx_missing_parent", "", 7, ctx.paymentId],
    message: ["", long(2001), 5],
    reason: ["", long(2001), 5],
    note: ["", long(2001), 5],
  }
  const field = fc.constantFrom(...Object.keys(bad)).chain((key) =>
    fc.constantFrom(...bad[key]).map((value) => ({ [key]: value }))
  )
  const unknown = fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ [k]: v }))
  // Rules that need the ledger: reversals without a parent, of a pending payment or an
  // authorization, or larger than what is left; a void of a succeeded payment.
  const rules = fc.constantFrom<Record<string, unknown>>(
    { kind: "refund" },
    { kind: "chargeback" },
    { kind: "void" },
    { kind: "refund", parent_id: ctx.pendingId },
    { kind: "refund", parent_id: ctx.authorizationId },
    { kind: "refund", parent_id: ctx.paymentId, amount: 1000 },
    { kind: "chargeback", parent_id: ctx.paymentId, amount: "60.01" },
    { kind: "void", parent_id: ctx.paymentId },
    { kind: "payment", parent_id: ctx.authorizationId, amount: 30.01 },
    { kind: "void", parent_id: ctx.authorizationId, amount: 31 }
  )
  return fc.oneof({ weight: 6, arbitrary: field }, { weight: 1, arbitrary: unknown }, { weight: 2, arbitrary: rules })
}

function recordCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const path = `/admin/orders/${ctx.orderId}/transactions`
  const route = "POST /admin/orders/:id/transactions"
  const oneBadItem = fc
    .tuple(fc.array(validTransaction, { minLength: 0, maxLength: 4 }), transactionCorruption(ctx), fc.nat())
    .map(([good, corruption, at]) => {
      const items: Record<string, unknown>[] = good.map((t) => ({ ...t }))
      const index = items.length ? at % (items.length + 1) : 0
      items.splice(index, 0, { ...validTransactionExample, ...corruption })
      return { body: { transactions: items } }
    })
  const structural = fc.oneof(
    notAnObject,
    fc.constantFrom<{ body: unknown }>(
      { body: {} },
      { body: { transactions: [] } },
      { body: { transactions: "payment" } },
      { body: { transactions: { kind: "payment", amount: 1 } } },
      { body: { transactions: [null] } },
      { body: { transactions: Array.from({ length: 51 }, () => ({ kind: "payment", amount: 1 })) } },
      {
        body: {
          transactions: [
            { kind: "payment", amount: 1, gateway: "stripe", external_id: "ch_same" },
            { kind: "payment", amount: 2, gateway: "stripe", external_id: "ch_same" },
          ],
        },
      }
    ),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({
      body: { transactions: [validTransactionExample], [k]: v },
    }))
  )
  const badHeader = fc
    .constantFrom("has space", long(256), "tab\tkey", "")
    .map((key) => ({ body: { transactions: [validTransactionExample] }, headers: { "idempotency-key": key } }))
  const badPath = missingId.map((id) => ({
    body: { transactions: [validTransactionExample] },
    path: `/admin/orders/${encodeURIComponent(id)}/transactions`,
  }))
  return fc
    .oneof(
      { weight: 6, arbitrary: oneBadItem },
      { weight: 3, arbitrary: structural },
      { weight: 1, arbitrary: badHeader },
      { weight: 1, arbitrary: badPath }
    )
    .map((c) => ({ route, method: "POST" as const, path, ...c }))
}

const validTransactionExample = { kind: "payment", amount: 1, payment_method: "cash" }

// ---------------------------------------------------------------------------------------------
// POST /admin/order-transactions/:id and /refunds
// ---------------------------------------------------------------------------------------------

function updateCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const route = "POST /admin/order-transactions/:id"
  const path = `/admin/order-transactions/${ctx.paymentId}`
  const bad: Record<string, unknown[]> = {
    status: ["pending", "requires_action", "failed", "bogus", "", 1, null],
    message: ["", long(2001), 5],
    external_id: ["", long(256), 6],
    metadata: ["x", 1, [1], true],
  }
  const corrupted = fc
    .tuple(
      fc.constantFrom(...Object.keys(bad)).chain((key) => fc.constantFrom(...bad[key]).map((v) => ({ [key]: v }))),
      fc.record({ message: fc.constantFrom("Checked", "Bank confirmed") }, { requiredKeys: [] })
    )
    .map(([corruption, valid]) => ({ body: { ...valid, ...corruption } }))
  const unknown = fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ body: { message: "ok", [k]: v } }))
  const badPath = missingId.map((id) => ({
    body: { message: "Checked" },
    path: `/admin/order-transactions/${encodeURIComponent(id)}`,
  }))
  return fc
    .oneof({ weight: 5, arbitrary: corrupted }, { weight: 1, arbitrary: unknown }, { weight: 2, arbitrary: notAnObject }, { weight: 1, arbitrary: badPath })
    .map((c) => ({ route, method: "POST" as const, path, ...c }))
}

function refundCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const route = "POST /admin/order-transactions/:id/refunds"
  const path = `/admin/order-transactions/${ctx.paymentId}/refunds`
  const bad: Record<string, unknown[]> = {
    amount: [0, -1, "abc", 1.001, "1e3", null, true, "", 60.01, 61, 1000, "100.00"],
    previously_refunded_amount: [-1, "abc", 5, "0.01", 100, null, true],
    status: ["failed", "bogus", "requires_action", ""],
    reason: ["", long(2001), 5],
    note: ["", long(2001), 5],
  }
  const corrupted = fc
    .tuple(
      fc.constantFrom(...Object.keys(bad)).chain((key) => fc.constantFrom(...bad[key]).map((v) => ({ [key]: v }))),
      fc.record(
        { amount: fc.constantFrom(1, "2.50"), reason: fc.constantFrom("Damaged", "Late"), status: fc.constantFrom("succeeded", "pending") },
        { requiredKeys: [] }
      )
    )
    .map(([corruption, valid]) => ({ body: { ...valid, ...corruption } }))
  const unknown = fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ body: { amount: 1, [k]: v } }))
  // Refunds of what cannot be refunded: a pending payment, an authorization, nothing.
  const notRefundable = fc
    .constantFrom(ctx.pendingId, ctx.authorizationId)
    .map((id) => ({ body: { amount: 1 }, path: `/admin/order-transactions/${id}/refunds` }))
  const badPath = missingId.map((id) => ({
    body: { amount: 1 },
    path: `/admin/order-transactions/${encodeURIComponent(id)}/refunds`,
  }))
  const badHeader = fc
    .constantFrom("has space", long(256), "")
    .map((key) => ({ body: { amount: 1 }, headers: { "idempotency-key": key } }))
  return fc
    .oneof(
      { weight: 6, arbitrary: corrupted },
      { weight: 1, arbitrary: unknown },
      { weight: 2, arbitrary: notAnObject },
      { weight: 1, arbitrary: notRefundable },
      { weight: 1, arbitrary: badPath },
      { weight: 1, arbitrary: badHeader }
    )
    .map((c) => ({ route, method: "POST" as const, path, ...c }))
}

// ---------------------------------------------------------------------------------------------
// POST /admin/order-transactions/:id/capture, /void, /reversals; GET /admin/order-transactions/reconcile/:id
// ---------------------------------------------------------------------------------------------

/** Bad amounts for the provider actions and reversals (none of the context's rows can take them). */
const badActionAmount = fc.constantFrom<unknown>(0, -1, "abc", 1.001, "1e3", null, true, "", "100.00", 1000)

function providerActionCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  // The context's authorization was recorded by hand (not a checkout one): nothing to capture at
  // a provider; the payment is not an authorization at all.
  const target = fc.constantFrom(ctx.authorizationId, ctx.paymentId, ctx.pendingId)
  const capture = fc
    .tuple(
      target,
      fc.oneof(
        badActionAmount.map((amount) => ({ body: { amount } as unknown })),
        fc.constant({ body: {} as unknown }),
        fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ body: { [k]: v } as unknown })),
        notAnObject
      )
    )
    .map(([id, c]) => ({ route: "POST /admin/order-transactions/:id/capture", method: "POST" as const, path: `/admin/order-transactions/${id}/capture`, ...c }))
  const voidCases = fc
    .tuple(
      target,
      fc.oneof(
        fc.constant({ body: {} as unknown }),
        fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ body: { [k]: v } as unknown })),
        notAnObject
      )
    )
    .map(([id, c]) => ({ route: "POST /admin/order-transactions/:id/void", method: "POST" as const, path: `/admin/order-transactions/${id}/void`, ...c }))
  const missing = fc
    .tuple(missingId, fc.constantFrom("capture", "void"))
    .map(([id, action]) => ({
      route: `POST /admin/order-transactions/:id/${action}`,
      method: "POST" as const,
      path: `/admin/order-transactions/${encodeURIComponent(id)}/${action}`,
      body: {},
    }))
  return fc.oneof({ weight: 3, arbitrary: capture }, { weight: 2, arbitrary: voidCases }, { weight: 1, arbitrary: missing })
}

function reversalCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const route = "POST /admin/order-transactions/:id/reversals"
  // Only a succeeded refund or chargeback can be reversed; the context has neither.
  const target = fc.oneof(fc.constantFrom(ctx.paymentId, ctx.pendingId, ctx.authorizationId), missingId.map(encodeURIComponent))
  const bodies = fc.oneof(
    fc.constant({ body: {} as unknown }),
    badActionAmount.map((amount) => ({ body: { amount } as unknown })),
    fc.constantFrom<unknown>("", long(2001), 5).map((reason) => ({ body: { reason } as unknown })),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ body: { [k]: v } as unknown })),
    notAnObject
  )
  return fc
    .tuple(target, bodies)
    .map(([id, c]) => ({ route, method: "POST" as const, path: `/admin/order-transactions/${id}/reversals`, ...c }))
}

function reconcileRunCases(): fc.Arbitrary<FuzzCase> {
  return missingId.map((id) => ({
    route: "GET /admin/order-transactions/reconcile/:id",
    method: "GET" as const,
    path: `/admin/order-transactions/reconcile/${encodeURIComponent(id)}`,
  }))
}

function reconcileCases(): fc.Arbitrary<FuzzCase> {
  const route = "POST /admin/order-transactions/reconcile"
  const bodies = fc.oneof(
    notAnObject,
    fc.constantFrom<{ body: unknown }>(
      { body: { order_ids: [] } },
      { body: { order_ids: "order_1" } },
      { body: { order_ids: [""] } },
      { body: { order_ids: [1] } },
      { body: { order_ids: [null] } },
      { body: { order_ids: [long(65)] } },
      { body: { order_ids: Array.from({ length: 1001 }, (_, i) => `order_${i}`) } }
    ),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ body: { [k]: v } }))
  )
  return bodies.map((c) => ({ route, method: "POST" as const, path: "/admin/order-transactions/reconcile", ...c }))
}

// ---------------------------------------------------------------------------------------------
// GET routes: query strings
// ---------------------------------------------------------------------------------------------

type Pair = [string, string]

const pagingPairs: Record<string, string[]> = {
  limit: ["-1", "-20", "abc", "", "1.5", "1e3", "0x10", " 5"],
  offset: ["-1", "-3", "abc", "2.5"],
  order: ["-bogus", "bogus", "amount;drop", "--amount", "-", "order_id.id"],
  with_deleted: ["maybe", "1", "yes"],
}

const datePairs: Record<string, string[]> = {
  occurred_at: ["notadate", "2024-13-45"],
  "occurred_at[$gt]": ["notadate", "yesterday", "2024-02-30T25:00:00Z"],
  "occurred_at[$lte]": ["1e99", "tomorrow"],
  "created_at[$gte]": ["notadate", "2024-00-10"],
  "created_at[$lt]": ["soon"],
}

const transactionFilterPairs: Record<string, string[]> = {
  kind: ["bogus", "PAYMENT", ""],
  "kind[]": ["bogus"],
  status: ["bogus", "done", ""],
  payment_method: ["crypto", ""],
  "kind[$foo]": ["payment"],
  "status[a][b]": ["1"],
  ...datePairs,
}

function badPairs(tables: Record<string, string[]>[]): fc.Arbitrary<Pair> {
  const table = Object.assign({}, ...tables) as Record<string, string[]>
  return fc.constantFrom(...Object.keys(table)).chain((key) => fc.constantFrom(...table[key]).map((v): Pair => [key, v]))
}

const validPairs = fc.constantFrom<Pair>(["limit", "10"], ["offset", "0"], ["fields", "id,amount"], ["kind", "payment"])

function queryString(bad: fc.Arbitrary<Pair>, valid: fc.Arbitrary<Pair> = validPairs) {
  return fc
    .tuple(fc.array(bad, { minLength: 1, maxLength: 3 }), fc.array(valid, { maxLength: 2 }))
    .map(([b, v]) => [...v, ...b].map(([k, val]) => `${encodeURIComponent(k).replace(/%5B/g, "[").replace(/%5D/g, "]")}=${encodeURIComponent(val)}`).join("&"))
}

function listTransactionsCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const route = "GET /admin/orders/:id/transactions"
  const query = queryString(badPairs([pagingPairs, transactionFilterPairs])).map((q) => ({
    path: `/admin/orders/${ctx.orderId}/transactions?${q}`,
  }))
  const badPath = missingId.map((id) => ({ path: `/admin/orders/${encodeURIComponent(id)}/transactions` }))
  return fc
    .oneof({ weight: 5, arbitrary: query }, { weight: 1, arbitrary: badPath })
    .map((c) => ({ route, method: "GET" as const, ...c }))
}

function allTransactionsCases(): fc.Arbitrary<FuzzCase> {
  const route = "GET /admin/order-transactions"
  const extra = { q: ["", long(256)], "order_id[$ilike]": ["x"], "external_id[a]": ["1"] }
  return queryString(badPairs([pagingPairs, transactionFilterPairs, extra])).map((q) => ({
    route,
    method: "GET" as const,
    path: `/admin/order-transactions?${q}`,
  }))
}

function exportCases(): fc.Arbitrary<FuzzCase> {
  const route = "GET /admin/order-transactions/export"
  const extra = { q: ["", long(256)], "order_id[$ilike]": ["x"], limit: ["10"], offset: ["0"], zz_unknown: ["1"] }
  return queryString(
    badPairs([transactionFilterPairs, extra]),
    fc.constantFrom<Pair>(["kind", "payment"], ["status", "succeeded"])
  ).map((q) => ({ route, method: "GET" as const, path: `/admin/order-transactions/export?${q}` }))
}

function balancesCases(): fc.Arbitrary<FuzzCase> {
  const route = "GET /admin/order-balances"
  const pairs = {
    status: ["bogus", "owes", "", "CUSTOMER_OWES"],
    "status[]": ["bogus"],
    currency_code: ["us", "1234", "usdd", "€€€", ""],
    "order_id[$ilike]": ["x"],
    order: ["-bogus", "-outstanding_amount;drop", "paid"],
  }
  return queryString(badPairs([pagingPairs, pairs]), fc.constantFrom<Pair>(["limit", "10"], ["status", "settled"])).map(
    (q) => ({ route, method: "GET" as const, path: `/admin/order-balances?${q}` })
  )
}

function getOneCases(): fc.Arbitrary<FuzzCase> {
  const one = missingId.map((id) => ({
    route: "GET /admin/order-transactions/:id",
    method: "GET" as const,
    path: `/admin/order-transactions/${encodeURIComponent(id)}`,
  }))
  const balance = missingId.map((id) => ({
    route: "GET /admin/orders/:id/balance",
    method: "GET" as const,
    path: `/admin/orders/${encodeURIComponent(id)}/balance`,
  }))
  // Paths whose percent-encoding is broken: Express cannot decode the :id.
  const undecodable = fc.constantFrom<FuzzCase>(
    { route: "GET /admin/orders/:id/balance", method: "GET", path: "/admin/orders/%E0%A4%A/balance" },
    { route: "GET /admin/orders/:id/transactions", method: "GET", path: "/admin/orders/%/transactions" },
    { route: "GET /admin/order-transactions/:id", method: "GET", path: "/admin/order-transactions/%C0" },
    {
      route: "POST /admin/order-transactions/:id/refunds",
      method: "POST",
      path: "/admin/order-transactions/%ZZ/refunds",
      body: { amount: 1 },
    }
  )
  return fc.oneof({ weight: 4, arbitrary: one }, { weight: 4, arbitrary: balance }, { weight: 1, arbitrary: undecodable })
}

// ---------------------------------------------------------------------------------------------
// Webhooks, the change feed and a transaction's history
// ---------------------------------------------------------------------------------------------

/** Urls the webhook routes refuse whatever the options (the address check aside). */
const badWebhookUrl = fc.constantFrom<unknown>(
  "",
  " ",
  "not a url",
  "example.com/hook",
  "//example.com/hook",
  "http//example.com",
  "http://",
  "https://",
  "ftp://example.com/hook",
  "javascript:alert(1)",
  "file:///etc/passwd",
  "data:text/plain,hi",
  "https://user:pw@example.com/hook",
  "https://user@example.com/hook",
  `https://example.com/${long(2100)}`,
  42,
  null,
  true,
  ["https://example.com"],
  { href: "https://example.com" }
)

const badWebhookFields: Record<string, unknown[]> = {
  events: ["order_transaction.created", ["order.placed"], [""], [1], [null], {}, 7, [["order_balance.updated"]], Array(4).fill("order_balance.updated")],
  description: ["", 5, long(501), ["a"], {}],
  enabled: ["yes", 1, "true", null, []],
  secret: ["whsec_mine"],
  id: ["olwh_mine"],
  status: ["failing"],
  cursor: ["0.0"],
}

const validWebhookParts = fc.record(
  {
    events: fc.constantFrom(null, [], ["order_transaction.created"], ["order_balance.updated", "order_transaction.updated"]),
    description: fc.constantFrom("Books", "ERP sync"),
  },
  { requiredKeys: [] }
)

/** A body with one field the contract refuses; `withUrl` adds a good url where the route needs one. */
function badWebhookBody(withUrl: boolean, fields: string[]): fc.Arbitrary<{ body?: unknown; rawBody?: string }> {
  const badUrl = fc.tuple(badWebhookUrl, validWebhookParts).map(([url, rest]) => ({ body: { ...rest, url } }))
  const badField = fc
    .tuple(fc.constantFrom(...fields), validWebhookParts)
    .chain(([field, rest]) =>
      fc.constantFrom(...badWebhookFields[field]).map((value) => ({
        body: { ...rest, ...(withUrl ? { url: "https://books.example.com/ledger" } : {}), [field]: value },
      }))
    )
  const extraKey = fc
    .tuple(unknownKey, validWebhookParts)
    .map(([key, rest]) => ({ body: { ...rest, ...(withUrl ? { url: "https://books.example.com/ledger" } : {}), [key]: 1 } }))
  const missingUrl = validWebhookParts.map((rest) => ({ body: rest }))
  return fc.oneof(
    { weight: 2, arbitrary: notAnObject },
    { weight: 3, arbitrary: badUrl },
    { weight: 3, arbitrary: badField },
    { weight: 1, arbitrary: extraKey },
    ...(withUrl ? [{ weight: 1, arbitrary: missingUrl }] : [])
  )
}

/** Bad input for the webhook routes only (the HTTP suite runs them against an endpoint that exists). */
export function webhookCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const anyId = ctx.webhookId ? fc.oneof(missingId, fc.constant(ctx.webhookId)) : missingId
  const at = (id: string, rest = "") => `/admin/ledger-webhooks/${encodeURIComponent(id)}${rest}`
  const create = badWebhookBody(true, ["events", "description", "enabled", "secret", "id", "status", "cursor"]).map(
    (b): FuzzCase => ({ route: "POST /admin/ledger-webhooks", method: "POST", path: "/admin/ledger-webhooks", ...b })
  )
  const webhookPairs = { status: ["bogus", "ACTIVE", ""], order: ["secret", "-secret", "url;drop"] }
  const list = queryString(badPairs([pagingPairs, webhookPairs]), fc.constantFrom<Pair>(["limit", "5"], ["status", "active"])).map(
    (q): FuzzCase => ({ route: "GET /admin/ledger-webhooks", method: "GET", path: `/admin/ledger-webhooks?${q}` })
  )
  const getOne = missingId.map((id): FuzzCase => ({ route: "GET /admin/ledger-webhooks/:id", method: "GET", path: at(id) }))
  // A bad body to any endpoint (refused before it is looked up), or a good one to a missing endpoint.
  const update = fc.oneof(
    fc.tuple(anyId, badWebhookBody(false, ["events", "description", "enabled", "secret", "id", "status", "cursor"])).map(
      ([id, b]): { id: string; body?: unknown; rawBody?: string } => ({ id, ...b })
    ),
    fc.tuple(missingId, validWebhookParts).map(([id, body]) => ({ id, body: { ...body, enabled: false } }))
  ).map(({ id, ...b }): FuzzCase => ({ route: "POST /admin/ledger-webhooks/:id", method: "POST", path: at(id), ...b }))
  const remove = missingId.map((id): FuzzCase => ({ route: "DELETE /admin/ledger-webhooks/:id", method: "DELETE", path: at(id) }))
  const deliveryPairs = { status: ["bogus", "PENDING", "delivered"], change_id: [""], order: ["payload;drop", "bogus"] }
  const deliveries = fc.oneof(
    missingId.map((id) => at(id, "/deliveries")),
    fc.tuple(anyId, queryString(badPairs([pagingPairs, deliveryPairs]), fc.constantFrom<Pair>(["limit", "5"]))).map(
      ([id, q]) => at(id, `/deliveries?${q}`)
    )
  ).map((path): FuzzCase => ({ route: "GET /admin/ledger-webhooks/:id/deliveries", method: "GET", path }))
  const retry = fc
    .tuple(anyId, missingId, fc.oneof(fc.constant(undefined), fc.constant({}), fc.constant({ zz: 1 })))
    .map(([id, deliveryId, body]): FuzzCase => ({
      route: "POST /admin/ledger-webhooks/:id/deliveries/:delivery_id/retry",
      method: "POST",
      path: at(id, `/deliveries/${encodeURIComponent(deliveryId)}/retry`),
      body,
    }))
  return fc.oneof(
    { weight: 3, arbitrary: create },
    { weight: 1, arbitrary: list },
    { weight: 1, arbitrary: getOne },
    { weight: 2, arbitrary: update },
    { weight: 1, arbitrary: remove },
    { weight: 1, arbitrary: deliveries },
    { weight: 1, arbitrary: retry }
  )
}

function ledgerChangesCases(): fc.Arbitrary<FuzzCase> {
  const pairs = {
    after: ["x", "1", "1.", ".1", "1.2.3", "-1.0", "1.-1", "1e3.0", " 1.0", long(65), "99999999999999999999.0", "1.99999999999999999999", "18446744073709551616.0"],
    limit: ["0", "-1", "abc", "1001", "1.5", "", "1e9"],
    zz_unknown: ["1"],
    "after[$gt]": ["0.0"],
  }
  return queryString(badPairs([pairs]), fc.constantFrom<Pair>(["limit", "10"], ["after", "0.0"])).map((q) => ({
    route: "GET /admin/ledger-changes",
    method: "GET" as const,
    path: `/admin/ledger-changes?${q}`,
  }))
}

function historyCases(): fc.Arbitrary<FuzzCase> {
  return missingId.map((id) => ({
    route: "GET /admin/order-transactions/:id/history",
    method: "GET" as const,
    path: `/admin/order-transactions/${encodeURIComponent(id)}/history`,
  }))
}

/** Every admin route of the ledger, about equally often. */
export function badInput(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 3, arbitrary: recordCases(ctx) },
    { weight: 2, arbitrary: updateCases(ctx) },
    { weight: 3, arbitrary: refundCases(ctx) },
    { weight: 1, arbitrary: reconcileCases() },
    { weight: 2, arbitrary: providerActionCases(ctx) },
    { weight: 2, arbitrary: reversalCases(ctx) },
    { weight: 1, arbitrary: reconcileRunCases() },
    { weight: 2, arbitrary: listTransactionsCases(ctx) },
    { weight: 2, arbitrary: allTransactionsCases() },
    { weight: 1, arbitrary: exportCases() },
    { weight: 2, arbitrary: balancesCases() },
    { weight: 2, arbitrary: getOneCases() },
    { weight: 5, arbitrary: webhookCases(ctx) },
    { weight: 1, arbitrary: ledgerChangesCases() },
    { weight: 1, arbitrary: historyCases() }
  )
}

/** The admin routes `badInput` covers, as `METHOD /pattern`. */
export const FUZZED_ROUTES = [
  "GET /admin/orders/:id/transactions",
  "POST /admin/orders/:id/transactions",
  "GET /admin/orders/:id/balance",
  "GET /admin/order-transactions",
  "GET /admin/order-transactions/export",
  "POST /admin/order-transactions/reconcile",
  "GET /admin/order-transactions/:id",
  "POST /admin/order-transactions/:id",
  "POST /admin/order-transactions/:id/refunds",
  "POST /admin/order-transactions/:id/capture",
  "POST /admin/order-transactions/:id/void",
  "POST /admin/order-transactions/:id/reversals",
  "GET /admin/order-transactions/reconcile/:id",
  "GET /admin/order-balances",
  "GET /admin/ledger-webhooks",
  "POST /admin/ledger-webhooks",
  "GET /admin/ledger-webhooks/:id",
  "POST /admin/ledger-webhooks/:id",
  "DELETE /admin/ledger-webhooks/:id",
  "GET /admin/ledger-webhooks/:id/deliveries",
  "POST /admin/ledger-webhooks/:id/deliveries/:delivery_id/retry",
  "GET /admin/ledger-changes",
  "GET /admin/order-transactions/:id/history",
]
