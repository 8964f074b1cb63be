import { remainingAmount, roundsToZero, sumOfMagnitudes } from "./amounts"
import type { LedgerTransaction } from "./types"

/**
 * Which per-row actions apply, worked out from the order's rows the widget already has. The
 * server checks every one of these again under the order's lock; these only decide what to offer.
 */

/** The non-failed children of `parent` of the given kinds. */
function childrenOf(parent: LedgerTransaction, rows: LedgerTransaction[], kinds: LedgerTransaction["kind"][]) {
  return rows.filter((t) => t.parent_id === parent.id && kinds.includes(t.kind) && t.status !== "failed")
}

/** An authorization of Medusa checkout: the provider holds it, so capture and void go through the provider. */
export function isProviderAuthorization(t: LedgerTransaction): boolean {
  return t.kind === "authorization" && t.reference === "payment"
}

/** What an authorization has been captured and voided, and what is left to capture. */
export interface CaptureFigures {
  /** Succeeded and pending captures (ledger payments under it). */
  captured: string
  /** Succeeded and pending voids. */
  voided: string
  /** Its amount less both, exact (Medusa's decimals kept). */
  left: string
}

export function captureFigures(auth: LedgerTransaction, rows: LedgerTransaction[]): CaptureFigures {
  const captures = childrenOf(auth, rows, ["payment"]).map((t) => t.amount)
  const voids = childrenOf(auth, rows, ["void"]).map((t) => t.amount)
  return {
    captured: sumOfMagnitudes(captures),
    voided: sumOfMagnitudes(voids),
    left: remainingAmount(auth.amount, [...captures, ...voids]),
  }
}

/** What a refund or chargeback has been reversed, and what is left to reverse. */
export interface ReversalFigures {
  reversed: string
  left: string
}

export function reversalFigures(row: LedgerTransaction, rows: LedgerTransaction[]): ReversalFigures {
  const reversals = childrenOf(row, rows, ["reversal"]).map((t) => t.amount)
  return {
    reversed: sumOfMagnitudes(reversals),
    left: remainingAmount(row.amount, reversals),
  }
}

/** The actions a row offers. */
export interface RowActions {
  refund: boolean
  capture: boolean
  void: boolean
  reverse: boolean
}

export function rowActions(t: LedgerTransaction, rows: LedgerTransaction[]): RowActions {
  const currency = t.currency_code
  const provider = isProviderAuthorization(t) && (t.status === "succeeded" || t.status === "pending")
  const untouched =
    provider && childrenOf(t, rows, ["payment"]).length === 0 && childrenOf(t, rows, ["void"]).length === 0
  return {
    refund: t.kind === "payment" && t.status === "succeeded" && !roundsToZero(t.refundable_amount ?? 0, currency),
    capture: provider && t.status === "succeeded" && !roundsToZero(captureFigures(t, rows).left, currency),
    void: untouched,
    reverse:
      (t.kind === "chargeback" || t.kind === "refund") &&
      t.status === "succeeded" &&
      !roundsToZero(reversalFigures(t, rows).left, currency),
  }
}
