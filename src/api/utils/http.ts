import type {
  MedusaErrorHandlerFunction,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { errorHandler, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { LEDGER_SYSTEM_ACTOR, actorFromAuthContext, withLedgerActor, type LedgerActorContext } from "../../utils/actor"
import { LEDGER_ERROR_STATUS, LedgerError, LedgerErrorCode, isLedgerErrorCode, isLedgerLockContention } from "../../utils/errors"

/**
 * The HTTP layer the admin and store routes share: the one mapping from an error to its status
 * and body, the validation middlewares that answer with the ledger's codes, the app's error
 * handler, and the one list envelope.
 */

type Handler<Req extends MedusaRequest = MedusaRequest> = (req: Req, res: MedusaResponse) => Promise<void>
type Middleware = (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => unknown

interface ErrorLike {
  code?: unknown
  type?: unknown
  message?: unknown
  details?: Record<string, unknown>
}

/** Medusa's error `type` for a status the ledger answers with. */
function errorType(status: number): string {
  return status === 404
    ? MedusaError.Types.NOT_FOUND
    : status === 409
      ? MedusaError.Types.CONFLICT
      : MedusaError.Types.INVALID_DATA
}

/**
 * The body of every ledger error: Medusa's `{ type, message }`, the stable `code`, and the
 * error's details (for example the fresh figures of a refund conflict).
 *
 * @example
 * ledgerErrorBody("NOT_FOUND", "Order with id: order_1 was not found.")
 * // { type: "not_found", code: "NOT_FOUND", message: "Order with id: order_1 was not found." }
 */
export function ledgerErrorBody(
  code: LedgerErrorCode,
  message: string,
  details?: Record<string, unknown>
): Record<string, unknown> {
  return { type: errorType(LEDGER_ERROR_STATUS[code]), code, message, ...(details ?? {}) }
}

/**
 * The ledger's HTTP answer for an error, or null for errors Medusa's own handler should answer
 * (which then answers a 500 and logs the cause for anything it does not know). The code is the
 * error's own ledger code; Medusa's lock on an order's ledger held past the wait (the locking
 * provider's refusal of an `order-ledger:` key) is `CONCURRENT_REQUEST`, while any other
 * locking failure is a 500; Medusa errors of type `invalid_data` and `not_found` (from Medusa's
 * validators and core flows) get `INVALID_DATA` and `NOT_FOUND`. Medusa's handler rewrites the
 * `code` of every 409 to `invalid_state_error`, so the ledger's stable codes are answered here.
 */
export function ledgerErrorResponse(error: unknown): { status: number; body: Record<string, unknown> } | null {
  const e = (error ?? {}) as ErrorLike
  const code: LedgerErrorCode | null = isLedgerErrorCode(e.code)
    ? e.code
    : isLedgerLockContention(error)
      ? LedgerErrorCode.CONCURRENT_REQUEST
      : e.type === MedusaError.Types.INVALID_DATA
      ? LedgerErrorCode.INVALID_DATA
      : e.type === MedusaError.Types.NOT_FOUND
        ? LedgerErrorCode.NOT_FOUND
        : null
  if (!code) {
    return null
  }
  const message =
    code === LedgerErrorCode.CONCURRENT_REQUEST && !isLedgerErrorCode(e.code)
      ? "Another request is writing to this order's ledger; retry later."
      : typeof e.message === "string"
        ? e.message
        : String(error)
  return { status: LEDGER_ERROR_STATUS[code], body: ledgerErrorBody(code, message, e.details) }
}

/** Answers a ledger error with its status and body; false (nothing sent) for any other error. */
function answerLedgerError(res: MedusaResponse, error: unknown): boolean {
  const answer = ledgerErrorResponse(error)
  if (!answer) {
    return false
  }
  res.status(answer.status).json(answer.body)
  return true
}

/** Wraps a route handler so ledger errors answer with their status and stable `code`. */
export function withLedgerErrors<Req extends MedusaRequest>(handler: Handler<Req>): Handler<Req> {
  const wrapped = async (req: Req, res: MedusaResponse) => {
    try {
      await handler(req, res)
    } catch (error) {
      if (!answerLedgerError(res, error)) {
        throw error
      }
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
      if (!answerLedgerError(res, error)) {
        next(error)
      }
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
      answerLedgerError(res, new LedgerError(LedgerErrorCode.INVALID_DATA, problem))
      return
    }
    return validate(req, res, next)
  }
  return checked
}

/** The ledger's routes, admin and store. */
const LEDGER_ROUTE =
  /^\/(admin|store)\/(orders\/[^/]+\/(transactions|balance)|order-transactions|order-balances|ledger-changes|ledger-webhooks)(\/|$)/

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
 * other route, goes to Medusa's own handler unchanged (a 500 for an unknown error, with its cause
 * logged). A store that defines its own `errorHandler` replaces this one (Medusa keeps the last),
 * and only loses the codes on those two cases.
 */
export function ledgerErrorHandler(): MedusaErrorHandlerFunction {
  const medusaHandler = errorHandler()
  return (error, req, res, next) => {
    if (LEDGER_ROUTE.test(req.path)) {
      const status = clientErrorStatus(error)
      if (status) {
        const message =
          error instanceof URIError ? "The request path is not valid percent-encoding." : String((error as Error).message)
        res.status(status).json(ledgerErrorBody(LedgerErrorCode.INVALID_DATA, message))
        return
      }
      if (answerLedgerError(res, error)) {
        return
      }
    }
    return medusaHandler(error, req, res, next)
  }
}

/** How a list read paged: Query's `metadata` has this shape, and so do the plain reads' answers. */
export interface ListPage {
  count?: number
  skip?: number
  take?: number
}

/**
 * The one list envelope, Medusa's: `{ <key>: rows, count, offset, limit }`.
 *
 * @example
 * res.json(listAnswer("transactions", rows, { count: 120, skip: 50, take: 50 }))
 * // { transactions: [...], count: 120, offset: 50, limit: 50 }
 */
export function listAnswer<K extends string, T>(
  key: K,
  rows: T[],
  page: ListPage = {}
): Record<K, T[]> & { count: number; offset: number; limit: number } {
  return {
    [key]: rows,
    count: page.count ?? rows.length,
    offset: page.skip ?? 0,
    limit: page.take ?? rows.length,
  } as Record<K, T[]> & { count: number; offset: number; limit: number }
}

/**
 * Names who acts for the ledger's change log for the rest of the request: the admin user, the
 * secret API key or the customer of `req.auth_context` (read when the ledger writes, so after
 * Medusa's authentication), and the request's `Idempotency-Key`.
 */
export function ledgerActorMiddleware(): Middleware {
  return (req, _res, next) => {
    const request = req as MedusaRequest & { auth_context?: { actor_id?: string; actor_type?: string } }
    const key = req.headers["idempotency-key"]
    const context: LedgerActorContext = {
      get actor() {
        return actorFromAuthContext(request.auth_context) ?? LEDGER_SYSTEM_ACTOR
      },
      idempotency_key: typeof key === "string" && key ? key : null,
    }
    return withLedgerActor(context, () => next())
  }
}
