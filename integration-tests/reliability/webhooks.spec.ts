import fs from "fs"
import { type Cluster, type HttpAnswer, type ServerProcess, createOrder, request, sleep, startCluster } from "./cluster"
import { WebhookReceiver, type ReceivedWebhook } from "../helpers/webhook-receiver"
import { verifyLedgerSignature } from "../../src/modules/ledger-webhooks/signing"

/**
 * Webhooks as a store runs them on two `medusa start` processes (the deliveries job runs on both,
 * scheduled through Redis), against a real receiver on 127.0.0.1:
 * - without faults, every change of a run of writes over both processes arrives exactly once,
 *   signed, in the feed's order, and never two at once to the endpoint;
 * - with the process that is sending a delivery SIGKILLed while the receiver holds that request,
 *   nothing is missing and the only repeats are of the same change id (the killed claim runs out
 *   and the other process sends it again).
 */

jest.setTimeout(240_000)

type Body = Record<string, any>
let cluster: Cluster
const figures: Record<string, unknown> = {}
const previousAllow = process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS

beforeAll(async () => {
  // The cluster runs with NODE_ENV=production, where private targets are refused by default.
  process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true"
  cluster = await startCluster(2)
}, 300_000)

afterAll(async () => {
  if (previousAllow === undefined) {
    delete process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS
  } else {
    process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS = previousAllow
  }
  console.log(`[reliability] webhook figures\n${JSON.stringify(figures, null, 2)}`)
  await cluster?.stop()
}, 60_000)

const alive = () => cluster.servers.filter((s) => s.child && s.child.exitCode === null && s.child.signalCode === null)

/** An admin request to process `i % 2`, or to the other one while it is down; retries a busy order. */
async function api(i: number, method: string, urlPath: string, body?: unknown): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    const servers = alive()
    const server = servers.includes(cluster.servers[i % 2]) ? cluster.servers[i % 2] : servers[0]
    try {
      const answer = await request(server, method, urlPath, { body, headers: cluster.admin })
      if (answer.status === 409 && answer.body.code === "CONCURRENT_REQUEST" && attempt < 50) {
        await sleep(50)
        continue
      }
      return answer
    } catch (error) {
      if (attempt >= 20) {
        throw error
      }
      await sleep(100)
    }
  }
}

/** Every change of the feed after `cursor`. */
async function feedAfter(cursor: string): Promise<Body[]> {
  const changes: Body[] = []
  for (let after = cursor; ; ) {
    const page = await api(0, "GET", `/admin/ledger-changes?limit=1000&after=${after}`)
    expect(page.status).toBe(200)
    changes.push(...(page.body.changes as Body[]))
    after = page.body.next_cursor as string
    if (!page.body.has_more) {
      return changes
    }
  }
}

/** Writers on `orders`, over both processes, for `ms`: payments, pending ones moved to succeeded. */
async function writeFor(orders: string[], ms: number): Promise<number> {
  const until = Date.now() + ms
  let writes = 0
  await Promise.all(
    orders.map(async (orderId, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const answer = await api(w + i, "POST", `/admin/orders/${orderId}/transactions`, {
          transactions: [{ kind: "payment", amount: 1, status: i % 2 ? "succeeded" : "pending" }],
        }).catch(() => null)
        if (answer?.status !== 200) {
          continue
        }
        writes++
        if (i % 2 === 0) {
          const id = (answer.body.transactions as Body[])[0].id
          const moved = await api(w + i + 1, "POST", `/admin/order-transactions/${id}`, { status: "succeeded" }).catch(() => null)
          writes += moved?.status === 200 ? 1 : 0
        }
      }
    })
  )
  return writes
}

/** Waits until the receiver accepted every one of `ids`. */
async function untilAccepted(receiver: WebhookReceiver, ids: string[], timeoutMs: number) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const got = new Set(receiver.accepted.map((r) => r.change_id))
    const missing = ids.filter((id) => !got.has(id))
    if (!missing.length || Date.now() > until) {
      return missing
    }
    await sleep(200)
  }
}

