import { BigNumber, MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { LedgerErrorCode, ledgerError } from "./errors"
import { NEGATIVE_KINDS, type TransactionKind } from "./constants"

/** A decimal as bignumber.js holds it (what `MathBN` returns). */
export type Decimal = ReturnType<typeof MathBN.convert>

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()))

/** True when `code` is an ISO 4217 currency this runtime's `Intl` knows. */
export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code.toLowerCase())
}

const decimalsCache = new Map<string, number>()

/**
 * How many minor-unit decimals a currency has, from `Intl` (2 for USD, 0 for JPY, 3 for KWD).
 */
export function currencyDecimals(currencyCode: string): number {
  const code = currencyCode.toUpperCase()
  let decimals = decimalsCache.get(code)
  if (decimals === undefined) {
    decimals = new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions()
      .maximumFractionDigits as number
    decimalsCache.set(code, decimals)
  }
  return decimals
}

/**
 * The SQL of {@link currencyDecimals} over a currency code column: a `CASE` over the currencies
 * whose decimals are not 2, so the database rounds exactly as TypeScript does.
 */
export function currencyDecimalsSql(column: string): string {
  const byDecimals = new Map<number, string[]>()
  for (const code of KNOWN_CURRENCIES) {
    const decimals = currencyDecimals(code)
    if (decimals !== 2) {
      byDecimals.set(decimals, [...(byDecimals.get(decimals) ?? []), `'${code}'`])
    }
  }
  const cases = [...byDecimals].map(([decimals, codes]) => `WHEN lower(${column}) IN (${codes.join(", ")}) THEN ${decimals}`)
  return `(CASE ${cases.join(" ")} ELSE 2 END)`
}

/**
 * A money value rounded to the currency's decimals, half away from zero as PostgreSQL's
 * `round(numeric, int)` does. Medusa keeps amounts beyond them (a 19% tax on €10.99 + €10 is
 * €24.9781); what the customer can pay or be paid is this.
 *
 * @example
 * roundToCurrency("-0.0019", "eur") // 0
 */
export function roundToCurrency(value: BigNumberInput, currencyCode: string): Decimal {
  const rounded = MathBN.convert(value).decimalPlaces(currencyDecimals(currencyCode), 4 /* ROUND_HALF_UP: half away from zero */)
  return rounded.isZero() ? MathBN.convert(0) : rounded
}

/**
 * True when a money value rounds to zero in the currency: nothing is owed, nothing is left to
 * refund or capture. `€0.0019` is zero; `€0.005` is a cent.
 */
export function roundsToZero(value: BigNumberInput, currencyCode: string): boolean {
  return roundToCurrency(value, currencyCode).isZero()
}

/**
 * Parses an input amount and checks it against the currency: a finite decimal, greater than
 * zero, with no more decimals than the currency has (unless `exact`: an amount mirrored from
 * Medusa, stored at the precision Medusa has it). Throws `INVALID_DATA` naming `field`.
 *
 * @example
 * parseAmount("19.99", "usd", "transactions[0].amount") // 19.99 as a decimal
 * parseAmount(1.5, "jpy", "amount") // throws: JPY has no decimals
 * parseAmount("24.9781", "eur", "amount", { exact: true }) // 24.9781: Medusa's own figure
 */
export function parseAmount(
  value: unknown,
  currencyCode: string,
  field: string,
  options: { exact?: boolean } = {}
): Decimal {
  if (isDecimalObject(value)) {
    value = exactDecimal(value)
  }
  if (typeof value !== "number" && typeof value !== "string") {
    return ledgerError(LedgerErrorCode.INVALID_DATA, `${field} must be a number.`)
  }
  if (typeof value === "string" && !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return ledgerError(LedgerErrorCode.INVALID_DATA, `${field} must be a decimal number, got "${value}".`)
  }
  const amount = MathBN.convert(value)
  if (!amount.isFinite()) {
    return ledgerError(LedgerErrorCode.INVALID_DATA, `${field} must be a finite number.`)
  }
  if (!amount.isGreaterThan(0)) {
    return ledgerError(LedgerErrorCode.INVALID_DATA, `${field} must be greater than 0.`)
  }
  const decimals = currencyDecimals(currencyCode)
  const places = amount.decimalPlaces() ?? 0
  if (places > decimals && !options.exact) {
    return ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `${field} has ${places} decimals but ${currencyCode.toUpperCase()} allows ${decimals}.`
    )
  }
  return amount
}

/**
 * The stored, signed amount of a transaction: refunds, chargebacks and voids are negative.
 */
export function signedAmount(kind: TransactionKind, amount: BigNumberInput): Decimal {
  const abs = MathBN.abs(amount)
  return NEGATIVE_KINDS.includes(kind) ? MathBN.mult(abs, -1) : abs
}

/** A Medusa `BigNumber` or a bignumber.js decimal (what `MathBN` returns): money the module's types accept. */
function isDecimalObject(value: unknown): boolean {
  return value instanceof BigNumber || (value as { _isBigNumber?: unknown } | null)?._isBigNumber === true
}

/**
 * A money input that may be 0 (a fee, a `previously_refunded_amount`): 0, or an amount
 * {@link parseAmount} accepts. Throws `INVALID_DATA` naming `field`.
 */
export function parseAmountOrZero(value: unknown, currencyCode: string, field: string): Decimal {
  const plain = isDecimalObject(value) ? exactDecimal(value) : value
  if ((typeof plain === "number" || typeof plain === "string") && /^\s*0+(\.0+)?\s*$/.test(String(plain))) {
    return MathBN.convert(0)
  }
  return parseAmount(plain, currencyCode, field)
}

/**
 * The exact decimal string of a money value however Medusa hands it over: a number, a decimal
 * string, a `BigNumber`, or the `raw_` object (`{ value, precision }`) it keeps beside each
 * `bigNumber` column. Null for null or undefined, and for anything that is not a number.
 *
 * @example
 * exactDecimal({ value: "24.9781", precision: 20 }) // "24.9781"
 */
export function exactDecimal(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null
  }
  try {
    const decimal = MathBN.convert(value as BigNumberInput)
    return decimal.isFinite() ? decimal.toFixed() : null
  } catch {
    return null
  }
}

/** The exact decimal string of a money value (no exponent, no float rounding). */
export function toDecimalString(value: BigNumberInput | BigNumber): string {
  return MathBN.convert(value as BigNumberInput).toFixed()
}

const formatters = new Map<string, Intl.NumberFormat>()

/**
 * Formats a money value for display with `Intl`: `"$190.00"`, `"¥1,900"`, `"KWD 1.250"`.
 * Exact: the decimal string is formatted, never a float.
 */
export function formatMoney(
  value: BigNumberInput | BigNumber | null | undefined,
  currencyCode: string,
  locale = "en-US"
): string | null {
  if (value === null || value === undefined || !currencyCode) {
    return null
  }
  const key = `${locale}:${currencyCode}`
  let formatter = formatters.get(key)
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: currencyCode.toUpperCase(),
    })
    formatters.set(key, formatter)
  }
  // Intl.NumberFormat v3 formats decimal strings exactly; the type still says number. A value
  // that rounds to zero is formatted as 0, never as "-€0.00".
  const shown = roundsToZero(value as BigNumberInput, currencyCode) ? "0" : toDecimalString(value)
  return formatter.format(shown as unknown as number)
}
