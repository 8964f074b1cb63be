import { lookup as dnsLookup, type LookupAddress } from "node:dns"
import { isIP } from "node:net"

/**
 * Which addresses a webhook may be sent to: public unicast only, unless the module option
 * `webhooks.allow_private_targets` is on. One home for the rule: the create/update check and the
 * connection made at send time both call {@link addressProblem}.
 */

type Range = { bits: number; prefix: bigint; length: number; label: string }

function v4ToBigInt(ip: string): bigint {
  return ip.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

/** An IPv6 address as 128 bits (`::`, a zone index and a dotted-quad tail accepted). */
function v6ToBigInt(ip: string): bigint {
  let text = ip.split("%")[0].toLowerCase()
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) {
    const v4 = v4ToBigInt(dotted[1])
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const [head, tail] = text.split("::")
  const left = head ? head.split(":") : []
  const right = tail !== undefined && tail !== "" ? tail.split(":") : []
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n)
}

function range(cidr: string, label: string): Range {
  const [base, length] = cidr.split("/")
  const v6 = base.includes(":")
  return { bits: v6 ? 128 : 32, prefix: v6 ? v6ToBigInt(base) : v4ToBigInt(base), length: Number(length), label }
}

const inRange = (value: bigint, r: Range) => value >> BigInt(r.bits - r.length) === r.prefix >> BigInt(r.bits - r.length)

/** IPv4 ranges that are not public unicast. */
const V4_REFUSED: Range[] = [
  range("0.0.0.0/8", "unspecified"),
  range("10.0.0.0/8", "private"),
  range("100.64.0.0/10", "private (shared address space)"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local"),
  range("172.16.0.0/12", "private"),
  range("192.0.0.0/24", "reserved"),
  range("192.168.0.0/16", "private"),
  range("198.18.0.0/15", "reserved"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved"),
]

/** IPv6 ranges that are not public unicast. */
const V6_REFUSED: Range[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("100::/64", "reserved"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "site-local"),
  range("fc00::/7", "unique-local"),
  range("ff00::/8", "multicast"),
]

/** IPv6 ranges that carry an IPv4 address in their last 32 bits (mapped, compatible, NAT64). */
const V6_EMBEDDING_V4: Range[] = [
  range("::ffff:0:0/96", "IPv4-mapped"),
  range("::/96", "IPv4-compatible"),
  range("64:ff9b::/96", "NAT64"),
]
const SIX_TO_FOUR = range("2002::/16", "6to4")

function v4Problem(value: bigint): string | null {
  return V4_REFUSED.find((r) => inRange(value, r))?.label ?? null
}

/**
 * Why an IP address may not receive webhooks ("loopback", "private", "link-local",
 * "unique-local", "unspecified", …), or null for a public unicast address. IPv6 addresses that
 * embed an IPv4 address (`::ffff:127.0.0.1`, NAT64, 6to4) are judged by that address.
 *
 * @example
 * addressProblem("10.1.2.3") // "private"
 * addressProblem("::ffff:7f00:1") // "loopback"
 * addressProblem("2606:4700::1111") // null
 */
export function addressProblem(ip: string): string | null {
  const family = isIP(ip.split("%")[0])
  if (family === 4) {
    return v4Problem(v4ToBigInt(ip))
  }
  if (family !== 6) {
    return "not an IP address"
  }
  const value = v6ToBigInt(ip)
  const own = V6_REFUSED.find((r) => inRange(value, r))
  if (own) {
    return own.label
  }
  if (V6_EMBEDDING_V4.some((r) => inRange(value, r))) {
    return v4Problem(value & 0xffffffffn)
  }
  if (inRange(value, SIX_TO_FOUR)) {
    return v4Problem((value >> 80n) & 0xffffffffn)
  }
  return null
}

/** Why a URL may not be a webhook target before any lookup (scheme, credentials), or null. */
export function urlProblem(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return "url must be an absolute http or https URL"
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return "url must use http or https"
  }
  if (!parsed.hostname) {
    return "url must name a host"
  }
  if (parsed.username || parsed.password) {
    return "url must not contain a user name or password"
  }
  return null
}

/** A URL's host as a lookup takes it: IPv6 literals without their brackets. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, "$1")
}

/** Every address a host name resolves to, IPv4 and IPv6 (an IP literal is its own). */
export function resolveAll(host: string): Promise<LookupAddress[]> {
  const family = isIP(host)
  if (family) {
    return Promise.resolve([{ address: host, family }])
  }
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)))
  )
}

/** Why a target was refused, as `checkTarget` and the send-time lookup report it. */
export class WebhookTargetError extends Error {
  constructor(
    readonly code: "WEBHOOK_TARGET_NOT_ALLOWED" | "WEBHOOK_TARGET_UNRESOLVABLE",
    message: string
  ) {
    super(message)
  }
}

/**
 * The addresses of a host when every one of them may receive webhooks; throws a
 * {@link WebhookTargetError} when the host does not resolve or any address is refused (a host
 * with one private address among public ones is refused: a lookup may pick any of them).
 */
export async function allowedAddresses(host: string): Promise<LookupAddress[]> {
  let addresses: LookupAddress[]
  try {
    addresses = await resolveAll(host)
  } catch (error) {
    throw new WebhookTargetError(
      "WEBHOOK_TARGET_UNRESOLVABLE",
      `url's host ${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? "lookup failed"}).`
    )
  }
  if (!addresses.length) {
    throw new WebhookTargetError("WEBHOOK_TARGET_UNRESOLVABLE", `url's host ${host} has no address.`)
  }
  for (const { address } of addresses) {
    const problem = addressProblem(address)
    if (problem) {
      throw new WebhookTargetError(
        "WEBHOOK_TARGET_NOT_ALLOWED",
        `url's host ${host} is a ${problem} address (${address}); webhooks go to public addresses unless the option webhooks.allow_private_targets is on.`
      )
    }
  }
  return addresses
}

/** Whether private targets are allowed: the option, else true only in development and test. */
export function allowPrivateTargets(option: boolean | undefined, nodeEnv: string | undefined): boolean {
  return option ?? (nodeEnv === "development" || nodeEnv === "test")
}
