import {
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaService,
} from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { LedgerWebhookDelivery, LedgerWebhookEndpoint } from "./models"
import { nextAttemptAt } from "./backoff"
import { LedgerWebhookError } from "./errors"
import { DELIVERY_TIMEOUT_MS, postLedgerWebhook } from "./send"
import { WebhookTargetError, allowPrivateTargets, allowedAddresses, hostOf, urlProblem } from "./targets"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import type { LedgerWebhookDeliverySchedule, LedgerWebhooksRepository } from "./repositories"
import {
  LedgerWebhookStatus,
  type ClaimedLedgerWebhookDelivery,
  type LedgerChangeFeed,
  type LedgerWebhookAttempt,
  type LedgerWebhookFanOutResult,
  type LedgerWebhookSendResult,
  type LedgerWebhooksModuleOptions,
} from "./types"

type InjectedDependencies = { ledgerWebhooksRepository: LedgerWebhooksRepository }

/** The feed page size the fan-out and the cursor positioning read. */
export const FEED_PAGE_SIZE = 500

/** Feed pages one fan-out pass reads per endpoint; the rest waits for the next tick. */
export const FAN_OUT_PAGES = 4

/** How long a claim lasts: longer than the sends it covers (see `SEND_WINDOW_MS`). */
export const CLAIM_MS = 30_000

/** A claim's sends start only within this time of the claim, so each ends (timeout) before the claim does. */
export const SEND_WINDOW_MS = CLAIM_MS - DELIVERY_TIMEOUT_MS - 5_000

/** Endpoints one claim takes, and deliveries per endpoint. */
export const CLAIM_ENDPOINTS = 20
export const CLAIM_PER_ENDPOINT = 25

/** Endpoints sent to at once by one process (each endpoint's deliveries one after another). */
export const SEND_CONCURRENCY = 8

/** How long one send pass keeps claiming more once its claims are sent. */
export const SEND_BUDGET_MS = 5_000

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      await fn(items[next++])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * The webhooks' service. Endpoint and delivery CRUD come from `MedusaService`; the fan-out
 * (change feed → deliveries) and the sends are the methods below, safe to run in several
 * processes at once: endpoints are row-locked with `SKIP LOCKED` while their feed is read and
 * while their deliveries are claimed, and a claimed delivery is sent by its claimant only. All SQL
 * is in `repositories/`.
 */
