import { MathBN } from "@medusajs/framework/utils"
import type { LedgerOrderInput } from "../../modules/order-ledger/types"
import { CardBrand, PaymentMethod } from "../../utils/constants"
import { exactDecimal, type Decimal } from "../../utils/money"
import { MEDUSA_COLLECTION_LEDGER_IDS_METADATA_KEY, MEDUSA_COLLECTION_LEDGER_METADATA_KEY } from "./medusa-books"
import { LEDGER_ORDER_FIELDS, toLedgerOrder, type LedgerQueryOrder } from "./order-totals"

/**
 * Medusa's own payment records of an order, as the reconcile reads them through Query
 * (order → payment_collections → payments → captures, refunds), with exact decimal strings.
 */

/** A Medusa capture (`capt_…`). */
export interface MedusaCaptureRecord {
  id: string
  /** Exact decimal string, major unit. */
  amount: string
  created_at: string
}

/** A Medusa refund (`ref_…`). */
export interface MedusaRefundRecord {
  id: string
  /** Exact decimal string, major unit, positive. */
  amount: string
  created_at: string
  note: string | null
  /** The label of the refund reason, when one was given. */
  reason: string | null
  metadata: Record<string, unknown> | null
}

/** A Medusa payment (`pay_…`): an authorization, with its captures and refunds. */
export interface MedusaPaymentRecord {
  id: string
  amount: string
  currency_code: string
  provider_id: string
  data: Record<string, unknown> | null
  created_at: string
  canceled_at: string | null
  /**
   * The ledger payment this Medusa payment was made for (its collection's metadata names it):
   * an outside payment the ledger carries in Medusa's payment module, not one to mirror.
   */
  ledger_transaction_id: string | null
  /** Every ledger payment this Medusa payment carries (one record call's outside payments). */
  ledger_transaction_ids: string[]
  captures: MedusaCaptureRecord[]
  refunds: MedusaRefundRecord[]
}

/** An order as the reconcile needs it: its ledger order input and its Medusa payments. */
export interface MedusaOrderPayments {
  order: LedgerOrderInput
  payments: MedusaPaymentRecord[]
}

const PAYMENT_FIELDS = [
  "id",
  "amount",
  "raw_amount",
  "currency_code",
  "provider_id",
  "data",
  "created_at",
  "canceled_at",
  "captures.id",
  "captures.amount",
  "captures.raw_amount",
  "captures.created_at",
  "refunds.id",
  "refunds.amount",
  "refunds.raw_amount",
  "refunds.created_at",
  "refunds.note",
  "refunds.metadata",
  "refunds.refund_reason.label",
]

/** The Query fields of an order with its Medusa payments. */
export const MEDUSA_ORDER_PAYMENT_FIELDS = [
  ...LEDGER_ORDER_FIELDS,
  "payment_collections.id",
  "payment_collections.metadata",
  ...PAYMENT_FIELDS.map((f) => `payment_collections.payments.${f}`),
]

type Amount = number | string | { value?: string | number } | null | undefined

interface QueryAmounts {
  amount?: Amount
  raw_amount?: Amount
}

interface QueryCapture extends QueryAmounts {
  id: string
  created_at: string | Date
}

interface QueryRefund extends QueryCapture {
  note?: string | null
  metadata?: Record<string, unknown> | null
  refund_reason?: { label?: string | null } | null
}

interface QueryPayment extends QueryAmounts {
  id: string
  currency_code: string
  provider_id: string
  data?: Record<string, unknown> | null
  created_at: string | Date
  canceled_at?: string | Date | null
  captures?: QueryCapture[] | null
  refunds?: QueryRefund[] | null
}

/** An order as Query answers it with {@link MEDUSA_ORDER_PAYMENT_FIELDS}. */
export interface QueryOrderWithPayments extends LedgerQueryOrder {
  payment_collections?: ({ metadata?: Record<string, unknown> | null; payments?: QueryPayment[] | null } | null)[] | null
}

/** The exact decimal string of a Medusa amount, preferring the `raw_` value. */
export function exactAmount(record: QueryAmounts): string {
  return exactDecimal(record.raw_amount ?? record.amount) ?? "0"
}

/** The exact sum of Medusa amounts (preferring the `raw_` values Medusa keeps). */
export function sumMedusaAmounts(rows: { amount?: unknown; raw_amount?: unknown }[] | null | undefined): Decimal {
  return (rows ?? []).reduce<Decimal>(
    (total, r) => MathBN.add(total, exactDecimal(r.raw_amount ?? r.amount) ?? 0),
    MathBN.convert(0)
  )
}

const iso = (value: string | Date) => new Date(value).toISOString()
const byCreated = <T extends { created_at: string; id: string }>(a: T, b: T) =>
  a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** Normalizes an order read through Query: exact amounts, ISO dates, everything sorted by time. */
