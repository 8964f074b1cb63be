import { MathBN } from "@medusajs/framework/utils"
import type { LedgerTransactionRow } from "../../../../modules/order-ledger/types"
import { currencyDecimals, exactDecimal, formatMoney } from "../../../../utils/money"

/**
 * The CSV an accountant gets: one row per transaction, raw amounts (exact decimals with the
 * currency's places, negative for refunds, chargebacks and voids) beside formatted ones.
 */

/** Columns of the export, in order. */
export const EXPORT_COLUMNS = [
  "id",
  "order_id",
  "occurred_at",
  "created_at",
  "updated_at",
  "kind",
  "status",
  "amount",
  "formatted_amount",
  "fee",
  "formatted_fee",
  "currency_code",
  "payment_method",
  "card_brand",
  "card_last4",
  "gateway",
  "external_id",
  "reference",
  "reference_id",
  "parent_id",
  "message",
  "reason",
  "note",
  "metadata",
] as const
export type ExportColumn = (typeof EXPORT_COLUMNS)[number]

/** The stored fields the export reads: its columns less the formatted ones. */
export const EXPORT_SELECT: string[] = EXPORT_COLUMNS.filter((c) => !c.startsWith("formatted_"))

/** Free-text columns a person or a processor filled in. */
const TEXT_COLUMNS: ExportColumn[] = ["gateway", "external_id", "reference", "reference_id", "message", "reason", "note"]

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
 * return first) gets a leading `'`, as OWASP advises for CSV exports.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** A money value with the currency's decimal places ("-25.50", "1900", "1.250"); never rounded. */
export function csvAmount(value: string, currencyCode: string): string {
  const decimal = MathBN.convert(value)
  return decimal.toFixed(Math.max(currencyDecimals(currencyCode), decimal.decimalPlaces() ?? 0))
}

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : "")

/** One transaction as a CSV record. */
export function toCsvRecord(row: LedgerTransactionRow): Record<ExportColumn, string> {
  const currency = String(row.currency_code ?? "")
  const amount = exactDecimal(row.amount)
  const fee = exactDecimal(row.fee)
  const text = (field: ExportColumn & keyof LedgerTransactionRow) => {
    const value = row[field]
    if (value === null || value === undefined) {
      return ""
    }
    return TEXT_COLUMNS.includes(field) ? neutralizeFormula(String(value)) : String(value)
  }
  return {
    id: text("id"),
    order_id: text("order_id"),
    occurred_at: iso(row.occurred_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    kind: text("kind"),
    status: text("status"),
    amount: amount === null ? "" : csvAmount(amount, currency),
    formatted_amount: amount === null ? "" : formatMoney(amount, currency) ?? "",
    fee: fee === null ? "" : csvAmount(fee, currency),
    formatted_fee: fee === null ? "" : formatMoney(fee, currency) ?? "",
    currency_code: currency,
    payment_method: text("payment_method"),
    card_brand: text("card_brand"),
    card_last4: text("card_last4"),
    gateway: text("gateway"),
    external_id: text("external_id"),
    reference: text("reference"),
    reference_id: text("reference_id"),
    parent_id: text("parent_id"),
    message: text("message"),
    reason: text("reason"),
    note: text("note"),
    metadata: row.metadata ? JSON.stringify(row.metadata) : "",
  }
}

/** `order-transactions-20261122-231500.csv` */
export function exportFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)
  return `order-transactions-${stamp}.csv`
}
