import {
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaService,
} from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { LedgerBalance, LedgerIdempotencyKey, LedgerReconcileRun, LedgerTransaction } from "./models"
import { TransactionStatus } from "../../utils/constants"
import { LedgerError, LedgerErrorCode, ledgerError } from "../../utils/errors"
import { refundFigures } from "../../utils/ledger-rules"
import { toDecimalString } from "../../utils/money"
import {
  type LedgerFamilies,
  parentIdsOf,
  planRecord,
  planUpdate,
  replayOf,
  throwIfStoredDuplicate,
  uniqueKeysOf,
  voidedPaymentIdsOf,
} from "./planning"
import type { LedgerChangeRepository, LedgerFilters, LedgerRepository } from "./repositories"
import { formatChangeCursor, parseChangeCursor } from "./repositories/changes"
import { currentLedgerActor } from "../../utils/actor"
import type {
  LedgerBalanceFigures,
  LedgerBalanceRow,
  LedgerChange,
  LedgerChangePage,
  LedgerOrderInput,
  LedgerRefundSummary,
  LedgerTransactionRow,
  LedgerTransactionSnapshot,
  OrderLedgerModuleOptions,
  RecordLedgerTransactionsInput,
  RecordLedgerTransactionsResult,
  UpdateLedgerTransactionInput,
} from "./types"

type InjectedDependencies = { ledgerRepository: LedgerRepository; ledgerChangeRepository: LedgerChangeRepository }

const DEFAULT_LOCK_TIMEOUT_MS = 10_000

/** The ledger's unique indexes, by the name PostgreSQL reports in a unique violation's `constraint`. */
const UNIQUE_VIOLATIONS: Record<string, [LedgerErrorCode, string]> = {
  IDX_ledger_idempotency_key_key_unique: [
    LedgerErrorCode.IDEMPOTENCY_KEY_MISMATCH,
    "The Idempotency-Key was used by another request at the same time.",
  ],
  IDX_ledger_transaction_reference_unique: [
    LedgerErrorCode.DUPLICATE_TRANSACTION,
    "A transaction with the same reference and reference_id is already recorded.",
  ],
  IDX_ledger_transaction_gateway_external_id_unique: [
    LedgerErrorCode.DUPLICATE_TRANSACTION,
    "A transaction with the same gateway and external_id is already recorded.",
  ],
}

/** SQLSTATEs of a lock that could not be had in time: lock_not_available, deadlock_detected. */
const LOCK_CONFLICTS = new Set(["55P03", "40P01"])

/** The PostgreSQL fields of a database error, through MikroORM's wrapping. */
function pgError(error: unknown): { state?: string; constraint?: string } {
  const e = (error ?? {}) as { code?: string; sqlState?: string; constraint?: string; cause?: { code?: string; constraint?: string } }
  return { state: e.sqlState ?? e.code ?? e.cause?.code, constraint: e.constraint ?? e.cause?.constraint }
}

/**
 * The ledger's service. CRUD and Query come from `MedusaService`; every write goes through the
 * methods below, each one database transaction that first row-locks the order's balance, so a
 * check and the write it guards never interleave, in one process or many. The rules and the row
 * preparation are in `planning.ts`; every SQL statement is in `repositories/`.
 */
