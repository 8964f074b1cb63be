import http from "node:http"
import type { AddressInfo } from "node:net"
import path from "path"
import { medusaIntegrationTestRunner, moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { settle, type Res } from "../helpers/http"
import { createAdminHeaders } from "../helpers/admin"
import { createOrder } from "../helpers/orders"
import { waitFor } from "../helpers/checkout"
import { WebhookReceiver } from "../helpers/webhook-receiver"
import { LEDGER_WEBHOOKS_MODULE } from "../../src/modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../src/modules/ledger-webhooks/service"
import { verifyLedgerSignature } from "../../src/modules/ledger-webhooks/signing"
import { postLedgerWebhook } from "../../src/modules/ledger-webhooks/send"
import type { LedgerChange } from "../../src/modules/order-ledger/types"
import { dropDatabase, uniqueDatabaseName } from "../modules/database"
import fc from "fast-check"
import { webhookCases } from "../reliability/fuzz"
import { createLedgerWebhookWorkflow } from "../../src/workflows/workflows/create-ledger-webhook"
import { updateLedgerWebhookWorkflow } from "../../src/workflows/workflows/update-ledger-webhook"
import { createLedgerWebhookEndpointStepId } from "../../src/workflows/steps/create-ledger-webhook-endpoint"
import { updateLedgerWebhookEndpointStepId } from "../../src/workflows/steps/update-ledger-webhook-endpoint"

jest.setTimeout(180_000)

const HOOKS = "/admin/ledger-webhooks"
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    const post = (url: string, body: unknown): Promise<Res> => settle(api.post(url, body, admin))
    const get = (url: string): Promise<Res> => settle(api.get(url, admin))
    const del = (url: string): Promise<Res> => settle(api.delete(url, admin))

    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })

    /** Every change of the feed after `cursor`, through `GET /admin/ledger-changes`. */
    const feedAfter = async (cursor: string | null): Promise<LedgerChange[]> => {
      const changes: LedgerChange[] = []
      let after = cursor
      for (;;) {
        const res = await get(`/admin/ledger-changes?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ""}`)
        expect(res.status).toBe(200)
        changes.push(...res.data.changes)
        after = res.data.next_cursor
        if (!res.data.has_more) {
          return changes
        }
      }
    }

    describe("routes", () => {
      it("answer 401 without auth", async () => {
        const routes: [string, string][] = [
          ["get", HOOKS],
          ["post", HOOKS],
          ["get", `${HOOKS}/olwh_1`],
          ["post", `${HOOKS}/olwh_1`],
          ["delete", `${HOOKS}/olwh_1`],
          ["get", `${HOOKS}/olwh_1/deliveries`],
          ["post", `${HOOKS}/olwh_1/deliveries/olwhd_1/retry`],
        ]
        for (const [method, url] of routes) {
          const res = await settle(
            method === "get" ? api.get(url) : method === "delete" ? api.delete(url) : api.post(url, { url: "https://example.com" })
          )
          expect([method, url, res.status]).toEqual([method, url, 401])
        }
      })

      it("show the secret in the create answer only", async () => {
        const created = await post(HOOKS, {
          url: "https://books.example.com/ledger",
          events: ["order_transaction.created"],
          description: "Accounting sync",
        })
        expect(created.status).toBe(200)
        const webhook = created.data.webhook
        expect(webhook).toMatchObject({
          id: expect.stringMatching(/^olwh_/),
          url: "https://books.example.com/ledger",
          events: ["order_transaction.created"],
          description: "Accounting sync",
          enabled: true,
          status: "active",
          secret: expect.stringMatching(/^whsec_[0-9a-f]{64}$/),
        })
        const secret: string = webhook.secret

        const answers = [
          await get(`${HOOKS}/${webhook.id}`),
          await get(`${HOOKS}/${webhook.id}?fields=secret`),
          await get(`${HOOKS}/${webhook.id}?fields=*`),
          await get(`${HOOKS}?fields=id,secret`),
          await get(HOOKS),
          await post(`${HOOKS}/${webhook.id}`, { description: "Books" }),
        ]
        for (const res of answers) {
          expect(res.status).toBe(200)
          expect(JSON.stringify(res.data)).not.toContain(secret)
          expect(JSON.stringify(res.data)).not.toContain("whsec_")
        }
        expect(answers[0].data.webhook).toEqual({
          id: webhook.id,
          url: "https://books.example.com/ledger",
          events: ["order_transaction.created"],
          description: "Accounting sync",
          enabled: true,
          status: "active",
          cursor: expect.any(String),
          failing_since: null,
          created_at: expect.any(String),
          updated_at: expect.any(String),
        })
        expect(answers[4].data).toMatchObject({ count: 1, offset: 0, limit: 20, webhooks: [{ id: webhook.id }] })
        expect(answers[5].data.webhook).toMatchObject({ id: webhook.id, description: "Books" })
      })

      it("update, list with paging, and delete", async () => {
        const ids: string[] = []
        for (let i = 0; i < 3; i++) {
          ids.push((await post(HOOKS, { url: `https://hooks.example.com/${i}` })).data.webhook.id)
        }
        const page = await get(`${HOOKS}?limit=2&offset=1&order=created_at`)
        expect(page.data).toMatchObject({ count: 3, offset: 1, limit: 2 })
        expect(page.data.webhooks.map((w: { id: string }) => w.id)).toEqual(ids.slice(1))

        const updated = await post(`${HOOKS}/${ids[0]}`, {
          url: "https://hooks.example.com/new",
          events: ["order_balance.updated", "order_balance.updated"],
          enabled: false,
        })
        expect(updated.status).toBe(200)
        expect(updated.data.webhook).toMatchObject({
          url: "https://hooks.example.com/new",
          events: ["order_balance.updated"],
          enabled: false,
        })
        // null (or []) is every type again.
        expect((await post(`${HOOKS}/${ids[0]}`, { events: null })).data.webhook.events).toBeNull()

        const deleted = await del(`${HOOKS}/${ids[0]}`)
        expect(deleted.status).toBe(200)
        expect(deleted.data).toEqual({ id: ids[0], object: "ledger_webhook", deleted: true })
        for (const res of [
          await get(`${HOOKS}/${ids[0]}`),
          await del(`${HOOKS}/${ids[0]}`),
          await post(`${HOOKS}/${ids[0]}`, { enabled: true }),
          await get(`${HOOKS}/${ids[0]}/deliveries`),
          await post(`${HOOKS}/${ids[0]}/deliveries/olwhd_1/retry`, {}),
          await post(`${HOOKS}/${ids[1]}/deliveries/olwhd_nope/retry`, {}),
        ]) {
          expect(res.status).toBe(404)
          expect(res.data.code).toBe("NOT_FOUND")
        }
        expect((await get(HOOKS)).data.count).toBe(2)
      })

      it("answer 400 with a code and a message naming the field for bad input", async () => {
        const { data } = await post(HOOKS, { url: "https://hooks.example.com/ok" })
        const id = data.webhook.id
        const cases: [string, unknown, RegExp][] = [
          [HOOKS, {}, /url/],
          [HOOKS, { url: 42 }, /url/],
          [HOOKS, { url: "" }, /url/],
          [HOOKS, { url: "not a url" }, /url must be an absolute http or https URL/],
          [HOOKS, { url: "ftp://hooks.example.com/" }, /url must use http or https/],
          [HOOKS, { url: "https://user:pw@hooks.example.com/" }, /url must not contain a user name or password/],
          [HOOKS, { url: `https://hooks.example.com/${"a".repeat(2100)}` }, /url.*2048/],
          [HOOKS, { url: "https://hooks.example.com/", events: ["order.placed"] }, /events/],
          [HOOKS, { url: "https://hooks.example.com/", events: "order_transaction.created" }, /events/],
          [HOOKS, { url: "https://hooks.example.com/", description: "" }, /description/],
          [HOOKS, { url: "https://hooks.example.com/", secret: "whsec_mine" }, /secret/],
          [`${HOOKS}/${id}`, { enabled: "yes" }, /enabled/],
          [`${HOOKS}/${id}`, { url: "gopher://x" }, /url must use http or https/],
          [`${HOOKS}/${id}`, { status: "failing" }, /status/],
        ]
        for (const [url, body, message] of cases) {
          const res = await post(url, body)
          expect([JSON.stringify(body), res.status, res.data.code]).toEqual([JSON.stringify(body), 400, "INVALID_DATA"])
          expect(res.data.message).toMatch(message)
        }
        for (const query of ["limit=-1", "offset=x", "order=secret", "status=broken"]) {
          const res = await get(`${HOOKS}?${query}`)
          expect([query, res.status, res.data.code]).toEqual([query, 400, "INVALID_DATA"])
        }
        const bad = await get(`${HOOKS}/${id}/deliveries?status=nope`)
        expect([bad.status, bad.data.code]).toEqual([400, "INVALID_DATA"])
      })

      it("answer bad input (fast-check, against an endpoint that exists) with a 4xx and a code, and change nothing", async () => {
        const { data } = await post(HOOKS, { url: "https://hooks.example.com/fuzz", description: "fuzz" })
        const webhook = data.webhook
        const cases = fc.sample(
          webhookCases({ orderId: "order_x", paymentId: "oltx_x", pendingId: "oltx_y", authorizationId: "oltx_z", webhookId: webhook.id }),
          { numRuns: 400, seed: 20261202 }
        )
        const failures: unknown[] = []
        for (const c of cases) {
          const res = await settle(
            api.request({
              method: c.method,
              url: c.path,
              data: c.rawBody ?? (c.body === undefined ? undefined : JSON.stringify(c.body)),
              headers: { ...admin.headers, "content-type": "application/json" },
              transformRequest: [(d: unknown) => d],
            })
          )
          if (res.status < 400 || res.status >= 500 || typeof res.data?.code !== "string") {
            failures.push({ path: c.path, body: c.body ?? c.rawBody, status: res.status, answer: res.data })
          }
        }
        expect(failures.slice(0, 5)).toEqual([])
        const after = await get(HOOKS)
        expect(after.data.count).toBe(1)
        expect(after.data.webhooks[0]).toEqual((await get(`${HOOKS}/${webhook.id}`)).data.webhook)
        expect(after.data.webhooks[0]).toMatchObject({ url: "https://hooks.example.com/fuzz", description: "fuzz", events: null, enabled: true })
      })
    })

    describe("deliveries to a real receiver", () => {
      it("deliver every change, signed, through 30 s of a receiver down, with the failed attempts logged; a manual retry sends the change again", async () => {
        const container = getContainer()
        const startedAt = Date.now()
        const UP_AFTER_MS = 30_000
        // Connection refused for the first 10 s (nothing listens), then 503 until 30 s, then 200.
        const receiver = new WebhookReceiver(() => (Date.now() - startedAt < UP_AFTER_MS ? 503 : 200))
        await receiver.listen()
        await receiver.close()
        const balances = new WebhookReceiver()
        await balances.listen()

        const created = await post(HOOKS, { url: receiver.url, description: "down, then up" })
        expect(created.status).toBe(200)
        const { id, secret, cursor } = created.data.webhook
        const filtered = await post(HOOKS, { url: balances.url, events: ["order_balance.updated"] })
        const filteredId = filtered.data.webhook.id
        setTimeout(() => void receiver.listen(receiver.port), 10_000)

        // A run of ledger writes: payments recorded, a pending one moved to succeeded, a refund.
        for (let i = 0; i < 3; i++) {
          const order = await createOrder(container, { total: 100 + i })
          const recorded = await post(`/admin/orders/${order.id}/transactions`, {
            transactions: [
              { kind: "payment", amount: 40, payment_method: "bank_transfer", status: "pending" },
              { kind: "payment", amount: 60 + i, payment_method: "cash" },
            ],
          })
          expect(recorded.status).toBe(200)
          const [pending, cash] = recorded.data.transactions
          expect((await post(`/admin/order-transactions/${pending.id}`, { status: "succeeded" })).status).toBe(200)
          const refund = await post(`/admin/order-transactions/${cash.id}/refunds`, { amount: 10 })
          expect(refund.status).toBe(200)
        }

        // While down: the deliveries are pending, with failed attempts and a next retry.
        await waitFor("failed attempts", async () => {
          const res = await get(`${HOOKS}/${id}/deliveries?limit=100`)
          return res.data.deliveries.length > 0 && res.data.deliveries.every((d: { attempts: number }) => d.attempts >= 2)
        }, { timeoutMs: 25_000, intervalMs: 250 })
        const whileDown = (await get(`${HOOKS}/${id}/deliveries?limit=100`)).data.deliveries
        expect(Date.now() - startedAt).toBeLessThan(UP_AFTER_MS)
        for (const d of whileDown) {
          expect(d).toMatchObject({ status: "pending", delivered_at: null })
          expect(d.last_error).toMatch(/ECONNREFUSED|HTTP 503/)
          expect(new Date(d.next_attempt_at).getTime()).toBeGreaterThan(new Date(d.last_attempted_at).getTime())
          expect(typeof d.last_duration_ms).toBe("number")
        }

        // Every change of the run, from the feed itself.
        const feed = await feedAfter(cursor)
        const expected = new Map(feed.map((c) => [c.id, c]))
        expect(feed.length).toBeGreaterThanOrEqual(3 * 5)
        expect(new Set(feed.map((c) => c.type))).toEqual(
          new Set(["order_transaction.created", "order_transaction.updated", "order_balance.updated"])
        )

        await waitFor(
          "every change delivered",
          async () => {
            const got = new Set(receiver.accepted.map((r) => r.change_id))
            return [...expected.keys()].every((k) => got.has(k))
          },
          { timeoutMs: 90_000, intervalMs: 250 }
        )
        expect(receiver.received.some((r) => r.answered === 503)).toBe(true)

        // Every request: signed with the endpoint's secret over the exact body, the feed's change JSON.
        for (const r of receiver.received) {
          expect(verifyLedgerSignature(secret, r.signature, r.body)).toBe(true)
          expect(verifyLedgerSignature(secret, r.signature, `${r.body} `)).toBe(false)
          const change = JSON.parse(r.body) as LedgerChange
          expect(change.id).toBe(r.change_id)
          expect(expected.has(change.id)).toBe(true)
          expect(change).toEqual(JSON.parse(JSON.stringify(expected.get(change.id))))
        }
        // Per resource, the versions sent are exactly the feed's, and a receiver that keeps the
        // highest version ends with the resource's last state. (The feed's order is the writing
        // transactions' order, so a resource's versions may come in another order: stale ones are
        // recognisable by version.)
        const byResource = new Map<string, LedgerChange[]>()
        for (const r of receiver.accepted) {
          const change = JSON.parse(r.body) as LedgerChange
          byResource.set(change.resource_id, [...(byResource.get(change.resource_id) ?? []), change])
        }
        for (const [resource, changes] of byResource) {
          const fromFeed = feed.filter((c) => c.resource_id === resource)
          const firstSeen = [...new Map(changes.map((c) => [c.id, c])).values()]
          const versions = (list: LedgerChange[]) => list.map((c) => c.version).sort((a, b) => a - b)
          expect(versions(firstSeen)).toEqual(versions(fromFeed))
          const newest = (list: LedgerChange[]) => list.reduce((a, b) => (b.version > a.version ? b : a))
          expect(newest(changes)).toEqual(JSON.parse(JSON.stringify(newest(fromFeed))))
        }

        // The delivery log: every change once, succeeded with 200; the first ones show their failed attempts.
        // (An attempt is recorded just after its answer: wait for the last records.)
        const log = await waitFor("every delivery recorded as succeeded", async () => {
          const { data } = await get(`${HOOKS}/${id}/deliveries?limit=100`)
          return data.deliveries.every((d: { status: string }) => d.status === "succeeded") ? data : null
        })
        expect(log.count).toBe(expected.size)
        expect(new Set(log.deliveries.map((d: { change_id: string }) => d.change_id))).toEqual(new Set(expected.keys()))
        for (const d of log.deliveries) {
          expect(d).toMatchObject({ status: "succeeded", last_status_code: 200, last_error: null, next_attempt_at: null })
          expect(new Date(d.delivered_at).getTime()).toBeGreaterThanOrEqual(startedAt + UP_AFTER_MS)
        }
        const retried = log.deliveries.filter((d: { attempts: number }) => d.attempts > 1)
        expect(retried.length).toBeGreaterThan(0)
        const attemptsLogged = log.deliveries.reduce((n: number, d: { attempts: number }) => n + d.attempts, 0)
        const accepted = receiver.accepted.length
        // Every attempt the receiver answered is counted (refused connections never reached it).
        expect(attemptsLogged).toBeGreaterThanOrEqual(receiver.received.length)
        expect(accepted).toBeGreaterThanOrEqual(expected.size)
        expect((await get(`${HOOKS}/${id}`)).data.webhook.status).toBe("active")

        // The filtered endpoint got the balance changes only, each once.
        const balanceChanges = feed.filter((c) => c.type === "order_balance.updated").map((c) => c.id)
        await waitFor("the balance changes", async () => balances.accepted.length >= balanceChanges.length)
        expect(balances.accepted.map((r) => r.change_id).sort()).toEqual([...balanceChanges].sort())
        expect((await get(`${HOOKS}/${filteredId}/deliveries?limit=100`)).data.count).toBe(balanceChanges.length)

        // A manual redelivery of a succeeded delivery sends the same change id again.
        const target = log.deliveries[log.deliveries.length - 1]
        const before = receiver.received.filter((r) => r.change_id === target.change_id).length
        const retry = await post(`${HOOKS}/${id}/deliveries/${target.id}/retry`, {})
        expect(retry.status).toBe(200)
        expect(retry.data.delivery).toMatchObject({ id: target.id, change_id: target.change_id, status: "pending" })
        await waitFor("the redelivery", async () => receiver.received.filter((r) => r.change_id === target.change_id).length > before)
        const again = receiver.received.filter((r) => r.change_id === target.change_id).slice(-1)[0]
        expect(again.body).toBe(receiver.received.find((r) => r.change_id === target.change_id)!.body)
        expect(verifyLedgerSignature(secret, again.signature, again.body)).toBe(true)
        await waitFor("the redelivery logged", async () => {
          const [d] = (await get(`${HOOKS}/${id}/deliveries?change_id=${target.change_id}`)).data.deliveries
          return d.status === "succeeded" && d.attempts === target.attempts + 1
        })

        // Disabled: nothing is sent; enabled again: the changes made meanwhile arrive.
        expect((await post(`${HOOKS}/${id}`, { enabled: false })).status).toBe(200)
        const order = await createOrder(container, { total: 50 })
        const paid = await post(`/admin/orders/${order.id}/transactions`, { transactions: [{ kind: "payment", amount: 20 }] })
        expect(paid.status).toBe(200)
        const countWhileDisabled = receiver.received.length
        await sleep(2_500)
        expect(receiver.received.length).toBe(countWhileDisabled)
        expect((await post(`${HOOKS}/${id}`, { enabled: true })).status).toBe(200)
        await waitFor("the changes made while disabled", async () =>
          receiver.accepted.some((r) => (JSON.parse(r.body) as LedgerChange).order_id === order.id)
        )

        await receiver.close()
        await balances.close()
      })
    })

    // Last: appendAction changes the workflows' definitions for the rest of the suite.
    describe("compensation", () => {
      it("leaves no endpoint when a step after the create fails, and puts an update back", async () => {
        const container = getContainer()
        const create = createLedgerWebhookWorkflow(container)
        create.appendAction("inject-failure", createLedgerWebhookEndpointStepId, {
          invoke: async () => {
            throw new Error("injected failure after the endpoint was created")
          },
        })
        const { errors } = await create.run({ input: { url: "https://hooks.example.com/compensated" }, throwOnError: false })
        expect(errors.map((e) => e.error?.message)).toEqual(["injected failure after the endpoint was created"])
        const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
        expect(await webhooks.listLedgerWebhookEndpoints({}, { withDeleted: true })).toEqual([])

        const { data } = await post(HOOKS, { url: "https://hooks.example.com/a", events: ["order_balance.updated"], description: "A" })
        const before = (await get(`${HOOKS}/${data.webhook.id}`)).data.webhook
        const update = updateLedgerWebhookWorkflow(container)
        update.appendAction("inject-failure", updateLedgerWebhookEndpointStepId, {
          invoke: async () => {
            throw new Error("injected failure after the update")
          },
        })
        const updated = await update.run({
          input: { id: data.webhook.id, url: "https://hooks.example.com/b", events: null, description: null, enabled: false },
          throwOnError: false,
        })
        expect(updated.errors).toHaveLength(1)
        const after = (await get(`${HOOKS}/${data.webhook.id}`)).data.webhook
        expect({ ...after, updated_at: null }).toEqual({ ...before, updated_at: null })
      })
    })
  },
})

