import { createHmac } from "node:crypto"
import {
  FIRST_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  RETRY_JITTER,
  RETRY_WINDOW_MS,
  nextAttemptAt,
  retryDelayMs,
} from "../../src/modules/ledger-webhooks/backoff"
import {
  generateWebhookSecret,
  parseSignatureHeader,
  signatureHeader,
  verifyLedgerSignature,
} from "../../src/modules/ledger-webhooks/signing"
import { addressProblem, allowPrivateTargets, allowedAddresses, urlProblem } from "../../src/modules/ledger-webhooks/targets"

describe("webhook signatures", () => {
  const secret = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  const body = '{"id":"olchg_01","type":"order_transaction.created","data":{"object":{"amount":"10.50"},"previous":null}}'

  it("are t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t.body)>", () => {
    const header = signatureHeader(secret, body, 1764650000)
    const expected = createHmac("sha256", secret).update(`1764650000.${body}`).digest("hex")
    expect(header).toBe(`t=1764650000,v1=${expected}`)
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(parseSignatureHeader(header)).toEqual({ timestamp: 1764650000, signatures: [expected] })
  })

  it("verify for the same secret, body and a recent time only", () => {
    const now = 1764650000
    const header = signatureHeader(secret, body, now)
    expect(verifyLedgerSignature(secret, header, body, { now })).toBe(true)
    expect(verifyLedgerSignature(secret, header, body, { now: now + 299 })).toBe(true)
    // Another secret, a changed body (one byte), an old or future time, a malformed header.
    expect(verifyLedgerSignature(`${secret}0`, header, body, { now })).toBe(false)
    expect(verifyLedgerSignature(secret, header, body.replace("10.50", "10.51"), { now })).toBe(false)
    expect(verifyLedgerSignature(secret, header, `${body} `, { now })).toBe(false)
    expect(verifyLedgerSignature(secret, header, body, { now: now + 301 })).toBe(false)
    expect(verifyLedgerSignature(secret, header, body, { now: now - 301 })).toBe(false)
    expect(verifyLedgerSignature(secret, header.replace(/^t=\d+/, `t=${now + 1}`), body, { now })).toBe(false)
    expect(verifyLedgerSignature(secret, undefined, body, { now })).toBe(false)
    expect(verifyLedgerSignature(secret, "v1=abc", body, { now })).toBe(false)
    expect(verifyLedgerSignature(secret, `t=${now}`, body, { now })).toBe(false)
  })

  it("secrets are whsec_ and 32 random bytes in hex", () => {
    const a = generateWebhookSecret()
    const b = generateWebhookSecret()
    expect(a).toMatch(/^whsec_[0-9a-f]{64}$/)
    expect(b).toMatch(/^whsec_[0-9a-f]{64}$/)
    expect(a).not.toBe(b)
  })
})

