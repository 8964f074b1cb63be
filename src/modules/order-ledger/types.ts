import type { BigNumberInput } from "@medusajs/framework/types"
import type { LedgerActor } from "../../utils/actor"
import type {
  BalanceStatus,
  CardBrand,
  PaymentMethod,
  TransactionKind,
  TransactionStatus,
} from "../../utils/constants"

/** Options of the ledger module (`options` of its entry in `medusa-config.ts`). */
export interface OrderLedgerModuleOptions {
  /**
   * How long a write waits for another write on the same order before answering 409
   * `CONCURRENT_REQUEST`, in milliseconds. Default 10000.
   */
  lockTimeoutMs?: number
}

/** The order a write belongs to, as Medusa knows it. */
export interface LedgerOrderInput {
  id: string
  currency_code: string
  /** Medusa's current order total. */
  total: BigNumberInput
}

/** One transaction to record; `amount` is positive, its sign follows from `kind`. */
export interface LedgerTransactionInput {
  kind: TransactionKind
  status?: TransactionStatus
  /** Positive. Only a refund or chargeback with a `refund_guard` may leave it out: it then takes all that is left. */
  amount?: BigNumberInput | null
  currency_code?: string
  reference?: string
  reference_id?: string | null
  parent_id?: string | null
  payment_method?: PaymentMethod
  gateway?: string
  external_id?: string | null
  fee?: BigNumberInput | null
  card_brand?: CardBrand | null
  card_last4?: string | null
  message?: string | null
  reason?: string | null
  note?: string | null
  occurred_at?: Date | string | null
  metadata?: Record<string, unknown> | null
}

/** Input of `recordTransactions`. */
export interface RecordLedgerTransactionsInput {
  order: LedgerOrderInput
  transactions: LedgerTransactionInput[]
  /** The request's `Idempotency-Key` and a hash of what it asked. */
  idempotency?: { key: string; request_hash: string }
  /** For a guarded refund: what the caller believes was refunded so far on `parent_id`. */
  refund_guard?: { parent_id: string; previously_refunded_amount?: BigNumberInput | null }
  /** A reversal call: its one item may leave the amount out (all that is left to reverse). */
  reversal?: boolean
  /**
   * Amounts mirrored from Medusa (its authorizations, captures, refunds): stored exactly at the
   * precision Medusa has them (24.9781), not held to the currency's decimals as typed amounts are.
   */
  exact_amounts?: boolean
}

/** What `recordTransactions` did. */
export interface RecordLedgerTransactionsResult {
  order_id: string
  transaction_ids: string[]
  /**
   * What the call recorded, for the steps after it (Medusa's books, events): absent on a
   * replay, whose rows were recorded by the first call.
   */
  transactions?: RecordedLedgerTransaction[]
  /** True when an earlier request with the same key already recorded these. */
  replayed: boolean
  /** Pending payments that voids in this call moved to `failed`. */
  voided_payment_ids: string[]
  /** Their statuses before, so a compensation puts them back exactly. */
  voided_previous_statuses?: Record<string, TransactionStatus>
  idempotency_key_id?: string
}

/** A row a record call wrote, as the steps after it need it. */
export type RecordedLedgerTransaction = Pick<
  LedgerTransactionRow,
  "id" | "order_id" | "kind" | "status" | "amount" | "currency_code" | "reference" | "parent_id"
>

/** Input of `updateTransactionStatus`. */
export interface UpdateLedgerTransactionInput {
  id: string
  status?: TransactionStatus
  message?: string | null
  external_id?: string | null
  /**
   * Set once, while the row has none: attaches the Medusa record a reserved row stands for (the
   * `ref_…` of a refund the ledger reserved before Medusa's refund flow ran).
   */
  reference_id?: string
  /** Set once, while the row has none: the Medusa payment made for an outside payment. */
  medusa_payment_id?: string
  metadata?: Record<string, unknown> | null
}

/** The fields an update can change, as they were before it (for compensation). */
export interface LedgerTransactionSnapshot {
  id: string
  order_id: string
  status: TransactionStatus
  message: string | null
  external_id: string | null
  reference_id?: string | null
  medusa_payment_id?: string | null
  metadata: Record<string, unknown> | null
}

/** Figures of one order's balance, exact decimal strings. */
export interface LedgerBalanceFigures {
  order_id: string
  currency_code: string
  order_total: string
  paid_total: string
  refunded_total: string
  chargeback_total: string
  reversed_total: string
  authorized_total: string
  pending_total: string
  net_paid: string
  outstanding_amount: string
  status: BalanceStatus
}

/** A stored transaction as the plain reads answer it: money as exact decimal strings. */
export interface LedgerTransactionRow {
  id: string
  order_id: string
  kind: TransactionKind
  status: TransactionStatus
  amount: string
  currency_code: string
  reference: string
  reference_id: string | null
  parent_id: string | null
  payment_method: PaymentMethod
  gateway: string
  external_id: string | null
  fee: string | null
  card_brand: CardBrand | null
  card_last4: string | null
  message: string | null
  reason: string | null
  note: string | null
  occurred_at: Date
  /** The Medusa payment (`pay_…`) that carries an outside payment's money in Medusa's payment module. */
  medusa_payment_id: string | null
  metadata: Record<string, unknown> | null
  created_at: Date
  updated_at: Date
}

/** The fields of a stored transaction that the rules and the duplicate checks look at. */
export type LedgerFamilyRow = Pick<
  LedgerTransactionRow,
  "id" | "order_id" | "kind" | "status" | "amount" | "parent_id" | "currency_code" | "reference" | "reference_id" | "gateway" | "external_id"
>

/** A row the planner prepared for insert: signed amount and fee as exact decimal strings. */
export type NewLedgerTransactionRow = Omit<LedgerTransactionRow, "occurred_at" | "created_at" | "updated_at"> & {
  /** ISO 8601. */
  occurred_at: string
}

/** A stored balance as the plain reads answer it: money as exact decimal strings. */
export interface LedgerBalanceRow extends LedgerBalanceFigures {
  id: string
  created_at: Date
  updated_at: Date
}

/** A payment's refund figures, exact decimal strings. */
export interface LedgerRefundSummary {
  transaction_id: string
  refunded_amount: string
  pending_refund_amount: string
  refundable_amount: string
}

/** The kinds of change in the change log, the feed, the events and the webhooks. */
export type LedgerChangeType = "order_transaction.created" | "order_transaction.updated" | "order_balance.updated"

/**
 * One entry of the ledger's append-only change log, as the history route, the change feed
 * (`GET /admin/ledger-changes`), the Medusa events and the webhooks carry it.
 */
export interface LedgerChange {
  /** `olchg_…`: the same id on every repeat of this change (feed, event, webhook). */
  id: string
  type: LedgerChangeType
  /** When the change was written, in the same database transaction as the change (ISO 8601). */
  created_at: string
  /** The transaction (`oltx_…`) or the balance (`olbal_…`) that changed. */
  resource_id: string
  order_id: string
  /** The resource's version after this change: 1 for a created transaction, +1 per change. */
  version: number
  actor: LedgerActor
  idempotency_key: string | null
  data: {
    /** The record as this change left it. */
    object: Record<string, unknown>
    /** The changed fields' values before the change (null for a created record). */
    previous: Record<string, unknown> | null
  }
}

/** One page of the change feed. `next_cursor` is where the next read starts; it is never null. */
export interface LedgerChangePage {
  changes: LedgerChange[]
  next_cursor: string
  has_more: boolean
}

export type { LedgerActor }