/** The module alone, booted with private targets refused, as production has it by default. */
const MODULE_DIR = path.resolve(__dirname, "../../src/modules/ledger-webhooks")
const dbName = uniqueDatabaseName("ledger_webhooks")
afterAll(async () => {
  await dropDatabase(dbName)
})

moduleIntegrationTestRunner<LedgerWebhooksModuleService>({
  moduleName: LEDGER_WEBHOOKS_MODULE,
  resolve: MODULE_DIR,
  pathToMigrations: path.join(MODULE_DIR, "migrations"),
  moduleOptions: { webhooks: { allow_private_targets: false } },
  dbName,
  testSuite: ({ service }) => {
    describe("with webhooks.allow_private_targets off", () => {
      it("refuses private, loopback, link-local and unspecified targets, IPv4 and IPv6, by code", async () => {
        expect(service.allowPrivateTargets).toBe(false)
        for (const url of [
          "http://127.0.0.1:9000/hook",
          "http://localhost:9000/hook",
          "http://10.0.0.8/hook",
          "http://192.168.1.20/hook",
          "http://169.254.169.254/latest/meta-data",
          "http://0.0.0.0/hook",
          "http://[::1]/hook",
          "http://[fe80::1]/hook",
          "http://[fd00::1]/hook",
          "http://[::ffff:127.0.0.1]/hook",
          "http://[::ffff:a00:1]/hook",
        ]) {
          await expect(service.checkTarget(url)).rejects.toMatchObject({ code: "WEBHOOK_TARGET_NOT_ALLOWED", type: "invalid_data" })
        }
        await expect(service.checkTarget("https://no-such-host.invalid/hook")).rejects.toMatchObject({
          code: "WEBHOOK_TARGET_UNRESOLVABLE",
        })
        await expect(service.checkTarget("ftp://example.com/")).rejects.toMatchObject({ code: "INVALID_DATA" })
        await expect(service.checkTarget("https://8.8.8.8/hook")).resolves.toBeUndefined()
      })

      it("checks again at send time: a stored private target gets nothing, and the attempt says why", async () => {
        const receiver = new WebhookReceiver()
        await receiver.listen()
        try {
          // As if created while the option was on, or before its name moved to a private address.
          const endpoint = await service.createLedgerWebhookEndpoints({ url: receiver.url, secret: "whsec_test" })
          const delivery = await service.createLedgerWebhookDeliveries({
            endpoint_id: endpoint.id,
            change_id: "olchg_1",
            change_type: "order_transaction.created",
            position: 1,
            payload: '{"id":"olchg_1"}',
            next_attempt_at: new Date(),
          })
          const sent = await service.sendDue({ budgetMs: 0 })
          expect(sent).toMatchObject({ attempted: 1, succeeded: 0, failed_attempts: 1 })
          const [after] = await service.listLedgerWebhookDeliveries({ id: delivery.id })
          expect(after).toMatchObject({ status: "pending", attempts: 1, last_status_code: null })
          expect(after.last_error).toMatch(/^WEBHOOK_TARGET_NOT_ALLOWED: .*loopback/)
          expect(receiver.received).toHaveLength(0)
        } finally {
          await receiver.close()
        }
      })
    })
  },
})

