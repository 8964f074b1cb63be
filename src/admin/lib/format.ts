import type { BalanceStatus, CardBrand, PaymentMethod, TransactionKind, TransactionStatus } from "./types"

type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

export const KIND_LABELS: Record<TransactionKind, string> = {
  payment: "Payment",
  refund: "Refund",
  chargeback: "Chargeback",
  authorization: "Authorization",
  void: "Void",
}

export const STATUS_LABELS: Record<TransactionStatus, string> = {
  pending: "Pending",
  succeeded: "Succeeded",
  failed: "Failed",
  requires_action: "Requires action",
}

export const STATUS_COLORS: Record<TransactionStatus, BadgeColor> = {
  pending: "orange",
  succeeded: "green",
  failed: "red",
  requires_action: "purple",
}

export const METHOD_LABELS: Record<PaymentMethod, string> = {
  card: "Card",
  gift_card: "Gift card",
  store_credit: "Store credit",
  cash: "Cash",
  bank_transfer: "Bank transfer",
  wallet: "Wallet",
  other: "Other",
}

export const CARD_BRAND_LABELS: Record<CardBrand, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  other: "Other card",
}

export const BALANCE_STATUS_LABELS: Record<BalanceStatus, string> = {
  settled: "Settled",
  customer_owes: "Customer owes",
  merchant_owes: "Merchant owes",
}

export const BALANCE_STATUS_COLORS: Record<BalanceStatus, BadgeColor> = {
  settled: "green",
  customer_owes: "orange",
  merchant_owes: "red",
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })

/** A date and time in the merchant's locale, or "-". */
export function formatDate(value: string | null | undefined): string {
  if (!value) {
    return "-"
  }
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? "-" : dateFormat.format(date)
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" })
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" })

/** The date part alone ("Nov 22, 2026"), or "-". */
export function formatDay(value: string | null | undefined): string {
  const date = value ? new Date(value) : null
  return date && !Number.isNaN(date.getTime()) ? dayFormat.format(date) : "-"
}

/** The time part alone ("11:37 PM"), or "". */
export function formatTime(value: string | null | undefined): string {
  const date = value ? new Date(value) : null
  return date && !Number.isNaN(date.getTime()) ? timeFormat.format(date) : ""
}

/** "Visa •••• 4242", "Visa", "•••• 4242" or "-". */
export function formatCard(brand: CardBrand | null, last4: string | null): string {
  const parts = [brand ? CARD_BRAND_LABELS[brand] ?? brand : null, last4 ? `•••• ${last4}` : null].filter(Boolean)
  return parts.length ? parts.join(" ") : "-"
}

/** "#12" for an order with a display id, else its id. */
export function orderLabel(order: { id: string; display_id?: number | null } | null | undefined, orderId: string) {
  return order?.display_id ? `#${order.display_id}` : orderId
}
