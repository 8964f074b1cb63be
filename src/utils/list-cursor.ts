import { LedgerErrorCode, ledgerError } from "./errors"

/**
 * Keyset cursors of the admin lists (`GET /admin/order-transactions`, `GET /admin/order-balances`):
 * which fields a list pages in, how a cursor is written and read, and what a request's `cursor`,
 * `order`, `limit` and `offset` mean together. Pure code; the SQL lives in the module's repository
 * and takes the {@link KeysetRead} built here.
 *
 * A cursor is base64url JSON `{ v: 1, list, sort, dir, value, id }`: the list it belongs to, the
 * sort field and direction it was issued for, and the last row's sort value and id. Timestamps are
 * the database's own text with microseconds (`2026-12-02T05:52:48.123456Z`), never a JS `Date`,
 * which keeps milliseconds only and would skip or repeat rows that share one.
 */

/**
 * The lists that page by cursor and the fields each pages in (then by `id`, the same direction).
 * Balances are not sortable on `created_at` at all (not one of their answered fields); their `id`
 * order is their creation order to the millisecond.
 */
export const CURSOR_SORT_FIELDS = {
  order_transactions: ["created_at", "updated_at", "occurred_at", "id"],
  order_balances: ["updated_at", "id"],
} as const satisfies Record<string, readonly string[]>
export type CursorList = keyof typeof CURSOR_SORT_FIELDS

/** Each list's route, for messages. */
const CURSOR_LIST_ROUTE: Record<CursorList, string> = {
  order_transactions: "GET /admin/order-transactions",
  order_balances: "GET /admin/order-balances",
}

/** The sort field of a cursor read when the request names no `order`: `id`, as the offset lists. */
export const DEFAULT_CURSOR_SORT = "id"

/** Sort fields that are timestamps: their cursor value is the database's exact UTC text. */
export const CURSOR_TIMESTAMP_FIELDS: ReadonlySet<string> = new Set(["created_at", "updated_at", "occurred_at"])

/**
 * The PostgreSQL `to_char` format of a timestamp's cursor value (applied to `col AT TIME ZONE
 * 'UTC'`): microseconds, as timestamptz stores them. {@link CURSOR_TIMESTAMP} reads it back.
 */
export const CURSOR_TIMESTAMP_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
const CURSOR_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\d{3}Z$/

/** Longest cursor accepted (a row id of 255 characters fits). */
export const MAX_CURSOR_LENGTH = 1024

export type KeysetDirection = "asc" | "desc"

/** A row's place in a keyset order: its sort value (exact text) and id. */
export interface KeysetPosition {
  value: string
  id: string
}

/** A keyset read: `limit` rows in `sort` order, then `id`, both `direction`, after `after` (null: from the start). */
export interface KeysetRead {
  sort: string
  direction: KeysetDirection
  after: KeysetPosition | null
  limit: number
}

/** A keyset page: its rows, and where the next one starts (null when no row follows). */
export interface KeysetPage<T> {
  rows: T[]
  next: KeysetPosition | null
}

interface CursorBody {
  v: 1
  list: CursorList
  sort: string
  dir: KeysetDirection
  value: string
  id: string
}

const orderText = (sort: string, direction: KeysetDirection) => `${direction === "desc" ? "-" : ""}${sort}`

/**
 * The cursor of the page that starts after `position`, in `read`'s order of `list`.
 *
 * @example
 * encodeListCursor("order_transactions", { sort: "created_at", direction: "asc" }, { value: "2026-12-02T05:52:48.123456Z", id: "oltx_01J…" })
 * // "eyJ2IjoxLCJsaXN0Ijoib3JkZXJfdHJhbnNhY3Rpb25zIiwic29ydCI6ImNyZWF0ZWRfYXQiLC…"
 */
export function encodeListCursor(
  list: CursorList,
  read: Pick<KeysetRead, "sort" | "direction">,
  position: KeysetPosition
): string {
  const body: CursorBody = { v: 1, list, sort: read.sort, dir: read.direction, value: position.value, id: position.id }
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url")
}

