import type {
  BalanceStatus,
  CardBrand,
  PaymentMethod,
  TransactionKind,
  TransactionStatus,
} from "../../utils/constants"
import type { LedgerChange } from "../../modules/order-ledger/types"

export type { BalanceStatus, CardBrand, PaymentMethod, TransactionKind, TransactionStatus }

/** A ledger transaction as the admin API answers it. */
export interface LedgerTransaction {
  id: string
  order_id: string
  kind: TransactionKind
  status: TransactionStatus
  amount: number
  currency_code: string
  reference: string | null
  reference_id: string | null
  parent_id: string | null
  payment_method: PaymentMethod | null
  gateway: string | null
  external_id: string | null
  fee: number | null
  card_brand: CardBrand | null
  card_last4: string | null
  message: string | null
  reason: string | null
  note: string | null
  occurred_at: string
  /**
   * The Medusa payment (`pay_…`) that carries this row in Medusa's payment module: for an outside
   * payment, the system-provider payment that keeps Medusa's Paid Total in step. Null otherwise.
   */
  medusa_payment_id?: string | null
  created_at: string
  updated_at: string
  formatted_amount: string
  formatted_fee: string | null
  /** Payments only: succeeded and pending refunds and chargebacks so far. */
  refunded_amount?: number
  formatted_refunded_amount?: string
  pending_refund_amount?: number
  formatted_pending_refund_amount?: string
  /** Payments only: what can still be refunded. */
  refundable_amount?: number
  formatted_refundable_amount?: string
  /** When requested with `fields=+order.display_id`. */
  order?: { id: string; display_id?: number | null; email?: string | null } | null
}

/** An order's balance as the admin API answers it. */
export interface LedgerBalance {
  id: string | null
  order_id: string
  currency_code: string
  order_total: number
  paid_total: number
  refunded_total: number
  chargeback_total: number
  /** Refunds and chargebacks turned back (reversals): money back to the merchant. */
  reversed_total?: number
  authorized_total: number
  pending_total: number
  net_paid: number
  outstanding_amount: number
  status: BalanceStatus
  updated_at?: string
  formatted_order_total: string
  formatted_paid_total: string
  formatted_refunded_total: string
  formatted_chargeback_total: string
  formatted_reversed_total?: string
  formatted_authorized_total: string
  formatted_pending_total: string
  formatted_net_paid: string
  formatted_outstanding_amount: string
  order?: { id: string; display_id?: number | null; email?: string | null } | null
}

export interface PaginatedResponse {
  count: number
  offset: number
  limit: number
}

export interface TransactionsResponse extends PaginatedResponse {
  transactions: LedgerTransaction[]
}

export interface BalancesResponse extends PaginatedResponse {
  balances: LedgerBalance[]
}

export interface BalanceResponse {
  balance: LedgerBalance
}

export interface TransactionResponse {
  transaction: LedgerTransaction
}

export interface RecordTransactionsResponse {
  transactions: LedgerTransaction[]
  balance: LedgerBalance
}

export interface TransactionWithBalanceResponse {
  transaction: LedgerTransaction
  balance: LedgerBalance
}

/** One transaction of `POST /admin/orders/:id/transactions`. Amounts are decimal strings. */
export interface RecordTransactionInput {
  kind: TransactionKind
  amount: string
  status?: TransactionStatus
  parent_id?: string
  payment_method?: PaymentMethod
  gateway?: string
  external_id?: string
  fee?: string
  card_brand?: CardBrand
  card_last4?: string
  occurred_at?: string
  note?: string
  reason?: string
}

/** Body of `POST /admin/order-transactions/:id/refunds`. */
export interface RefundInput {
  amount?: string
  previously_refunded_amount?: number
  reason?: string
  note?: string
}

/** Body of `POST /admin/order-transactions/:id/capture`: no amount captures all that is left. */
export interface CaptureInput {
  amount?: string
}

/** Body of `POST /admin/order-transactions/:id/reversals`: no amount reverses all that is left. */
export interface ReversalInput {
  amount?: string
  reason?: string
  note?: string
}

/** Filters of `GET /admin/order-transactions` (and its CSV export). */
export interface TransactionFilters {
  kind?: TransactionKind
  status?: TransactionStatus
  payment_method?: PaymentMethod
  q?: string
  occurred_at?: { $gte?: string; $lte?: string }
}

/** One change of a transaction, as `GET /admin/order-transactions/:id/history` answers it. */
export type { LedgerActor, LedgerChange } from "../../modules/order-ledger/types"
export interface HistoryResponse {
  history: LedgerChange[]
}