export default class LedgerWebhooksModuleService extends MedusaService({
  LedgerWebhookEndpoint,
  LedgerWebhookDelivery,
}) {
  protected readonly repository_: LedgerWebhooksRepository
  /** Whether endpoints may target private addresses (the option, else dev/test only). */
  readonly allowPrivateTargets: boolean

  constructor(container: InjectedDependencies, options: LedgerWebhooksModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.repository_ = container.ledgerWebhooksRepository
    this.allowPrivateTargets = allowPrivateTargets(options?.webhooks?.allow_private_targets, process.env.NODE_ENV)
  }

  /**
   * Refuses a url that may not receive webhooks: not http(s), with credentials (`INVALID_DATA`),
   * or, unless private targets are allowed, a host that does not resolve
   * (`WEBHOOK_TARGET_UNRESOLVABLE`) or has any private, loopback, link-local, unique-local or
   * unspecified address, IPv4 or IPv6 (`WEBHOOK_TARGET_NOT_ALLOWED`).
   *
   * @example
   * await webhooks.checkTarget("https://books.example.com/ledger") // ok
   * await webhooks.checkTarget("http://10.0.0.5/hook") // throws WEBHOOK_TARGET_NOT_ALLOWED in production
   */
  async checkTarget(url: string): Promise<void> {
    const problem = urlProblem(url)
    if (problem) {
      ledgerError(LedgerErrorCode.INVALID_DATA, `${problem}.`)
    }
    if (this.allowPrivateTargets) {
      return
    }
    try {
      await allowedAddresses(hostOf(url))
    } catch (error) {
      if (error instanceof WebhookTargetError) {
        throw new LedgerWebhookError(error.code, error.message)
      }
      throw error
    }
  }

  /**
   * The feed cursor at its end now: where a new endpoint starts, so it receives the changes
   * made from its creation on (the feed itself serves everything before).
   */
  async feedEndCursor(feed: LedgerChangeFeed): Promise<string> {
    if (typeof feed.getChangeFeedHead === "function") {
      return await feed.getChangeFeedHead()
    }
    let page = await feed.listChanges({ after: null, limit: FEED_PAGE_SIZE })
    while (page.has_more) {
      page = await feed.listChanges({ after: page.next_cursor, limit: FEED_PAGE_SIZE })
    }
    return page.next_cursor
  }

  /**
   * One fan-out pass: for each enabled endpoint, in its own database transaction holding its
   * row (`FOR UPDATE SKIP LOCKED`: an endpoint another process is on is left to it), reads up to
   * `pages` feed pages after its cursor, queues a delivery for each change of a type it
   * subscribes to (once per change, whatever happens) and moves its cursor past them.
   *
   * @example
   * const feed = container.resolve(ORDER_LEDGER_MODULE)
   * await webhooks.fanOut(feed) // { endpoints: 2, changes_read: 14, deliveries_created: 20 }
   */
  @InjectManager()
  async fanOut(
    feed: LedgerChangeFeed,
    { pages = FAN_OUT_PAGES }: { pages?: number } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerWebhookFanOutResult> {
    const done: string[] = []
    const result: LedgerWebhookFanOutResult = { endpoints: 0, changes_read: 0, deliveries_created: 0 }
    for (;;) {
      const pass = await this.fanOutNext_(feed, done, pages, sharedContext)
      if (!pass) {
        return result
      }
      done.push(pass.endpoint_id)
      result.endpoints++
      result.changes_read += pass.changes_read
      result.deliveries_created += pass.deliveries_created
    }
  }

  @InjectTransactionManager()
  protected async fanOutNext_(
    feed: LedgerChangeFeed,
    done: string[],
    pages: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ endpoint_id: string; changes_read: number; deliveries_created: number } | null> {
    const repo = this.repository_
    const endpoint = await repo.lockNextEndpointForFanOut(done, sharedContext)
    if (!endpoint) {
      return null
    }
    const wanted = endpoint.events?.length ? new Set(endpoint.events) : null
    let cursor = endpoint.cursor
    let changesRead = 0
    let created = 0
    for (let i = 0; i < pages; i++) {
      const page = await feed.listChanges({ after: cursor, limit: FEED_PAGE_SIZE })
      changesRead += page.changes.length
      const deliveries = page.changes
        .filter((c) => !wanted || wanted.has(c.type))
        .map((c) => ({ change_id: c.id, change_type: c.type, payload: JSON.stringify(c) }))
      created += await repo.insertDeliveries(endpoint.id, deliveries, new Date(), sharedContext)
      cursor = page.next_cursor
      if (!page.has_more) {
        break
      }
    }
    if (cursor && cursor !== endpoint.cursor) {
      await repo.setCursor(endpoint.id, cursor, sharedContext)
    }
    return { endpoint_id: endpoint.id, changes_read: changesRead, deliveries_created: created }
  }

  /**
   * One send pass: claims due deliveries (per endpoint in feed order, none of an endpoint that
   * is being sent to elsewhere), sends them (endpoints side by side, each endpoint's deliveries
   * one after another) and records each attempt, and claims again while it has time left.
   * After an endpoint's failed attempt its other claimed deliveries are given back untried; once
   * a retry succeeds, the endpoint's other pending retries are due at once (its backlog drains in
   * feed order). A 2xx marks the endpoint active; a delivery given up after 3 days marks it failing.
   *
   * @example
   * await webhooks.sendDue() // { attempted: 20, succeeded: 19, failed_attempts: 1, given_up: 0 }
   */
  @InjectManager()
  async sendDue(
    { budgetMs = SEND_BUDGET_MS }: { budgetMs?: number } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerWebhookSendResult> {
    const result: LedgerWebhookSendResult = { attempted: 0, succeeded: 0, failed_attempts: 0, given_up: 0 }
    const until = Date.now() + budgetMs
    do {
      const claimedAt = Date.now()
      const groups = await this.claim_(new Date(), sharedContext)
      if (!groups.length) {
        break
      }
      await eachLimited(groups, SEND_CONCURRENCY, (group) => this.sendGroup_(group, claimedAt, result, sharedContext))
    } while (Date.now() < until)
    return result
  }

  /** Locks endpoints with due deliveries and claims theirs, in one transaction; answers them by endpoint, in feed order. */
  @InjectTransactionManager()
  protected async claim_(
    now: Date,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ClaimedLedgerWebhookDelivery[][]> {
    const repo = this.repository_
    const endpoints = await repo.lockEndpointsWithDueDeliveries(now, CLAIM_ENDPOINTS, sharedContext)
    const claimed = await repo.claimDeliveries(
      endpoints.map((e) => e.id),
      now,
      CLAIM_PER_ENDPOINT,
      CLAIM_MS,
      sharedContext
    )
    return endpoints
      .map((e) =>
        claimed
          .filter((d) => d.endpoint_id === e.id)
          .sort((a, b) => a.position - b.position)
          .map((d) => ({ ...d, url: e.url, secret: e.secret }))
      )
      .filter((group) => group.length)
  }

  /**
   * Sends one endpoint's claimed deliveries one after another, in feed order. A success is
   * recorded while the next one is sent (in order, one record at a time: the claim keeps the
   * rest of the group held meanwhile); after a failure, or once the claim's send window is over,
   * the records are awaited and the rest is given back untried.
   */
  protected async sendGroup_(
    group: ClaimedLedgerWebhookDelivery[],
    claimedAt: number,
    result: LedgerWebhookSendResult,
    sharedContext: Context
  ): Promise<void> {
    let recording: Promise<unknown> = Promise.resolve()
    const record = (delivery: ClaimedLedgerWebhookDelivery, attempt: LedgerWebhookAttempt, next: Date | null) => {
      const recorded = recording.then(() => this.recordAttempt_(delivery, attempt, next, sharedContext))
      recording = recorded
      // Awaited below; this branch only keeps a failure from counting as unhandled meanwhile.
      recorded.catch(() => undefined)
      return recorded
    }
    for (let i = 0; i < group.length; i++) {
      const delivery = group[i]
      if (Date.now() - claimedAt > SEND_WINDOW_MS) {
        await recording
        await this.repository_.releaseClaims(group.slice(i), sharedContext)
        return
      }
      const attempt = await postLedgerWebhook({
        url: delivery.url,
        secret: delivery.secret,
        changeId: delivery.change_id,
        body: delivery.payload,
        checkTargets: !this.allowPrivateTargets,
      })
      result.attempted++
      if (attempt.succeeded) {
        result.succeeded++
        void record(delivery, attempt, null)
        continue
      }
      const next = nextAttemptAt({
        firstAttemptAt: delivery.first_attempted_at ? new Date(delivery.first_attempted_at) : attempt.attempted_at,
        failedAt: attempt.attempted_at,
        attempts: delivery.attempts + 1,
      })
      result.failed_attempts++
      if ((await record(delivery, attempt, next)) && !next) {
        result.given_up++
      }
      await this.repository_.releaseClaims(group.slice(i + 1), sharedContext)
      return
    }
    await recording
  }

  @InjectTransactionManager()
  protected async recordAttempt_(
    delivery: ClaimedLedgerWebhookDelivery,
    attempt: LedgerWebhookAttempt,
    next: Date | null,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const recorded = await this.repository_.recordAttempt(delivery, attempt, next, sharedContext)
    if (recorded && attempt.succeeded && delivery.attempts > 0) {
      await this.repository_.retryPendingNow(delivery.endpoint_id, new Date(), sharedContext)
    }
    if (recorded && (attempt.succeeded || !next)) {
      await this.repository_.setEndpointStatus(
        delivery.endpoint_id,
        attempt.succeeded ? LedgerWebhookStatus.ACTIVE : LedgerWebhookStatus.FAILING,
        sharedContext
      )
    }
    return recorded
  }

  /**
   * Makes one of an endpoint's deliveries pending and due now (a manual redelivery, also of a
   * succeeded or failed one); the next send pass sends the same change id again. `NOT_FOUND`
   * when the delivery is not the endpoint's. Answers what it changed, for a compensation.
   *
   * @example
   * await webhooks.scheduleDeliveryNow("olwh_1", "olwhd_1")
   */
  @InjectManager()
  async scheduleDeliveryNow(
    endpointId: string,
    deliveryId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerWebhookDeliverySchedule> {
    const before = await this.repository_.scheduleNow(endpointId, deliveryId, new Date(), sharedContext)
    if (!before) {
      ledgerError(
        LedgerErrorCode.NOT_FOUND,
        `Delivery with id: ${deliveryId} was not found for webhook ${endpointId}.`
      )
    }
    return before
  }

  /** Puts a delivery's schedule back as {@link scheduleDeliveryNow} found it. */
  @InjectManager()
  async restoreDeliverySchedule(
    schedule: LedgerWebhookDeliverySchedule,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await this.repository_.restoreSchedule(schedule, sharedContext)
  }
}