/** The process (of the cluster's) that holds the TCP connection whose local port is `port`. */
function ownerOfConnection(servers: ServerProcess[], port: number): ServerProcess | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0")
  const inodes = new Set<string>()
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of fs.readFileSync(table, "utf-8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols[1]?.endsWith(`:${hex}`)) {
        inodes.add(cols[9])
      }
    }
  }
  const pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))
  for (const server of servers) {
    const group = server.child?.pid
    for (const pid of pids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf-8")
        const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2])
        if (pgid !== group) {
          continue
        }
        for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
          const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`)
          const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1]
          if (inode && inodes.has(inode)) {
            return server
          }
        }
      } catch {
        // The process ended meanwhile.
      }
    }
  }
  return null
}

function checkSigned(received: ReceivedWebhook[], secret: string, expected: Map<string, Body>) {
  for (const r of received) {
    expect(verifyLedgerSignature(secret, r.signature, r.body)).toBe(true)
    const change = JSON.parse(r.body) as Body
    expect(change.id).toBe(r.change_id)
    expect(change).toEqual(expected.get(change.id))
  }
}

describe("webhooks on two Medusa processes", () => {
  it("deliver every change exactly once, in the feed's order, one at a time, without faults", async () => {
    const receiver = new WebhookReceiver(async () => {
      await sleep(15)
      return 200
    })
    await receiver.listen()
    const created = await api(1, "POST", "/admin/ledger-webhooks", { url: receiver.url })
    expect(created.status).toBe(200)
    const { id, secret, cursor } = created.body.webhook as Body

    const orders = ["order_wh_a", "order_wh_b", "order_wh_c", "order_wh_d"]
    for (const order of orders) {
      await createOrder(cluster.pg, order, "1000")
    }
    const writes = await writeFor(orders, 6_000)
    await sleep(1_500)
    const feed = await feedAfter(cursor)
    const expected = new Map(feed.map((c) => [c.id, c]))
    const missing = await untilAccepted(receiver, [...expected.keys()], 60_000)

    const ids = receiver.received.map((r) => r.change_id)
    const duplicates = ids.length - new Set(ids).size
    figures.no_faults = { writes, changes: feed.length, received: ids.length, missing: missing.length, duplicates, max_in_flight: receiver.maxInFlight }
    expect(writes).toBeGreaterThan(20)
    expect({ missing: missing.length, duplicates }).toEqual({ missing: 0, duplicates: 0 })
    expect(ids).toEqual(feed.map((c) => c.id))
    expect(receiver.maxInFlight).toBe(1)
    checkSigned(receiver.received, secret, expected)

    // An attempt is recorded just after its answer: wait for the last records.
    let log = await api(0, "GET", `/admin/ledger-webhooks/${id}/deliveries?limit=1000&status=succeeded`)
    for (let i = 0; i < 50 && log.body.count !== feed.length; i++) {
      await sleep(100)
      log = await api(0, "GET", `/admin/ledger-webhooks/${id}/deliveries?limit=1000&status=succeeded`)
    }
    expect(log.body.count).toBe(feed.length)
    expect((log.body.deliveries as Body[]).every((d) => d.attempts === 1 && d.last_status_code === 200)).toBe(true)
    expect((await api(0, "DELETE", `/admin/ledger-webhooks/${id}`)).status).toBe(200)
    await receiver.close()
  })

  it("lose nothing when the sending process is SIGKILLed mid-delivery; a repeat carries the same change id", async () => {
    let onHeld: (r: ReceivedWebhook) => void = () => undefined
    const held = new Promise<ReceivedWebhook>((resolve) => {
      onHeld = resolve
    })
    let armed = true
    // The first request is held unanswered (its sender is then killed); every other one is answered.
    const receiver = new WebhookReceiver(async (r) => {
      if (armed) {
        armed = false
        onHeld(r)
        return await new Promise<number>(() => undefined)
      }
      await sleep(10)
      return 200
    })
    await receiver.listen()
    const created = await api(0, "POST", "/admin/ledger-webhooks", { url: receiver.url })
    expect(created.status).toBe(200)
    const { secret, cursor } = created.body.webhook as Body

    const orders = ["order_wh_k1", "order_wh_k2", "order_wh_k3"]
    for (const order of orders) {
      await createOrder(cluster.pg, order, "1000")
    }
    const writing = writeFor(orders, 5_000)
    const first = await held
    const sender = ownerOfConnection(cluster.servers, first.remote_port)
    expect(sender).not.toBeNull()
    const killedAt = Date.now()
    await sender!.kill()
    const writes = await writing
    await sleep(1_500)

    const feed = await feedAfter(cursor)
    const expected = new Map(feed.map((c) => [c.id, c]))
    // The killed claim runs out after 30 s; the other process then sends that change again.
    const missing = await untilAccepted(receiver, [...expected.keys()], 90_000)
    const restartMs = await sender!.start()

    const counts = new Map<string, number>()
    receiver.received.forEach((r) => counts.set(r.change_id, (counts.get(r.change_id) ?? 0) + 1))
    const repeated = [...counts].filter(([, n]) => n > 1).map(([changeId]) => changeId)
    figures.sigkill = {
      killed: sender!.name,
      writes,
      changes: feed.length,
      received: receiver.received.length,
      missing: missing.length,
      repeated_change_ids: repeated.length,
      held_change_redelivered_after_s: (receiver.received.filter((r) => r.change_id === first.change_id)[1]?.at - killedAt) / 1000,
      restart_s: restartMs / 1000,
    }
    expect(writes).toBeGreaterThan(10)
    expect(missing).toEqual([])
    // Nothing but known changes, each repeat the same change (id and body), and the held one among them.
    expect(receiver.received.every((r) => expected.has(r.change_id))).toBe(true)
    expect(repeated).toContain(first.change_id)
    for (const changeId of repeated) {
      const bodies = new Set(receiver.received.filter((r) => r.change_id === changeId).map((r) => r.body))
      expect(bodies.size).toBe(1)
    }
    checkSigned(receiver.received, secret, expected)
    await receiver.close()
  })
})
