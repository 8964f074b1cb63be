import { createHash } from "crypto"

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(",")}]`
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

/**
 * The hash an `Idempotency-Key` is bound to: what was asked (scope, target and body), so the same
 * key with another body is told apart from a repeat.
 */
export function requestHash(scope: string, target: string, body: unknown): string {
  return createHash("sha256").update(`${scope}\n${target}\n${stableStringify(body)}`).digest("hex")
}