export function toMedusaOrderPayments(order: QueryOrderWithPayments): MedusaOrderPayments {
  const payments = (order.payment_collections ?? [])
    .flatMap((c) =>
      (c?.payments ?? []).map((p) => ({
        ...p,
        ledger: c?.metadata?.[MEDUSA_COLLECTION_LEDGER_METADATA_KEY],
        ledgerIds: c?.metadata?.[MEDUSA_COLLECTION_LEDGER_IDS_METADATA_KEY],
      }))
    )
    .map(
      (p): MedusaPaymentRecord => ({
        ledger_transaction_id: typeof p.ledger === "string" ? p.ledger : null,
        ledger_transaction_ids: Array.isArray(p.ledgerIds)
          ? p.ledgerIds.filter((id): id is string => typeof id === "string")
          : typeof p.ledger === "string"
            ? [p.ledger]
            : [],
        id: p.id,
        amount: exactAmount(p),
        currency_code: p.currency_code.toLowerCase(),
        provider_id: p.provider_id,
        data: p.data ?? null,
        created_at: iso(p.created_at),
        canceled_at: p.canceled_at ? iso(p.canceled_at) : null,
        captures: (p.captures ?? [])
          .map((c) => ({ id: c.id, amount: exactAmount(c), created_at: iso(c.created_at) }))
          .sort(byCreated),
        refunds: (p.refunds ?? [])
          .map((r) => ({
            id: r.id,
            amount: exactAmount(r),
            created_at: iso(r.created_at),
            note: r.note ?? null,
            reason: r.refund_reason?.label ?? null,
            metadata: r.metadata ?? null,
          }))
          .sort(byCreated),
      })
    )
    .sort(byCreated)
  return { order: toLedgerOrder(order), payments }
}

// ------------------------------------------------------------------------------------------
// What a provider tells about the instrument
// ------------------------------------------------------------------------------------------

/** How a Medusa payment was made, as far as its provider's data tells. */
export interface MedusaPaymentInstrument {
  payment_method: PaymentMethod
  card_brand: CardBrand | null
  card_last4: string | null
  /** The processor's id of the payment (e.g. Stripe's `pi_…`), when the data has one. */
  external_id: string | null
}

const BRAND_ALIASES: Record<string, CardBrand> = {
  visa: CardBrand.VISA,
  mastercard: CardBrand.MASTERCARD,
  master: CardBrand.MASTERCARD,
  mc: CardBrand.MASTERCARD,
  amex: CardBrand.AMEX,
  americanexpress: CardBrand.AMEX,
  discover: CardBrand.DISCOVER,
  diners: CardBrand.DINERS,
  dinersclub: CardBrand.DINERS,
  jcb: CardBrand.JCB,
  unionpay: CardBrand.UNIONPAY,
  cup: CardBrand.UNIONPAY,
  chinaunionpay: CardBrand.UNIONPAY,
}

/** A card network name as a provider spells it ("American Express", "mastercard") → the ledger's brand. */
export function normalizeCardBrand(value: unknown): CardBrand | null {
  if (typeof value !== "string" || !value.trim()) {
    return null
  }
  return BRAND_ALIASES[value.toLowerCase().replace(/[^a-z]/g, "")] ?? CardBrand.OTHER
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * The card details in a provider's payment data, where providers commonly put them: flat
 * (`card_brand`/`card_last4`), `card`, `payment_method.card`, `payment_method_details.card`, and
 * Stripe's `latest_charge` / `charges.data[0]` when expanded.
 */
function findCard(data: Json): { brand: unknown; last4: unknown } | null {
  if (data.card_brand || data.card_last4) {
    return { brand: data.card_brand, last4: data.card_last4 }
  }
  const charges = isObject(data.charges) && Array.isArray(data.charges.data) ? data.charges.data : []
  const candidates = [
    data.card,
    isObject(data.payment_method) ? data.payment_method.card : undefined,
    isObject(data.payment_method_details) ? data.payment_method_details.card : undefined,
    isObject(data.latest_charge) && isObject(data.latest_charge.payment_method_details)
      ? data.latest_charge.payment_method_details.card
      : undefined,
    isObject(charges[0]) && isObject(charges[0].payment_method_details)
      ? charges[0].payment_method_details.card
      : undefined,
  ]
  const card = candidates.find(isObject)
  return card ? { brand: card.brand ?? card.network, last4: card.last4 } : null
}

/**
 * Payment method by provider id, for providers whose data says nothing about the instrument.
 * Stripe's card provider is `pp_stripe_stripe`; its other methods (`pp_stripe-ideal_stripe`, …)
 * are bank or voucher methods, so they stay `other`.
 */
function methodOfProvider(providerId: string): PaymentMethod {
  const id = providerId.toLowerCase()
  if (/^pp_stripe_|adyen|braintree|authorize|square|card/.test(id)) {
    return PaymentMethod.CARD
  }
  if (/paypal|apple|google|wallet/.test(id)) {
    return PaymentMethod.WALLET
  }
  if (/gift/.test(id)) {
    return PaymentMethod.GIFT_CARD
  }
  if (/store[-_]?credit/.test(id)) {
    return PaymentMethod.STORE_CREDIT
  }
  return PaymentMethod.OTHER
}

/**
 * What the ledger records about a Medusa payment's instrument: `card` with brand and last 4 when
 * the provider's data carries a card, else a method guessed from the provider id (`other` for
 * Medusa's system provider `pp_system_default`).
 *
 * @example
 * medusaPaymentInstrument("pp_stripe_stripe", { id: "pi_1", payment_method: { card: { brand: "visa", last4: "4242" } } })
 * // { payment_method: "card", card_brand: "visa", card_last4: "4242", external_id: "pi_1" }
 */
export function medusaPaymentInstrument(providerId: string, data: Json | null): MedusaPaymentInstrument {
  const card = data ? findCard(data) : null
  const last4 = card && typeof card.last4 === "string" && /^\d{4}$/.test(card.last4) ? card.last4 : null
  const brand = card ? normalizeCardBrand(card.brand) : null
  const externalId = data && typeof data.id === "string" && data.id.length <= 255 ? data.id : null
  return {
    payment_method: card && (brand || last4) ? PaymentMethod.CARD : methodOfProvider(providerId),
    card_brand: brand,
    card_last4: last4,
    external_id: externalId,
  }
}