const isText = (value: unknown, max: number): value is string =>
  typeof value === "string" && /^[\x21-\x7e]+$/.test(value) && value.length <= max

/** A timestamp cursor value that PostgreSQL reads back exactly: the format above, and a real instant. */
function isCursorTimestamp(value: string): boolean {
  const match = CURSOR_TIMESTAMP.exec(value)
  if (!match) {
    return false
  }
  const ms = new Date(`${match[1]}Z`)
  return !Number.isNaN(ms.getTime()) && ms.toISOString() === `${match[1]}Z`
}

/** The body of a well-formed cursor, or null: never throws on any input. */
function decodeCursorBody(cursor: string): CursorBody | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    return null
  }
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
  } catch {
    return null
  }
  const b = (body ?? {}) as Partial<CursorBody>
  const list = b.list as CursorList
  if (
    typeof body !== "object" ||
    Array.isArray(body) ||
    b.v !== 1 ||
    !Object.prototype.hasOwnProperty.call(CURSOR_SORT_FIELDS, list ?? "") ||
    !(CURSOR_SORT_FIELDS[list] as readonly string[]).includes(b.sort as string) ||
    (b.dir !== "asc" && b.dir !== "desc") ||
    !isText(b.id, 255) ||
    !isText(b.value, 255)
  ) {
    return null
  }
  if (CURSOR_TIMESTAMP_FIELDS.has(b.sort as string) ? !isCursorTimestamp(b.value) : b.sort === "id" && b.value !== b.id) {
    return null
  }
  return b as CursorBody
}

/**
 * The keyset read a cursor request asks for, or `INVALID_DATA` naming `cursor` (or `order`,
 * `limit`, `offset`) for what cannot be paged so: an empty `cursor` starts at the first row; a
 * cursor is only good for the list and the `order` it was issued for; `order` must be one of the
 * list's {@link CURSOR_SORT_FIELDS} (default `id`); `limit` at least 1; no `offset`.
 *
 * @example
 * keysetReadOf("order_transactions", { cursor: "", order: "-updated_at", limit: 100 })
 * // { sort: "updated_at", direction: "desc", after: null, limit: 100 }
 */
export function keysetReadOf(
  list: CursorList,
  request: { cursor: string; order?: string; limit: number; offset?: number }
): KeysetRead {
  const sortable: readonly string[] = CURSOR_SORT_FIELDS[list]
  const order = request.order ?? DEFAULT_CURSOR_SORT
  const sort = order.replace(/^-/, "")
  const direction: KeysetDirection = order.startsWith("-") ? "desc" : "asc"
  if (!sortable.includes(sort)) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `With cursor, order must be one of ${sortable.join(", ")} (a leading - for descending); got ${order}.`
    )
  }
  if (!Number.isInteger(request.limit) || request.limit < 1) {
    ledgerError(LedgerErrorCode.INVALID_DATA, "With cursor, limit must be at least 1.")
  }
  if (request.offset) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      "offset cannot be combined with cursor: a cursor page starts after the last row of the page before."
    )
  }
  if (request.cursor === "") {
    return { sort, direction, after: null, limit: request.limit }
  }
  const body = decodeCursorBody(request.cursor)
  if (!body) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      "cursor is not valid: pass the next_cursor of a previous answer unchanged, or an empty cursor to start from the first row."
    )
  }
  if (body.list !== list) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `cursor was issued by ${CURSOR_LIST_ROUTE[body.list]}, not ${CURSOR_LIST_ROUTE[list]}.`
    )
  }
  if (body.sort !== sort || body.dir !== direction) {
    ledgerError(
      LedgerErrorCode.INVALID_DATA,
      `cursor was issued for order=${orderText(body.sort, body.dir)} but this request asks for order=${order}; ` +
        `send the same order on every page, or start again with an empty cursor.`
    )
  }
  return { sort, direction, after: { value: body.value, id: body.id }, limit: request.limit }
}
