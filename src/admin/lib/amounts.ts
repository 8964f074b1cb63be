/**
 * How many decimals a currency has (2 for USD, 0 for JPY, 3 for KWD), from the browser's Intl
 * data, as the API checks them.
 */
export function currencyDecimals(currencyCode: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currencyCode.toUpperCase() }).resolvedOptions()
      .maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

/**
 * An exact decimal as integer units of 10^-scale. The API answers money as JS numbers whose
 * shortest text is the stored decimal (24.9781), so the widget's own figures (what is left to
 * capture or reverse) are worked out on that text, never with float sums.
 */
interface Units {
  units: bigint
  scale: number
}

const TEN = BigInt(10)
const ZERO = BigInt(0)
const pow10 = (n: number) => TEN ** BigInt(n)

/** The exact decimal of an API amount or an amount text; 0 for anything that is not a number. */
function toUnits(value: number | string | null | undefined): Units {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(String(value ?? "").trim().toLowerCase())
  if (!match || !(match[2] || match[3])) {
    return { units: ZERO, scale: 0 }
  }
  const [, sign, int = "", frac = "", exponent = "0"] = match
  let units = BigInt(int + frac || "0")
  let scale = frac.length - Number(exponent)
  if (scale < 0) {
    units *= pow10(-scale)
    scale = 0
  }
  return { units: sign === "-" ? -units : units, scale }
}

const atScale = (value: Units, scale: number) => value.units * pow10(scale - value.scale)
const abs = (n: bigint) => (n < ZERO ? -n : n)

/** Units as a plain decimal string ("14.9781", "-0.5", "0"). */
function unitsText({ units, scale }: Units): string {
  const digits = abs(units).toString().padStart(scale + 1, "0")
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits
  return units < ZERO ? `-${text}` : text
}

/**
 * What is left of `total` after `used` (both taken as magnitudes), never below zero, as an exact
 * decimal string: an authorization less its captures and voids, a chargeback less its reversals.
 *
 * @example
 * remainingAmount(24.9781, [10, -5]) // "9.9781"
 */
export function remainingAmount(total: number, used: number[]): string {
  const [whole, ...taken] = magnitudes([total, ...used])
  const left = taken.reduce((sum, n) => sum - n.units, whole.units)
  return unitsText({ units: left > ZERO ? left : ZERO, scale: whole.scale })
}

/**
 * The sum of amounts taken as magnitudes, as an exact decimal string: what an authorization's
 * captures add up to, or a chargeback's reversals.
 *
 * @example
 * sumOfMagnitudes([-10, -0.5]) // "10.5"
 */
export function sumOfMagnitudes(amounts: number[]): string {
  const parts = magnitudes([0, ...amounts])
  return unitsText({ units: parts.reduce((sum, p) => sum + p.units, ZERO), scale: parts[0].scale })
}

/** Magnitudes of amounts, all at the largest scale among them. */
function magnitudes(amounts: number[]): Units[] {
  const parts = amounts.map(toUnits)
  const scale = Math.max(...parts.map((p) => p.scale))
  return parts.map((p) => ({ units: abs(atScale(p, scale)), scale }))
}

/**
 * A money value rounded to the currency's decimals (half away from zero, as the API rounds), as
 * a fixed decimal string. A value that rounds to zero is "0.00", never "-0.00".
 *
 * @example
 * roundToCurrency(24.9781, "eur") // "24.98"
 * roundToCurrency(-0.0019, "eur") // "0.00"
 */
export function roundToCurrency(value: number | string, currencyCode: string): string {
  const decimals = currencyDecimals(currencyCode)
  const exact = toUnits(value)
  let units: bigint
  if (exact.scale <= decimals) {
    units = atScale(exact, decimals)
  } else {
    const divisor = pow10(exact.scale - decimals)
    const magnitude = abs(exact.units)
    const rounded = magnitude / divisor + (BigInt(2) * (magnitude % divisor) >= divisor ? BigInt(1) : ZERO)
    units = exact.units < ZERO ? -rounded : rounded
  }
  return unitsText({ units, scale: decimals })
}

/** True when a money value rounds to zero in the currency (€0.0019 is nothing; €0.005 is a cent). */
export function roundsToZero(value: number | string | null | undefined, currencyCode: string): boolean {
  return /^-?0(\.0*)?$/.test(roundToCurrency(value ?? 0, currencyCode))
}

/**
 * An API amount as the text of an amount input, at the currency's decimals ("100.00", and
 * "24.98" for Medusa's 24.9781). String formatting only: the server does every sum and check.
 */
export function amountInputValue(amount: number | string | null | undefined, currencyCode: string): string {
  if (amount === null || amount === undefined || amount === "") {
    return ""
  }
  return roundToCurrency(amount, currencyCode)
}

/** The amount text as the API takes it: trimmed, "," as decimal point accepted. */
export function normalizeAmountInput(value: string): string {
  return value.trim().replace(/\s/g, "").replace(/,(\d+)$/, ".$1")
}

/**
 * The `amount` to send for an amount field prefilled with everything that is left: none when the
 * merchant left it as prefilled (or empty), so the server takes exactly what is left, Medusa's
 * extra decimals included; else what they typed.
 */
export function amountToSend(value: string, prefilled: string): string | undefined {
  const typed = normalizeAmountInput(value)
  return typed === "" || typed === prefilled ? undefined : typed
}
