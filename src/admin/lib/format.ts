import { roundToCurrency, roundsToZero } from "./amounts"
import type { BalanceStatus, CardBrand, LedgerBalance, PaymentMethod, TransactionKind, TransactionStatus } from "./types"

type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

export const KIND_LABELS: Record<TransactionKind, string> = {
  payment: "Payment",
  refund: "Refund",
  chargeback: "Chargeback",
  authorization: "Authorization",
  void: "Void",
  /** A refund or chargeback turned back (chargeback won, refund bounced): positive, money back to the merchant. */
  reversal: "Reversal",
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

const moneyFormats = new Map<string, Intl.NumberFormat>()

/**
 * A money value as the API formats it ("$190.00", "¥1,900", "KWD 1.250"), rounded to the
 * currency's decimals first: Medusa's 24.9781 is "€24.98", and a value that rounds to zero is
 * "€0.00", never "-€0.00". "-" when there is no value.
 */
export function formatMoney(value: number | string | null | undefined, currencyCode: string): string {
  if (value === null || value === undefined || value === "") {
    return "-"
  }
  const code = currencyCode.toUpperCase()
  let format = moneyFormats.get(code)
  if (!format) {
    try {
      format = new Intl.NumberFormat("en-US", { style: "currency", currency: code })
    } catch {
      return `${roundToCurrency(value, currencyCode)} ${code}`
    }
    moneyFormats.set(code, format)
  }
  // Intl formats a decimal string exactly (no float rounding); its type still says number.
  return format.format(roundToCurrency(value, currencyCode) as unknown as number)
}

/**
 * The API's formatted money text, unless the value rounds to zero in the currency: then "€0.00"
 * (an older server formats Medusa's -0.0019 as "-€0.00"). Without a formatted text, formats it.
 */
export function moneyText(
  value: number | null | undefined,
  formatted: string | null | undefined,
  currencyCode: string
): string {
  if (value !== null && value !== undefined && roundsToZero(value, currencyCode)) {
    return formatMoney(0, currencyCode)
  }
  return formatted ?? formatMoney(value, currencyCode)
}

/** A balance's status, read as `settled` when what is outstanding rounds to zero in its currency. */
export function balanceStatusOf(
  balance: Pick<LedgerBalance, "status" | "outstanding_amount" | "currency_code">
): BalanceStatus {
  return roundsToZero(balance.outstanding_amount, balance.currency_code) ? "settled" : balance.status
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
