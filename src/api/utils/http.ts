import type {
  MedusaErrorHandlerFunction,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { errorHandler, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
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

const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.datetime({ local: true }), z.iso.date()])

/** A date filter's value (a date, a list of dates, or operators over them) holds only real dates. */
function datesValid(value: unknown): boolean {
  if (typeof value === "string") {
    return isoDate.safeParse(value).success
  }
  if (Array.isArray(value)) {
    return value.every(datesValid)
  }
  return !!value && typeof value === "object" && Object.values(value).every(datesValid)
}

/**
 * What Medusa's find params let through but the database then refuses, which Medusa's own list
 * routes answer with a 500: negative or non-integer `limit`/`offset`, an `order` on a field the
 * route does not answer, and date filters (`…_at`) that are not dates.
 */
export function listQueryProblem(query: Record<string, unknown>, sortable: string[]): string | null {
  for (const key of ["limit", "offset"]) {
    const value = query[key]
    if (value !== undefined && !(typeof value === "string" && /^\d{1,9}$/.test(value))) {
      return `${key} must be a whole number of 0 or more.`
    }
  }
  if (query.order !== undefined) {
    const field = typeof query.order === "string" ? query.order.replace(/^-/, "") : ""
    if (!sortable.includes(field)) {
      return `order must be one of ${sortable.join(", ")}, with a leading - for descending.`
    }
  }
  for (const [key, value] of Object.entries(query)) {
    if (key.endsWith("_at") && !datesValid(value)) {
      return `${key} must be an ISO 8601 date or date-time (2026-01-31 or 2026-01-31T12:00:00Z).`
    }
  }
  return null
}

/**
 * `validateAndTransformQuery` answering with the ledger's `INVALID_DATA` code; on list routes it
 * first refuses the values of {@link listQueryProblem}, sortable fields being the route's defaults.
 */
export const validateLedgerQuery = (...args: Parameters<typeof validateAndTransformQuery>) => {
  const validate = withInvalidDataCode(validateAndTransformQuery(...args) as Middleware)
  const config = args[1] as { defaults?: string[]; isList?: boolean } | undefined
  if (!config?.isList) {
    return validate
  }
  const sortable = (config.defaults ?? []).filter((f) => /^[a-z_]+$/.test(f))
  const checked: Middleware = (req, res, next) => {
    const problem = listQueryProblem(req.query as Record<string, unknown>, sortable)
    if (problem) {
      res.status(400).json({ type: MedusaError.Types.INVALID_DATA, code: LedgerErrorCode.INVALID_DATA, message: problem })
      return
    }
    return validate(req, res, next)
  }
  return checked
}

/** The ledger's routes, admin and store. */
const LEDGER_ROUTE = /^\/(admin|store)\/(orders\/[^/]+\/(transactions|balance)|order-transactions|order-balances)(\/|$)/

/** The 4xx status of an error from Express or its body parser (bad JSON, a path it cannot decode). */
function clientErrorStatus(error: unknown): number | null {
  const e = (error ?? {}) as { statusCode?: unknown; status?: unknown }
  const status = typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : null
  return status !== null && status >= 400 && status < 500 ? status : null
}

/**
 * The app's error handler, registered in `src/api/middlewares.ts`. On the ledger's routes a body
 * that is not a JSON object (Medusa's body parser) or a path Express cannot decode answers its 4xx
 * with `code: "INVALID_DATA"`, and ledger errors answer their own code; everything else, and every
 * other route, goes to Medusa's own handler unchanged. A store that defines its own `errorHandler`
 * replaces this one (Medusa keeps the last), and only loses the codes on those two cases.
 */
export function ledgerErrorHandler(): MedusaErrorHandlerFunction {
  const medusaHandler = errorHandler()
  return (error, req, res, next) => {
    if (LEDGER_ROUTE.test(req.path)) {
      const status = clientErrorStatus(error)
      if (status) {
        const message = error instanceof URIError ? "The request path is not valid percent-encoding." : String((error as Error).message)
        res.status(status).json({ type: MedusaError.Types.INVALID_DATA, code: LedgerErrorCode.INVALID_DATA, message })
        return
      }
      const answer = ledgerErrorResponse(error)
      if (answer) {
        res.status(answer.status).json(answer.body)
        return
      }
    }
    return medusaHandler(error, req, res, next)
  }
}

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
