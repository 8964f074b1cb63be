import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"

/** The header carrying a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = "Ledger-Signature"

/** The header carrying the change's id, the same on every repeat of a change. */
export const WEBHOOK_ID_HEADER = "Ledger-Webhook-Id"

/** How old a signature `verifyLedgerSignature` accepts unless told otherwise, in seconds. */
export const DEFAULT_SIGNATURE_TOLERANCE_S = 300

/**
 * A new endpoint secret: `whsec_` and 32 random bytes in hex.
 *
 * @example
 * generateWebhookSecret() // "whsec_6f1c…" (70 characters)
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("hex")}`
}

/** The hex HMAC-SHA256 of `"<t>.<body>"` under `secret`. */
export function signaturePayloadHmac(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")
}

/**
 * The `Ledger-Signature` header of a body sent at `timestamp` (unix seconds).
 *
 * @example
 * signatureHeader("whsec_…", '{"id":"olchg_1"}', 1764650000)
 * // "t=1764650000,v1=5d41…"
 */
export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signaturePayloadHmac(secret, timestamp, body)}`
}

/** The parts of a `Ledger-Signature` header, or null when it is not one. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null
  const signatures: string[] = []
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2)
    if (key === "t" && value && /^\d{1,12}$/.test(value)) {
      timestamp = Number(value)
    } else if (key === "v1" && value && /^[0-9a-f]{64}$/.test(value)) {
      signatures.push(value)
    }
  }
  return timestamp === null || !signatures.length ? null : { timestamp, signatures }
}

/**
 * True when `header` is a valid signature of the raw `body` under `secret`, made within
 * `toleranceS` seconds of `now` (unix seconds). Compares in constant time.
 *
 * @example
 * verifyLedgerSignature(secret, req.headers["ledger-signature"], rawBody) // true
 */
export function verifyLedgerSignature(
  secret: string,
  header: string | undefined,
  body: string,
  { toleranceS = DEFAULT_SIGNATURE_TOLERANCE_S, now = Math.floor(Date.now() / 1000) } = {}
): boolean {
  const parsed = header ? parseSignatureHeader(header) : null
  if (!parsed || Math.abs(now - parsed.timestamp) > toleranceS) {
    return false
  }
  const expected = Buffer.from(signaturePayloadHmac(secret, parsed.timestamp, body), "hex")
  return parsed.signatures.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected))
}
