import { MedusaError } from "@medusajs/framework/utils"

/** The stable `code` of every error the ledger answers with. */
export const LedgerErrorCode = {
  INVALID_DATA: "INVALID_DATA",
  NOT_FOUND: "NOT_FOUND",
  NOT_REFUNDABLE: "NOT_REFUNDABLE",
  AMOUNT_EXCEEDS_REFUNDABLE: "AMOUNT_EXCEEDS_REFUNDABLE",
  PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH: "PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH",
  CURRENCY_MISMATCH: "CURRENCY_MISMATCH",
  INVALID_STATUS_TRANSITION: "INVALID_STATUS_TRANSITION",
  DUPLICATE_TRANSACTION: "DUPLICATE_TRANSACTION",
  IDEMPOTENCY_KEY_MISMATCH: "IDEMPOTENCY_KEY_MISMATCH",
  CONCURRENT_REQUEST: "CONCURRENT_REQUEST",
  USE_PROVIDER_ACTION: "USE_PROVIDER_ACTION",
} as const
export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode]

/** HTTP status per code. */
export const LEDGER_ERROR_STATUS: Record<LedgerErrorCode, number> = {
  INVALID_DATA: 400,
  NOT_FOUND: 404,
  NOT_REFUNDABLE: 400,
  AMOUNT_EXCEEDS_REFUNDABLE: 400,
  PREVIOUSLY_REFUNDED_AMOUNT_MISMATCH: 409,
  CURRENCY_MISMATCH: 400,
  INVALID_STATUS_TRANSITION: 400,
  DUPLICATE_TRANSACTION: 409,
  IDEMPOTENCY_KEY_MISMATCH: 409,
  CONCURRENT_REQUEST: 409,
  USE_PROVIDER_ACTION: 409,
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: MedusaError.Types.INVALID_DATA,
  404: MedusaError.Types.NOT_FOUND,
  409: MedusaError.Types.CONFLICT,
}

/**
 * A `MedusaError` carrying one of the ledger's stable codes and, optionally, details that the
 * HTTP layer adds to the body (for example the fresh figures of a refund conflict).
 */
export class LedgerError extends MedusaError {
  details?: Record<string, unknown>

  constructor(code: LedgerErrorCode, message: string, details?: Record<string, unknown>) {
    super(TYPE_BY_STATUS[LEDGER_ERROR_STATUS[code]], message, code)
    this.details = details
  }
}

/** Throws a ledger error. */
export function ledgerError(
  code: LedgerErrorCode,
  message: string,
  details?: Record<string, unknown>
): never {
  throw new LedgerError(code, message, details)
}

/** True when `code` is one of the ledger's codes. */
export function isLedgerErrorCode(code: unknown): code is LedgerErrorCode {
  return typeof code === "string" && code in LEDGER_ERROR_STATUS
}

/**
 * True when a locking provider refused one of the ledger's own locks because another request
 * holds it (Medusa 2.21's in-memory and Redis providers word it `Failed to acquire lock for key
 * "<key>"`, and the ledger's keys start with `order-ledger:`). Anything else a provider throws,
 * such as a lost Redis connection, is not a conflict: it answers 500 and is logged.
 */
export function isLedgerLockContention(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === "string" && message.startsWith('Failed to acquire lock for key "order-ledger:')
}

/** True when `locking.execute` / `acquire` gave up waiting for a lock within its `timeout` (both of Medusa 2.21's providers). */
export function isLockWaitTimeout(error: unknown): boolean {
  return (error as { message?: unknown } | null)?.message === "Timed-out acquiring lock."
}
