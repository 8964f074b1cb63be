import { MedusaError } from "@medusajs/framework/utils"

/** The stable `code`s of the webhooks' own errors (the ledger's `INVALID_DATA` and `NOT_FOUND` serve the rest). */
export const LedgerWebhookErrorCode = {
  /** The url's host is (or resolves to) a private, loopback, link-local, unique-local or unspecified address. */
  WEBHOOK_TARGET_NOT_ALLOWED: "WEBHOOK_TARGET_NOT_ALLOWED",
  /** The url's host does not resolve (checked only when private targets are refused). */
  WEBHOOK_TARGET_UNRESOLVABLE: "WEBHOOK_TARGET_UNRESOLVABLE",
} as const
export type LedgerWebhookErrorCode = (typeof LedgerWebhookErrorCode)[keyof typeof LedgerWebhookErrorCode]

/** HTTP status per code. */
export const LEDGER_WEBHOOK_ERROR_STATUS: Record<LedgerWebhookErrorCode, number> = {
  WEBHOOK_TARGET_NOT_ALLOWED: 400,
  WEBHOOK_TARGET_UNRESOLVABLE: 400,
}

/** A `MedusaError` (`invalid_data`) carrying one of the webhooks' stable codes. */
export class LedgerWebhookError extends MedusaError {
  constructor(code: LedgerWebhookErrorCode, message: string) {
    super(MedusaError.Types.INVALID_DATA, message, code)
  }
}

/** True when `code` is one of the webhooks' own codes. */
export function isLedgerWebhookErrorCode(code: unknown): code is LedgerWebhookErrorCode {
  return typeof code === "string" && code in LEDGER_WEBHOOK_ERROR_STATUS
}
