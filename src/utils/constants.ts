/**
 * The closed sets of the ledger. They are plain objects (not TS enums) so they can be
 * used both as DML enum values and as zod enums.
 */

/** What a ledger transaction does with the money. */
export const TransactionKind = {
  /** Money in from the customer. */
  PAYMENT: "payment",
  /** Money back to the customer. Stored negative. */
  REFUND: "refund",
  /** Money taken back by the card network. Stored negative. */
  CHARGEBACK: "chargeback",
  /** Money held on the customer's instrument, not taken. */
  AUTHORIZATION: "authorization",
  /** An authorization or a pending payment cancelled. Stored negative. */
  VOID: "void",
  /**
   * A succeeded refund or chargeback turned back: a chargeback the merchant won, a refund that
   * bounced. Forward-only (the reversed row is never edited), its parent is the reversed row.
   */
  REVERSAL: "reversal",
} as const
export type TransactionKind = (typeof TransactionKind)[keyof typeof TransactionKind]
export const TRANSACTION_KINDS = Object.values(TransactionKind) as [TransactionKind, ...TransactionKind[]]

/** Where a transaction stands. Only `succeeded` counts in a balance. */
export const TransactionStatus = {
  PENDING: "pending",
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  REQUIRES_ACTION: "requires_action",
} as const
export type TransactionStatus = (typeof TransactionStatus)[keyof typeof TransactionStatus]
export const TRANSACTION_STATUSES = Object.values(TransactionStatus) as [
  TransactionStatus,
  ...TransactionStatus[],
]

/** How the customer paid. */
export const PaymentMethod = {
  CARD: "card",
  GIFT_CARD: "gift_card",
  STORE_CREDIT: "store_credit",
  CASH: "cash",
  BANK_TRANSFER: "bank_transfer",
  WALLET: "wallet",
  OTHER: "other",
} as const
export type PaymentMethod = (typeof PaymentMethod)[keyof typeof PaymentMethod]
export const PAYMENT_METHODS = Object.values(PaymentMethod) as [PaymentMethod, ...PaymentMethod[]]

/** The card network, when a card was used. */
export const CardBrand = {
  VISA: "visa",
  MASTERCARD: "mastercard",
  AMEX: "amex",
  DISCOVER: "discover",
  DINERS: "diners",
  JCB: "jcb",
  UNIONPAY: "unionpay",
  OTHER: "other",
} as const
export type CardBrand = (typeof CardBrand)[keyof typeof CardBrand]
export const CARD_BRANDS = Object.values(CardBrand) as [CardBrand, ...CardBrand[]]

/** Who owes whom on an order. */
export const BalanceStatus = {
  SETTLED: "settled",
  CUSTOMER_OWES: "customer_owes",
  MERCHANT_OWES: "merchant_owes",
} as const
export type BalanceStatus = (typeof BalanceStatus)[keyof typeof BalanceStatus]
export const BALANCE_STATUSES = Object.values(BalanceStatus) as [BalanceStatus, ...BalanceStatus[]]

/** Where the real payment record lives. */
export const TransactionReference = {
  /** A Medusa payment capture (`capt_…`). */
  CAPTURE: "capture",
  /** A Medusa payment refund (`ref_…`). */
  REFUND: "refund",
  /** A Medusa payment authorization (`pay_…`). */
  PAYMENT: "payment",
  /** Recorded by hand or by an import. */
  MANUAL: "manual",
  /** The cancellation of a Medusa payment (`pay_…`): the void of its authorization. */
  PAYMENT_CANCELED: "payment_canceled",
} as const

/** Where a background reconcile stands. */
export const ReconcileRunStatus = {
  RUNNING: "running",
  DONE: "done",
  FAILED: "failed",
} as const
export type ReconcileRunStatus = (typeof ReconcileRunStatus)[keyof typeof ReconcileRunStatus]

/** The most transactions one record call accepts. */
export const MAX_TRANSACTIONS_PER_BATCH = 50

/** Events the ledger emits from its change log, one per change (see `ledgerChangeEvent` for their data). */
export const LedgerEvents = {
  TRANSACTION_CREATED: "order_transaction.created",
  TRANSACTION_UPDATED: "order_transaction.updated",
  BALANCE_UPDATED: "order_balance.updated",
} as const

/** Kinds stored as negative amounts. */
export const NEGATIVE_KINDS: readonly TransactionKind[] = [
  TransactionKind.REFUND,
  TransactionKind.CHARGEBACK,
  TransactionKind.VOID,
]

/** Kinds that take money back from a succeeded payment, bounded by what is left on it. */
export const REVERSAL_KINDS: readonly TransactionKind[] = [
  TransactionKind.REFUND,
  TransactionKind.CHARGEBACK,
]

/** The balance figures computed from the ledger rows. */
export const BALANCE_FIGURES = [
  "paid_total",
  "refunded_total",
  "chargeback_total",
  "reversed_total",
  "authorized_total",
  "pending_total",
  "net_paid",
  "outstanding_amount",
] as const

/** Every money field of a balance: Medusa's order total and the figures. */
export const BALANCE_MONEY_FIELDS = ["order_total", ...BALANCE_FIGURES] as const

/** Every stored field of a ledger transaction, in answer order: the API's defaults and the plain reads' columns. */
export const LEDGER_TRANSACTION_FIELDS = [
  "id",
  "order_id",
  "kind",
  "status",
  "amount",
  "currency_code",
  "reference",
  "reference_id",
  "parent_id",
  "payment_method",
  "gateway",
  "external_id",
  "fee",
  "card_brand",
  "card_last4",
  "message",
  "reason",
  "note",
  "occurred_at",
  "medusa_payment_id",
  "metadata",
  "version",
  "created_at",
  "updated_at",
] as const
export type LedgerTransactionField = (typeof LEDGER_TRANSACTION_FIELDS)[number]

/** Money fields of a ledger transaction. */
export const TRANSACTION_MONEY_FIELDS = ["amount", "fee"] as const

/** Every stored field of a balance: the API's defaults and the plain reads' columns. */
export const LEDGER_BALANCE_FIELDS = [
  "id",
  "order_id",
  "currency_code",
  ...BALANCE_MONEY_FIELDS,
  "status",
  "version",
  "created_at",
  "updated_at",
] as const
export type LedgerBalanceField = (typeof LEDGER_BALANCE_FIELDS)[number]
