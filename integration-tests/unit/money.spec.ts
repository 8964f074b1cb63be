import { MathBN, MedusaError } from "@medusajs/framework/utils"
import {
  LedgerError,
  LedgerErrorCode,
  TransactionKind,
  currencyDecimals,
  formatMoney,
  isKnownCurrency,
  parseAmount,
  signedAmount,
  toDecimalString,
} from "../../src/utils"

/** Runs `fn`, expects it to throw a LedgerError, and answers that error. */
function caught(fn: () => unknown): LedgerError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError)
    return e as LedgerError
  }
  throw new Error("expected a LedgerError, nothing was thrown")
}

describe("currencyDecimals (from Intl)", () => {
  it.each([
    ["usd", 2],
    ["USD", 2],
    ["eur", 2],
    ["jpy", 0],
    ["krw", 0],
    ["kwd", 3],
    ["bhd", 3],
  ])("%s has %i decimals", (code, decimals) => {
    expect(currencyDecimals(code)).toBe(decimals)
  })

  it("agrees with Intl for every currency the runtime knows", () => {
    for (const code of Intl.supportedValuesOf("currency")) {
      const expected = new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions()
        .maximumFractionDigits
      expect(currencyDecimals(code.toLowerCase())).toBe(expected)
    }
  })

  it("knows ISO codes and rejects made-up ones", () => {
    expect(isKnownCurrency("usd")).toBe(true)
    expect(isKnownCurrency("KWD")).toBe(true)
    expect(isKnownCurrency("xxy")).toBe(false)
    expect(isKnownCurrency("dollars")).toBe(false)
  })
})

describe("parseAmount", () => {
  it("accepts numbers and decimal strings within the currency's decimals", () => {
    expect(parseAmount(190, "usd", "amount").toFixed()).toBe("190")
    expect(parseAmount("19.99", "usd", "amount").toFixed()).toBe("19.99")
    expect(parseAmount(" 19.9 ", "usd", "amount").toFixed()).toBe("19.9")
    expect(parseAmount(1900, "jpy", "amount").toFixed()).toBe("1900")
    expect(parseAmount("1.250", "kwd", "amount").toFixed()).toBe("1.25")
    expect(parseAmount("0.001", "kwd", "amount").toFixed()).toBe("0.001")
  })

  it("keeps big amounts exact (no float rounding)", () => {
    expect(parseAmount("12345678901234567.89", "usd", "amount").toFixed()).toBe("12345678901234567.89")
  })

  it.each([
    ["too many decimals for usd", "19.999", "usd", /transactions\[2\]\.amount has 3 decimals but USD allows 2/],
    ["any decimal for jpy", 1.5, "jpy", /transactions\[2\]\.amount has 1 decimals but JPY allows 0/],
    ["four decimals for kwd", "1.2345", "kwd", /transactions\[2\]\.amount has 4 decimals but KWD allows 3/],
    ["zero", 0, "usd", /transactions\[2\]\.amount must be greater than 0/],
    ["negative number", -5, "usd", /transactions\[2\]\.amount must be greater than 0/],
    ["negative string", "-5", "usd", /transactions\[2\]\.amount must be a decimal number/],
    ["exponent string", "1e3", "usd", /transactions\[2\]\.amount must be a decimal number/],
    ["word", "ten", "usd", /transactions\[2\]\.amount must be a decimal number/],
    ["empty string", "", "usd", /transactions\[2\]\.amount must be a decimal number/],
    ["NaN", NaN, "usd", /transactions\[2\]\.amount must be a finite number/],
    ["Infinity", Infinity, "usd", /transactions\[2\]\.amount must be a finite number/],
    ["null", null, "usd", /transactions\[2\]\.amount must be a number/],
    ["boolean", true, "usd", /transactions\[2\]\.amount must be a number/],
    ["object", { value: "1" }, "usd", /transactions\[2\]\.amount must be a number/],
  ])("rejects %s with INVALID_DATA naming the field", (_label, value, currency, message) => {
    const error = caught(() => parseAmount(value, currency, "transactions[2].amount"))
    expect(error.code).toBe(LedgerErrorCode.INVALID_DATA)
    expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(error.message).toMatch(message)
  })

  it("rejects the float 0.1 + 0.2 for usd: it has 17 decimals, not 2", () => {
    const error = caught(() => parseAmount(0.1 + 0.2, "usd", "amount"))
    expect(error.code).toBe(LedgerErrorCode.INVALID_DATA)
    expect(error.message).toMatch(/^amount has 17 decimals but USD allows 2\.$/)
  })

  it("adds parsed amounts exactly: 0.1 + 0.2 is 0.3", () => {
    const sum = MathBN.add(parseAmount("0.1", "usd", "a"), parseAmount(0.2, "usd", "b"))
    expect(toDecimalString(sum)).toBe("0.3")
    expect(MathBN.eq(sum, "0.3")).toBe(true)
    // Ten cents ten times is exactly one dollar.
    let total = MathBN.convert(0)
    for (let i = 0; i < 10; i++) {
      total = MathBN.add(total, parseAmount("0.10", "usd", "a"))
    }
    expect(toDecimalString(total)).toBe("1")
  })
})

describe("signedAmount", () => {
  it.each([
    [TransactionKind.PAYMENT, "190", "190"],
    [TransactionKind.AUTHORIZATION, "190", "190"],
    [TransactionKind.REFUND, "40.5", "-40.5"],
    [TransactionKind.CHARGEBACK, "190", "-190"],
    [TransactionKind.VOID, "0.01", "-0.01"],
  ])("%s of %s is stored as %s", (kind, amount, expected) => {
    expect(toDecimalString(signedAmount(kind, amount))).toBe(expected)
  })

  it("uses the magnitude whatever sign comes in", () => {
    expect(toDecimalString(signedAmount(TransactionKind.REFUND, "-25"))).toBe("-25")
    expect(toDecimalString(signedAmount(TransactionKind.PAYMENT, "-25"))).toBe("25")
  })
})

describe("toDecimalString", () => {
  it("never uses an exponent", () => {
    expect(toDecimalString("1e21")).toBe("1000000000000000000000")
    expect(toDecimalString("0.0000001")).toBe("0.0000001")
    expect(toDecimalString({ value: "12.50", precision: 20 } as never)).toBe("12.5")
  })
})

describe("formatMoney", () => {
  it("formats per Intl", () => {
    expect(formatMoney(190, "usd")).toBe("$190.00")
    expect(formatMoney("1900", "jpy")).toBe("¥1,900")
    expect(formatMoney("1.25", "kwd")).toMatch(/^KWD\s1\.250$/)
    expect(formatMoney("-40.5", "usd")).toBe("-$40.50")
    expect(formatMoney("1234567.5", "eur")).toBe("€1,234,567.50")
  })

  it("formats the exact decimal, not a float", () => {
    expect(formatMoney("12345678901234567.89", "usd")).toBe("$12,345,678,901,234,567.89")
    expect(formatMoney(MathBN.add("0.1", "0.2"), "usd")).toBe("$0.30")
  })

  it("answers null for a missing value or currency", () => {
    expect(formatMoney(null, "usd")).toBeNull()
    expect(formatMoney(undefined, "usd")).toBeNull()
    expect(formatMoney(10, "")).toBeNull()
  })

  it("honours the locale", () => {
    expect(formatMoney("1234.5", "eur", "de-DE")).toMatch(/^1\.234,50\s€$/)
  })
})
