import http from "node:http"
import https from "node:https"
import { isIP } from "node:net"
import type { LookupFunction } from "node:net"
import { SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signatureHeader } from "./signing"
import { WebhookTargetError, addressProblem, allowedAddresses, hostOf } from "./targets"
import type { LedgerWebhookAttempt } from "./types"

/** How long one attempt may take, connection to the end of the answer. */
export const DELIVERY_TIMEOUT_MS = 10_000

/** How much of a failed answer's body the delivery log keeps. */
const ERROR_BODY_CHARS = 500

/**
 * A `lookup` for the connection that resolves the host itself and refuses it unless every
 * address may receive webhooks, then connects to one of those very addresses: a DNS answer that
 * changes between a check and the connection (rebinding) cannot slip a private address in.
 */
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  allowedAddresses(hostname).then(
    (addresses) => {
      const family = typeof options.family === "number" ? options.family : 0
      const usable = family ? addresses.filter((a) => a.family === family) : addresses
      if (!usable.length) {
        callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: "ENOTFOUND" }), "", 0)
      } else if (options.all) {
        ;(callback as unknown as (e: null, a: typeof usable) => void)(null, usable)
      } else {
        callback(null, usable[0].address, usable[0].family)
      }
    },
    (error) => callback(error, "", 0)
  )
}

/** A readable reason for a failed connection or request. */
function failureReason(error: unknown, timeoutMs: number): string {
  const e = error as NodeJS.ErrnoException & { name?: string }
  if (e instanceof WebhookTargetError) {
    return `${e.code}: ${e.message}`
  }
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return `timed out after ${timeoutMs / 1000} s`
  }
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? e)
}

/**
 * Sends one delivery: a POST of `body` with `Content-Type: application/json`, `Ledger-Webhook-Id`
 * and a fresh `Ledger-Signature`. Never follows a redirect (a 3xx is a failed attempt), gives up
 * after `timeoutMs`, and with `checkTargets` refuses private targets at connection time. Never
 * throws: every outcome is an attempt to record.
 *
 * @example
 * const attempt = await postLedgerWebhook({ url, secret, changeId: "olchg_1", body, checkTargets: true })
 * // { succeeded: false, status_code: 503, error: "HTTP 503: busy", duration_ms: 12, attempted_at: … }
 */
export async function postLedgerWebhook({
  url,
  secret,
  changeId,
  body,
  checkTargets,
  timeoutMs = DELIVERY_TIMEOUT_MS,
}: {
  url: string
  secret: string
  changeId: string
  body: string
  checkTargets: boolean
  timeoutMs?: number
}): Promise<LedgerWebhookAttempt> {
  const attempted_at = new Date()
  const started = performance.now()
  const done = (status_code: number | null, error: string | null): LedgerWebhookAttempt => ({
    status_code,
    error,
    duration_ms: Math.round(performance.now() - started),
    attempted_at,
    succeeded: status_code !== null && status_code >= 200 && status_code < 300,
  })
  try {
    const target = new URL(url)
    const host = hostOf(url)
    if (checkTargets && isIP(host)) {
      const problem = addressProblem(host)
      if (problem) {
        throw new WebhookTargetError(
          "WEBHOOK_TARGET_NOT_ALLOWED",
          `url's host ${host} is a ${problem} address; webhooks go to public addresses unless the option webhooks.allow_private_targets is on.`
        )
      }
    }
    const payload = Buffer.from(body, "utf8")
    const transport = target.protocol === "https:" ? https : http
    const signal = AbortSignal.timeout(timeoutMs)
    const headers = {
      "Content-Type": "application/json",
      "Content-Length": String(payload.length),
      "User-Agent": "medusa-plugin-order-ledger-webhooks",
      [WEBHOOK_ID_HEADER]: changeId,
      [SIGNATURE_HEADER]: signatureHeader(secret, body),
    }
    const send = (firstTry: boolean) =>
      new Promise<LedgerWebhookAttempt>((resolve) => {
        const req = transport.request(
          target,
          { method: "POST", headers, signal, ...(checkTargets ? { lookup: checkedLookup } : {}) },
          (res) => {
            let excerpt = ""
            res.setEncoding("utf8")
            res.on("data", (chunk: string) => {
              if (excerpt.length < ERROR_BODY_CHARS) {
                excerpt += chunk.slice(0, ERROR_BODY_CHARS - excerpt.length)
              }
            })
            res.on("end", () => {
              const status = res.statusCode ?? 0
              const ok = status >= 200 && status < 300
              const redirect = status >= 300 && status < 400
              resolve(
                done(
                  status,
                  ok
                    ? null
                    : redirect
                      ? `HTTP ${status}: redirects are not followed${res.headers.location ? ` (to ${res.headers.location})` : ""}`
                      : `HTTP ${status}${excerpt.trim() ? `: ${excerpt.trim()}` : ""}`
                )
              )
            })
            res.on("error", (error) => resolve(done(brokenOffStatus(res), failureReason(error, timeoutMs))))
          }
        )
        req.on("error", (error: NodeJS.ErrnoException) => {
          // A kept-alive connection the receiver closed meanwhile: once more on a new connection
          // (nothing was answered on it, as Node's http docs advise).
          if (firstTry && req.reusedSocket && error.code === "ECONNRESET") {
            resolve(send(false))
          } else {
            resolve(done(null, failureReason(error, timeoutMs)))
          }
        })
        req.end(payload)
      })
    return await send(true)
  } catch (error) {
    return done(null, failureReason(error, timeoutMs))
  }
}

/** The status of an answer whose body broke off: the attempt still failed (no 2xx body read). */
function brokenOffStatus(res: http.IncomingMessage): number | null {
  const status = res.statusCode ?? null
  return status !== null && status >= 200 && status < 300 ? null : status
}
