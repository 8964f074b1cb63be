/**
 * Fingerprints of what Medusa answers and stores, made comparable across two servers: the ids,
 * timestamps and other generated values of one run are replaced by stable placeholders, and arrays
 * whose order the database does not fix are sorted by their content.
 *
 * Pure code: no Medusa, no HTTP.
 */

/** A Medusa id: `prefix_` and a ULID (`order_01J…`, `ordli_01J…`, `pay_01J…`). */
const ID = /\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_([0-9A-HJKMNP-TV-Z]{26})\b/g
/** An ISO 8601 timestamp as Medusa answers it. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/
/** Fields whose values a run generates and that are neither ids nor timestamps. */
const GENERATED_FIELDS = new Set(["token", "redacted", "idempotency_key"])

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** The value with ids and timestamps reduced to their kind, object keys sorted: a sort key. */
function shapeKey(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      return TIMESTAMP.test(v) ? "<date>" : v.replace(ID, (_m, prefix: string) => `<${prefix}>`)
    }
    if (Array.isArray(v)) {
      return v.map(walk).map((x) => JSON.stringify(x)).sort()
    }
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(v).sort()) {
        out[key] = GENERATED_FIELDS.has(key) ? "<generated>" : walk((v as Record<string, unknown>)[key])
      }
      return out
    }
    return v
  }
  return JSON.stringify(walk(value))
}

/**
 * Sorts every array (deeply) by the content of its elements, ids and timestamps left out, except
 * an array of the key `keepOrder` at the top (a flow's steps, whose order is the flow).
 */
function sortArrays(value: unknown, keepOrder?: string): unknown {
  if (Array.isArray(value)) {
    return value
      .map((v) => sortArrays(v))
      .map((v) => ({ v, k: shapeKey(v) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map(({ v }) => v)
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key]
      out[key] = key === keepOrder && Array.isArray(field) ? field.map((v) => sortArrays(v)) : sortArrays(field)
    }
    return out
  }
  return value
}

/**
 * Normalizes a whole record (all steps of one flow, in order) so that two runs of the same flow
 * on two servers compare equal when Medusa behaved the same: arrays sorted by content (but the
 * record's `steps` stay in the order they ran), each id
 * replaced by `<prefix#n>` numbered by first appearance (so "the same payment" stays visible),
 * timestamps by `<date>` (null stays null), generated secrets by `<generated>`.
 *
 * @example
 * normalize({ id: "order_01JABCDEFGHJKMNPQRSTVWXYZ0", created_at: "2026-01-01T00:00:00.000Z" })
 * // { created_at: "<date>", id: "<order#1>" }
 */
export function normalize<T>(record: T): Json {
  const numbers = new Map<string, string>()
  const counters = new Map<string, number>()
  const placeholder = (prefix: string, id: string) => {
    let p = numbers.get(id)
    if (!p) {
      const n = (counters.get(prefix) ?? 0) + 1
      counters.set(prefix, n)
      p = `<${prefix}#${n}>`
      numbers.set(id, p)
    }
    return p
  }
  const walk = (v: unknown): Json => {
    if (typeof v === "string") {
      return TIMESTAMP.test(v) ? "<date>" : v.replace(ID, (m, prefix: string) => placeholder(prefix, m))
    }
    if (Array.isArray(v)) {
      return v.map(walk)
    }
    if (v && typeof v === "object") {
      const out: Record<string, Json> = {}
      for (const key of Object.keys(v)) {
        const field = (v as Record<string, unknown>)[key]
        out[key] = GENERATED_FIELDS.has(key) && field !== null ? "<generated>" : walk(field)
      }
      return out
    }
    return (v ?? null) as Json
  }
  return walk(sortArrays(record, "steps"))
}

/** One difference between two fingerprints. */
export interface Difference {
  path: string
  without: unknown
  with: unknown
}

/**
 * The differences between two normalized fingerprints, by path (`steps[3].order.summary.paid_total`),
 * at most `limit` of them.
 */
export function differences(without: unknown, withPlugin: unknown, limit = 50): Difference[] {
  const found: Difference[] = []
  const walk = (a: unknown, b: unknown, path: string) => {
    if (found.length >= limit) {
      return
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        walk(a[i], b[i], `${path}[${i}]`)
      }
      return
    }
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)])
      for (const key of [...keys].sort()) {
        walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key)
      }
      return
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      found.push({ path, without: a, with: b })
    }
  }
  walk(without, withPlugin, "")
  return found
}

/** A value for a one-line report: JSON, cut to `max` characters. */
export const short = (value: unknown, max = 160) => {
  const s = value === undefined ? "(absent)" : JSON.stringify(value)
  return s.length > max ? `${s.slice(0, max)}…` : s
}
