import type {
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import {
  LEDGER_ERROR_STATUS,
  LedgerErrorCode,
  isLedgerErrorCode,
} from "../../utils/errors"

type Handler<Req extends MedusaRequest = MedusaRequest> = (req: Req, res: MedusaResponse) => Promise<void>
type Middleware = (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => unknown

interface ErrorLike {
  code?: unknown
  type?: unknown
  message?: unknown
  details?: Record<string, unknown>
}

/**
 * The ledger's HTTP answer for an error, or null for errors Medusa's own handler should answer.
 * Medusa's handler rewrites the `code` of every 409 to `invalid_state_error`, so the ledger's
 * stable codes are answered here.
 */
export function ledgerErrorResponse(error: unknown): { status: number; body: Record<string, unknown> } | null {
  const e = (error ?? {}) as ErrorLike
  const message = typeof e.message === "string" ? e.message : String(error)
  let code: LedgerErrorCode | null = isLedgerErrorCode(e.code) ? e.code : null
  if (!code && /Failed to acquire lock|Timed-out acquiring lock/i.test(message)) {
    code = LedgerErrorCode.CONCURRENT_REQUEST
  }
  if (!code && e.type === MedusaError.Types.INVALID_DATA) {
    code = LedgerErrorCode.INVALID_DATA
  }
  if (!code && e.type === MedusaError.Types.NOT_FOUND) {
    code = LedgerErrorCode.NOT_FOUND
  }
  if (!code) {
    return null
  }
  const status = LEDGER_ERROR_STATUS[code]
  const type =
    status === 404
      ? MedusaError.Types.NOT_FOUND
      : status === 409
        ? MedusaError.Types.CONFLICT
        : MedusaError.Types.INVALID_DATA
  return {
    status,
    body: {
      type,
      code,
      message:
        code === LedgerErrorCode.CONCURRENT_REQUEST && !isLedgerErrorCode(e.code)
          ? "Another request is writing to this order's ledger; retry later."
          : message,
      ...(e.details ?? {}),
    },
  }
}

/** Wraps a route handler so ledger errors answer with their status and stable `code`. */
export function withLedgerErrors<Req extends MedusaRequest>(handler: Handler<Req>): Handler<Req> {
  const wrapped = async (req: Req, res: MedusaResponse) => {
    try {
      await handler(req, res)
    } catch (error) {
      const answer = ledgerErrorResponse(error)
      if (!answer) {
        throw error
      }
      res.status(answer.status).json(answer.body)
    }
  }
  Object.defineProperty(wrapped, "name", { value: handler.name })
  return wrapped
}

/** Runs one of Medusa's validation middlewares, answering its errors with `code: INVALID_DATA`. */
function withInvalidDataCode(middleware: Middleware): Middleware {
  return (req, res, next) =>
    middleware(req, res, (error?: unknown) => {
      if (!error) {
        return next()
      }
      const answer = ledgerErrorResponse(error)
      if (answer) {
        res.status(answer.status).json(answer.body)
        return
      }
      next(error)
    })
}

/** `validateAndTransformBody` answering with the ledger's `INVALID_DATA` code. */
export const validateLedgerBody = (...args: Parameters<typeof validateAndTransformBody>) =>
  withInvalidDataCode(validateAndTransformBody(...args) as Middleware)

/** `validateAndTransformQuery` answering with the ledger's `INVALID_DATA` code. */
export const validateLedgerQuery = (...args: Parameters<typeof validateAndTransformQuery>) =>
  withInvalidDataCode(validateAndTransformQuery(...args) as Middleware)

/** The request's `Idempotency-Key` header, checked. */
export function idempotencyKey(req: MedusaRequest): string | undefined {
  const value = req.get("idempotency-key")
  if (value === undefined) {
    return undefined
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Idempotency-Key header must be 1 to 255 visible ASCII characters.",
      LedgerErrorCode.INVALID_DATA
    )
  }
  return value
}