/** The sender itself, against real sockets: what one attempt sends and how it ends. */
describe("one delivery attempt", () => {
  const secret = "whsec_sender_test"
  const body = '{"id":"olchg_1","type":"order_transaction.created"}'

  it("posts the exact body with the headers and a signature that verifies", async () => {
    const receiver = new WebhookReceiver()
    await receiver.listen()
    try {
      const attempt = await postLedgerWebhook({ url: receiver.url, secret, changeId: "olchg_1", body, checkTargets: false })
      expect(attempt).toMatchObject({ succeeded: true, status_code: 200, error: null })
      expect(attempt.duration_ms).toBeGreaterThanOrEqual(0)
      expect(receiver.received).toHaveLength(1)
      const [r] = receiver.received
      expect(r).toMatchObject({ change_id: "olchg_1", body })
      expect(verifyLedgerSignature(secret, r.signature, r.body)).toBe(true)
      expect(r.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    } finally {
      await receiver.close()
    }
  })

  it("never follows a redirect: a 3xx is a failed attempt and the other host gets nothing", async () => {
    const elsewhere = new WebhookReceiver()
    await elsewhere.listen()
    const redirecting = http.createServer((_, res) => res.writeHead(307, { location: elsewhere.url }).end())
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve))
    try {
      const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`
      const attempt = await postLedgerWebhook({ url, secret, changeId: "olchg_1", body, checkTargets: false })
      expect(attempt).toMatchObject({ succeeded: false, status_code: 307 })
      expect(attempt.error).toMatch(/^HTTP 307: redirects are not followed/)
      expect(elsewhere.received).toHaveLength(0)
    } finally {
      redirecting.close()
      await elsewhere.close()
    }
  })

  it("gives up at the timeout, refused connections and non-2xx fail, a refused target is never connected to", async () => {
    const silent = new WebhookReceiver(() => new Promise<number>(() => undefined))
    await silent.listen()
    try {
      const timedOut = await postLedgerWebhook({ url: silent.url, secret, changeId: "olchg_1", body, checkTargets: false, timeoutMs: 300 })
      expect(timedOut).toMatchObject({ succeeded: false, status_code: null, error: "timed out after 0.3 s" })
      expect(silent.received).toHaveLength(1)

      const refusedTarget = await postLedgerWebhook({ url: silent.url, secret, changeId: "olchg_1", body, checkTargets: true })
      expect(refusedTarget).toMatchObject({ succeeded: false, status_code: null })
      expect(refusedTarget.error).toMatch(/^WEBHOOK_TARGET_NOT_ALLOWED: .*loopback/)
      const viaName = await postLedgerWebhook({ url: `http://localhost:${silent.port}/x`, secret, changeId: "olchg_1", body, checkTargets: true })
      expect(viaName.error).toMatch(/^WEBHOOK_TARGET_NOT_ALLOWED: .*loopback/)
      expect(silent.received).toHaveLength(1)
    } finally {
      await silent.close()
    }
    const busy = new WebhookReceiver(() => 503)
    await busy.listen()
    const answered = await postLedgerWebhook({ url: busy.url, secret, changeId: "olchg_1", body, checkTargets: false })
    expect(answered).toMatchObject({ succeeded: false, status_code: 503, error: "HTTP 503: busy" })
    await busy.close()
    const closed = await postLedgerWebhook({ url: busy.url, secret, changeId: "olchg_1", body, checkTargets: false })
    expect(closed).toMatchObject({ succeeded: false, status_code: null })
    expect(closed.error).toMatch(/^ECONNREFUSED/)
  })
})