export default class OrderLedgerModuleService extends MedusaService({
  LedgerTransaction,
  LedgerBalance,
  LedgerIdempotencyKey,
  LedgerReconcileRun,
}) {
  protected readonly repository_: LedgerRepository
  protected readonly changes_: LedgerChangeRepository
  protected readonly lockTimeoutMs_: number

  constructor(container: InjectedDependencies, options: OrderLedgerModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.repository_ = container.ledgerRepository
    this.changes_ = container.ledgerChangeRepository
    this.lockTimeoutMs_ = options?.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  }

  /**
   * Records 1 to 50 transactions on one order, all or none, and refreshes its balance in the
   * same database transaction. Replays an earlier call with the same idempotency key.
   */
  @InjectManager()
  async recordTransactions(
    input: RecordLedgerTransactionsInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<RecordLedgerTransactionsResult> {
    return await this.withLedgerErrors_(() => this.recordTransactions_(input, sharedContext))
  }

  @InjectTransactionManager()
  protected async recordTransactions_(
    input: RecordLedgerTransactionsInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<RecordLedgerTransactionsResult> {
    const repo = this.repository_
    const { order, idempotency } = input
    await this.lockOrders_([order], sharedContext, idempotency?.key)

    const replay = idempotency && replayOf(idempotency, await repo.findIdempotencyKey(idempotency.key, sharedContext))
    if (replay) {
      return replay
    }

    const [result] = await this.insertPlanned_([input], sharedContext)
    if (idempotency) {
      result.idempotency_key_id = await repo.insertIdempotencyKey(
        { ...idempotency, order_id: order.id, transaction_ids: result.transaction_ids },
        sharedContext
      )
    }
    return result
  }

  /**
   * Records the calls of many orders (each order once, 1 to 50 transactions each) in one
   * database transaction, all or none, with the same rules and row locks as
   * {@link recordTransactions}: a few statements for the whole set instead of a few per order.
   * For bulk mirrors such as the reconcile; idempotency keys are not taken here.
   * @example
   * const results = await ledger.recordTransactionsForOrders([
   *   { order: { id: "order_1", currency_code: "usd", total: 100 }, transactions: [{ kind: "authorization", amount: 100 }] },
   *   { order: { id: "order_2", currency_code: "eur", total: 24.9781 }, transactions: [{ kind: "authorization", amount: "24.9781" }], exact_amounts: true },
   * ])
   */
  @InjectManager()
  async recordTransactionsForOrders(
    inputs: RecordLedgerTransactionsInput[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<RecordLedgerTransactionsResult[]> {
    if (!inputs.length) {
      return []
    }
    const orderIds = inputs.map((i) => i.order.id)
    if (new Set(orderIds).size !== orderIds.length) {
      ledgerError(LedgerErrorCode.INVALID_DATA, "Each order may appear once in recordTransactionsForOrders.")
    }
    if (inputs.some((i) => i.idempotency)) {
      ledgerError(LedgerErrorCode.INVALID_DATA, "recordTransactionsForOrders does not take idempotency keys.")
    }
    return await this.withLedgerErrors_(() => this.recordTransactionsForOrders_(inputs, sharedContext))
  }

  @InjectTransactionManager()
  protected async recordTransactionsForOrders_(
    inputs: RecordLedgerTransactionsInput[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<RecordLedgerTransactionsResult[]> {
    await this.lockOrders_(inputs.map((i) => i.order), sharedContext)
    return await this.insertPlanned_(inputs, sharedContext)
  }

  /**
   * Plans and writes record calls whose orders are row-locked: reads their parents' families
   * in one query, runs the rules per call on its own order's rows, then inserts, voids and
   * refreshes the figures once for all of them.
   */
  protected async insertPlanned_(
    inputs: RecordLedgerTransactionsInput[],
    sharedContext: Context
  ): Promise<RecordLedgerTransactionsResult[]> {
    const repo = this.repository_
    const families = await repo.findFamilies([...new Set(inputs.flatMap(parentIdsOf))], sharedContext)
    const byOrder = new Map<string, LedgerFamilies>(inputs.map((i) => [i.order.id, { parents: [], children: [] }]))
    families.parents.forEach((r) => byOrder.get(r.order_id)?.parents.push(r))
    families.children.forEach((r) => byOrder.get(r.order_id)?.children.push(r))
    const planned = inputs.map((input) => planRecord(input, byOrder.get(input.order.id)!))
    const rows = planned.flat()
    throwIfStoredDuplicate(rows, await repo.findDuplicate(uniqueKeysOf(rows), sharedContext))
    await repo.insertTransactions(rows, sharedContext)
    const voided = new Map(
      (await repo.failPendingPayments(voidedPaymentIdsOf(rows), sharedContext)).map((v) => [v.id, v.previous_status])
    )
    await repo.refreshFigures([...new Set(inputs.map((i) => i.order.id))], sharedContext)

    return inputs.map((input, index): RecordLedgerTransactionsResult => {
      const own = planned[index]
      const voidedIds = voidedPaymentIdsOf(own).filter((id) => voided.has(id))
      return {
        order_id: input.order.id,
        transaction_ids: own.map((r) => r.id),
        transactions: own.map(({ id, order_id, kind, status, amount, currency_code, reference, parent_id }) =>
          ({ id, order_id, kind, status, amount, currency_code, reference, parent_id })),
        replayed: false,
        voided_payment_ids: voidedIds,
        voided_previous_statuses: Object.fromEntries(voidedIds.map((id) => [id, voided.get(id)!])),
        idempotency_key_id: undefined,
      }
    })
  }

  /**
   * Moves a transaction's status forward and sets its message, external id or metadata,
   * refreshing the order's balance in the same database transaction. Returns the fields as they
   * were, for compensation.
   */
  @InjectManager()
  async updateTransactionStatus(
    input: UpdateLedgerTransactionInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerTransactionSnapshot> {
    return await this.withLedgerErrors_(() => this.updateTransactionStatus_(input, sharedContext))
  }

  @InjectTransactionManager()
  protected async updateTransactionStatus_(
    input: UpdateLedgerTransactionInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerTransactionSnapshot> {
    const repo = this.repository_
    await this.beginWrite_(sharedContext)
    const orderId = await repo.lockBalanceOfTransaction(input.id, sharedContext)
    const row = orderId ? await repo.findSnapshot(input.id, sharedContext) : null
    if (!row) {
      return ledgerError(LedgerErrorCode.NOT_FOUND, `Order transaction with id: ${input.id} was not found.`)
    }
    const families = input.status === TransactionStatus.SUCCEEDED && row.parent_id
      ? await repo.findFamilies([row.parent_id], sharedContext)
      : { parents: [], children: [] }
    const { before, after } = planUpdate(row, input, families)
    await repo.writeSnapshot(after, sharedContext)
    await repo.refreshFigures([row.order_id], sharedContext)
    return before
  }

  /**
   * Puts transactions back as a snapshot describes them. Only for compensation: it bypasses the
   * forward-only status rule on purpose, to undo a move that a failed workflow made.
   */
  @InjectTransactionManager()
  async restoreTransactionSnapshots(
    snapshots: LedgerTransactionSnapshot[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await this.beginWrite_(sharedContext)
    for (const snapshot of snapshots) {
      await this.repository_.writeSnapshot(snapshot, sharedContext)
    }
    await this.repository_.refreshFigures([...new Set(snapshots.map((s) => s.order_id))], sharedContext)
  }

  /**
   * Links rows to the Medusa payments that carry their money in Medusa's payment module (null
   * unlinks them, for compensation).
   */
  @InjectTransactionManager()
  async linkMedusaPayments(
    links: { id: string; medusa_payment_id: string | null }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await this.beginWrite_(sharedContext)
    await this.repository_.setMedusaPaymentIds(links, sharedContext)
  }

  /**
   * Removes what a `recordTransactions` call wrote. Only for compensation of a workflow that
   * failed after recording: the ledger is otherwise append-only.
   */
  @InjectTransactionManager()
  async revertRecordedTransactions(
    result: RecordLedgerTransactionsResult,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    if (result.replayed) {
      return
    }
    await this.beginWrite_(sharedContext)
    const repo = this.repository_
    const statuses = Object.fromEntries(
      result.voided_payment_ids.map((id) => [id, result.voided_previous_statuses?.[id] ?? TransactionStatus.PENDING])
    )
    await repo.setStatuses(statuses, sharedContext)
    await repo.deleteTransactions(result.transaction_ids, sharedContext)
    if (result.idempotency_key_id) {
      await repo.deleteIdempotencyKey(result.idempotency_key_id, sharedContext)
    }
    await repo.refreshFigures([result.order_id], sharedContext)
  }

  /**
   * Creates or refreshes the balances of the given orders from their current Medusa totals and
   * their ledger rows. Used when Medusa changes an order's total, by the reconcile and by the
   * demo seed.
   */
  @InjectManager()
  async refreshBalances(
    orders: LedgerOrderInput[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    if (orders.length) {
      await this.withLedgerErrors_(() => this.refreshBalances_(orders, sharedContext))
    }
  }

  @InjectTransactionManager()
  protected async refreshBalances_(
    orders: LedgerOrderInput[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await this.lockOrders_(orders, sharedContext)
    await this.repository_.refreshFigures(orders.map((o) => o.id), sharedContext)
  }

  /**
   * Balances computed from scratch from the ledger rows (and the stored order totals), without
   * writing. Tests compare them to the stored balances; pass no ids for every order.
   */
  @InjectManager()
  async computeBalancesFromLedger(
    orderIds?: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerBalanceFigures[]> {
    return await this.repository_.computeFigures(orderIds, sharedContext)
  }

  /**
   * One page of the change feed: up to `limit` changes after the cursor `after` (none: from the
   * first), in the one total order every reader sees. Only changes of transactions that have all
   * ended are handed out, so following `next_cursor` never skips a change that commits late.
   * @example
   * const page = await ledger.listChanges({ after: null, limit: 100 })
   * const next = await ledger.listChanges({ after: page.next_cursor, limit: 100 })
   */
  @InjectManager()
  async listChanges(
    page: { after?: string | null; limit: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerChangePage> {
    const after = parseChangeCursor(page.after)
    const { changes, last, has_more } = await this.changes_.listChanges(after, page.limit, sharedContext)
    return { changes, next_cursor: formatChangeCursor(last ?? after), has_more }
  }

  /** The feed's end now: a cursor after every final change (where a new reader starts to follow). */
  @InjectManager()
  async getChangeFeedHead(@MedusaContext() sharedContext: Context = {}): Promise<string> {
    return formatChangeCursor(await this.changes_.head(sharedContext))
  }

  /** A transaction's or a balance's changes, oldest first: who did what, and when. */
  @InjectManager()
  async listHistory(resourceId: string, @MedusaContext() sharedContext: Context = {}): Promise<LedgerChange[]> {
    return await this.changes_.listHistory(resourceId, sharedContext)
  }

  /**
   * Hands the next changes after a named consumer's position to `handle` and, once it returns,
   * moves the position past them, in one database transaction that holds the consumer's row:
   * one process at a time per consumer (another answers -1 at once). At least once: if `handle`
   * throws or the process dies, the same changes come again. Answers how many were handed.
   * @example
   * await ledger.consumeChanges("medusa-events", 500, async (changes) => eventBus.emit(toEvents(changes)))
   */
  @InjectTransactionManager()
  async consumeChanges(
    consumer: string,
    limit: number,
    handle: (changes: LedgerChange[]) => Promise<void>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    // Read before the row lock gives this transaction an id of its own.
    const horizon = await this.changes_.horizon(sharedContext)
    const after = await this.changes_.lockConsumer(consumer, sharedContext)
    if (!after) {
      return -1
    }
    const { changes, last } = await this.changes_.listChanges(after, limit, sharedContext, horizon)
    if (changes.length) {
      await handle(changes)
      await this.changes_.advanceConsumer(consumer, last!, sharedContext)
    }
    return changes.length
  }

  /** Transactions and all their children, in one query: what the rules look at. */
  @InjectManager()
  async listFamilies(parentIds: string[], @MedusaContext() sharedContext: Context = {}): Promise<LedgerFamilies> {
    return await this.repository_.findFamilies(parentIds, sharedContext)
  }

  /** Refund figures of payments, from one query over them and their children. */
  @InjectManager()
  async getRefundSummaries(
    paymentIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerRefundSummary[]> {
    const { parents, children } = await this.repository_.findFamilies(paymentIds, sharedContext)
    return parents.map((payment) => {
      const figures = refundFigures(payment, children)
      return {
        transaction_id: payment.id,
        refunded_amount: toDecimalString(figures.refunded_amount),
        pending_refund_amount: toDecimalString(figures.pending_refund_amount),
        refundable_amount: toDecimalString(figures.refundable_amount),
      }
    })
  }

  /**
   * One keyset page of transactions in id order (`limit` rows after the id `after`), for
   * streaming reads such as the CSV export. Plain rows, no entity hydration; money as exact
   * decimal strings. Filters: a value, a list, or an operator map (`$gte`, `$ilike`, …) per field.
   * @example
   * const page = await ledger.listTransactionPage({ order_id: ["order_1"], kind: "refund" }, { after: null, limit: 1000 })
   */
  @InjectManager()
  async listTransactionPage(
    filters: LedgerFilters,
    page: { after?: string | null; limit: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<LedgerTransactionRow[]> {
    return await this.repository_.listTransactionPage(filters, page, sharedContext)
  }

  /**
   * One offset page of transactions and the count of all that match, in one plain SQL read:
   * what the list routes answer for plain fields. Filters as {@link listTransactionPage}.
   * @example
   * const { rows, count } = await ledger.listTransactionsAndCount({ order_id: "order_1" }, { skip: 0, take: 50, order: { occurred_at: "DESC" } })
   */
  @InjectManager()
  async listTransactionsAndCount(
    filters: LedgerFilters,
    page: { skip: number; take: number; order?: Record<string, string> },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: LedgerTransactionRow[]; count: number }> {
    return await this.repository_.listTransactionsAndCount(filters, page, sharedContext)
  }

  /**
   * One page of stored balances and the count of all that match, in two plain SQL reads over
   * the balance table's indexes: what `GET /admin/order-balances` answers for plain fields.
   * @example
   * const { rows, count } = await ledger.listBalancePage(
   *   { status: "customer_owes" },
   *   { fields: ["order_id", "outstanding_amount"], skip: 0, take: 100, order: { outstanding_amount: "DESC" } }
   * )
   */
  @InjectManager()
  async listBalancePage(
    filters: LedgerFilters,
    page: { fields: readonly string[]; skip: number; take: number; order?: Record<string, string> },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: Partial<LedgerBalanceRow>[]; count: number }> {
    return await this.repository_.listBalancePage(filters, page, sharedContext)
  }

  /**
   * One keyset page of transactions: `limit` rows after `after` in `sort` order, then id, both
   * `direction`, and where the next page starts (`next`, null on the last page). Sort values are
   * compared exactly (timestamps to the microsecond), so paging neither skips nor repeats rows
   * while others are inserted. What `GET /admin/order-transactions?cursor=…` reads (for linked
   * fields, the ids of a page, whose rows Query then reads). Filters as
   * {@link listTransactionPage}; `fields` default to every stored field, and `id` is always read.
   * @example
   * const { rows, next } = await ledger.listTransactionKeysetPage(
   *   { order_id: ["order_1"] },
   *   { sort: "updated_at", direction: "asc", after: null, limit: 100 }
   * )
   * // next: { value: "2026-12-02T05:52:48.123456Z", id: "oltx_…" } | null
   */
  @InjectManager()
  async listTransactionKeysetPage(
    filters: LedgerFilters,
    read: Parameters<LedgerRepository["listTransactionKeysetPage"]>[1],
    @MedusaContext() sharedContext: Context = {}
  ): ReturnType<LedgerRepository["listTransactionKeysetPage"]> {
    return await this.repository_.listTransactionKeysetPage(filters, read, sharedContext)
  }

  /**
   * One keyset page of stored balances, as {@link listTransactionKeysetPage}: what
   * `GET /admin/order-balances?cursor=…` reads (for linked fields, the ids of a page).
   * @example
   * const { rows, next } = await ledger.listBalanceKeysetPage(
   *   { status: "customer_owes" },
   *   { fields: ["order_id", "outstanding_amount"], sort: "updated_at", direction: "desc", after: null, limit: 100 }
   * )
   */
  @InjectManager()
  async listBalanceKeysetPage(
    filters: LedgerFilters,
    read: Parameters<LedgerRepository["listBalanceKeysetPage"]>[1],
    @MedusaContext() sharedContext: Context = {}
  ): ReturnType<LedgerRepository["listBalanceKeysetPage"]> {
    return await this.repository_.listBalanceKeysetPage(filters, read, sharedContext)
  }

  /** Creates the orders' balance rows if missing, sets their Medusa totals, and row-locks them. */
  protected async lockOrders_(orders: LedgerOrderInput[], sharedContext: Context, idempotencyKey?: string): Promise<void> {
    await this.beginWrite_(sharedContext, idempotencyKey)
    await this.repository_.upsertBalances(orders, sharedContext)
  }

  /**
   * Opens a write: who acts (from {@link withLedgerActor}, the system otherwise) and the
   * idempotency key go to the database for the change log's triggers, with the lock timeout.
   */
  protected async beginWrite_(sharedContext: Context, idempotencyKey?: string): Promise<void> {
    const acting = currentLedgerActor()
    await this.changes_.beginWrite(
      { actor: acting.actor, idempotency_key: idempotencyKey ?? acting.idempotency_key, lock_timeout_ms: this.lockTimeoutMs_ },
      sharedContext
    )
  }

  /**
   * Maps a lock that could not be had in time and the ledger's unique violations to the
   * ledger's codes, after the database transaction has rolled back.
   */
  protected async withLedgerErrors_<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (error instanceof LedgerError) {
        throw error
      }
      const { state, constraint } = pgError(error)
      if (state && LOCK_CONFLICTS.has(state)) {
        ledgerError(LedgerErrorCode.CONCURRENT_REQUEST, "Another request is writing to this order's ledger; retry later.")
      }
      const violation = state === "23505" && constraint ? UNIQUE_VIOLATIONS[constraint] : undefined
      if (violation) {
        ledgerError(violation[0], violation[1])
      }
      throw error
    }
  }
}