describe("webhook target addresses", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["100.64.0.1", "private (shared address space)"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["169.254.169.254", "link-local"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["ff02::1", "multicast"],
    // IPv4-mapped IPv6, dotted and hex, and other IPv6 forms that carry an IPv4 address.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["0:0:0:0:0:ffff:c0a8:0101", "private"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["64:ff9b::7f00:1", "loopback"],
    ["2002:c0a8:0101::1", "private"],
    ["::127.0.0.1", "loopback"],
  ])("refuses %s (%s)", (ip, label) => {
    expect(addressProblem(ip)).toBe(label)
  })

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.0",
    "100.63.255.255",
    "192.169.0.1",
    "11.0.0.1",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "::ffff:808:808",
    "64:ff9b::808:808",
    "2002:0808:0808::1",
    "fec0::1".replace("fec0", "fe00"),
  ])("allows the public address %s", (ip) => {
    expect(addressProblem(ip)).toBeNull()
  })

  it("names what is wrong with a url before any lookup", () => {
    expect(urlProblem("https://books.example.com/ledger?x=1")).toBeNull()
    expect(urlProblem("http://127.0.0.1:3000/hook")).toBeNull()
    expect(urlProblem("ftp://example.com/")).toBe("url must use http or https")
    expect(urlProblem("javascript:alert(1)")).toBe("url must use http or https")
    expect(urlProblem("example.com/hook")).toBe("url must be an absolute http or https URL")
    expect(urlProblem("https://user:pass@example.com/")).toBe("url must not contain a user name or password")
  })

  it("judges every address a host resolves to", async () => {
    await expect(allowedAddresses("127.0.0.1")).rejects.toMatchObject({ code: "WEBHOOK_TARGET_NOT_ALLOWED" })
    await expect(allowedAddresses("::ffff:127.0.0.1")).rejects.toMatchObject({ code: "WEBHOOK_TARGET_NOT_ALLOWED" })
    // `localhost` resolves (from /etc/hosts) to loopback addresses only.
    await expect(allowedAddresses("localhost")).rejects.toMatchObject({ code: "WEBHOOK_TARGET_NOT_ALLOWED" })
    await expect(allowedAddresses("no-such-host.invalid")).rejects.toMatchObject({ code: "WEBHOOK_TARGET_UNRESOLVABLE" })
    await expect(allowedAddresses("8.8.8.8")).resolves.toEqual([{ address: "8.8.8.8", family: 4 }])
  })

  it("allows private targets by default in development and test only", () => {
    expect(allowPrivateTargets(undefined, "development")).toBe(true)
    expect(allowPrivateTargets(undefined, "test")).toBe(true)
    expect(allowPrivateTargets(undefined, "production")).toBe(false)
    expect(allowPrivateTargets(undefined, undefined)).toBe(false)
    expect(allowPrivateTargets(false, "test")).toBe(false)
    expect(allowPrivateTargets(true, "production")).toBe(true)
  })
})

describe("webhook retry schedule", () => {
  it("doubles from 1 s and caps at 1 h between attempts", () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 32000])
    expect(retryDelayMs(12)).toBe(2048 * FIRST_RETRY_DELAY_MS)
    expect(retryDelayMs(13)).toBe(MAX_RETRY_DELAY_MS)
    expect(retryDelayMs(500)).toBe(MAX_RETRY_DELAY_MS)
  })

  it("adds at most 10% jitter", () => {
    const t0 = new Date("2026-12-02T00:00:00Z")
    const low = nextAttemptAt({ firstAttemptAt: t0, failedAt: t0, attempts: 3, random: () => 0 })
    const high = nextAttemptAt({ firstAttemptAt: t0, failedAt: t0, attempts: 3, random: () => 0.999999 })
    expect(low!.getTime() - t0.getTime()).toBe(4000)
    expect(high!.getTime() - t0.getTime()).toBeGreaterThan(4000)
    expect(high!.getTime() - t0.getTime()).toBeLessThanOrEqual(4000 * (1 + RETRY_JITTER))
  })

  it("retries a delivery that always fails until 3 days after its first attempt, then gives up", () => {
    const t0 = new Date("2026-12-02T00:00:00Z")
    const attempts: Date[] = [t0]
    let next: Date | null = t0
    while (next) {
      next = nextAttemptAt({ firstAttemptAt: t0, failedAt: attempts[attempts.length - 1], attempts: attempts.length, random: () => 0.5 })
      if (next) {
        attempts.push(next)
      }
      expect(attempts.length).toBeLessThan(200)
    }
    const gaps = attempts.slice(1).map((t, i) => t.getTime() - attempts[i].getTime())
    expect(gaps.slice(0, 4)).toEqual([1050, 2100, 4200, 8400])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS * (1 + RETRY_JITTER))
    // Never shorter than the gap before, but for the last, which ends at the window's end.
    for (let i = 1; i < gaps.length - 1; i++) {
      expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1])
    }
    // The last attempt is at the end of the window exactly; nothing after it.
    expect(attempts[attempts.length - 1].getTime() - t0.getTime()).toBe(RETRY_WINDOW_MS)
    expect(RETRY_WINDOW_MS).toBe(3 * 24 * 3600 * 1000)
    // 13 attempts to reach the 1 h cap (about 72 min), then about one an hour for the rest of the 3 days.
    expect(attempts.length).toBeGreaterThan(75)
    expect(attempts.length).toBeLessThan(90)
  })
})
