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
 * An API amount as the text of an amount input ("100.00"). String formatting only: the server
 * does every sum and check on exact decimals.
 */
export function amountInputValue(amount: number | null | undefined, currencyCode: string): string {
  if (amount === null || amount === undefined) {
    return ""
  }
  return amount.toFixed(currencyDecimals(currencyCode))
}

/** The amount text as the API takes it: trimmed, "," as decimal point accepted. */
export function normalizeAmountInput(value: string): string {
  return value.trim().replace(/\s/g, "").replace(/,(\d+)$/, ".$1")
}
