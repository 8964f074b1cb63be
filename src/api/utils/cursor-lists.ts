import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { LEDGER_BALANCE_FIELDS, LEDGER_TRANSACTION_FIELDS } from "../../utils/constants"
import {
  type CursorList,
  type KeysetPage,
  type KeysetRead,
  encodeListCursor,
  keysetReadOf,
} from "../../utils/list-cursor"
import { isPlainRead, presentBalance, presentTransactions } from "./present"

/**
 * The keyset-paged reads of the admin lists (`cursor` given): one SQL keyset page in the module,
 * then, when `fields` name links (`order.*`), the page's rows read again through Query by id, so
 * every `fields` the offset lists answer works here too. The answer is
 * `{ <key>: rows, next_cursor, limit }`: no `count`, which would cost a full count per page and
 * drift while rows are inserted; `next_cursor` is null on the last page.
 */

type Row = Record<string, unknown>

/** What a cursor request asks for, from the validated query. */
export interface CursorRequest {
  /** The request's `fields`, as `req.queryConfig.fields`. */
  fields: string[]
  /** The filters, without `cursor`. */
  filters: Row
  /** `cursor`: empty for the first page. */
  cursor: string
  /** `order` as the client wrote it (`-updated_at`); default `id`. */
  order?: string
  limit: number
  offset?: number
}

/** A row narrowed to `fields`, in their order. */
const pick = (row: Row, fields: readonly string[]): Row => Object.fromEntries(fields.map((f) => [f, row[f]]))

/**
 * The page's rows with the request's `fields`: the plain rows when `fields` are stored columns,
 * else the same rows (by id, in page order) through Query, which resolves links.
 */
async function withFields(
  scope: MedusaContainer,
  entity: string,
  fields: string[],
  plain: boolean,
  rows: Row[]
): Promise<Row[]> {
  if (plain) {
    return rows.map((row) => pick(row, fields))
  }
  if (!rows.length) {
    return []
  }
  const ids = rows.map((row) => row.id as string)
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity,
    fields: fields.includes("id") ? fields : [...fields, "id"],
    filters: { id: ids },
    pagination: { skip: 0, take: ids.length },
  })
  const byId = new Map((data as Row[]).map((row) => [row.id, row]))
  return ids
    .map((id) => byId.get(id))
    .filter((row): row is Row => !!row)
    .map((row) => {
      if (!fields.includes("id")) {
        delete row.id
      }
      return row
    })
}

/** The cursor answer of `list`: the rows, the next page's cursor (null on the last page) and the limit. */
function cursorAnswer<K extends string>(
  key: K,
  list: CursorList,
  read: KeysetRead,
  rows: Row[],
  page: KeysetPage<unknown>
): Record<K, Row[]> & { next_cursor: string | null; limit: number } {
  return {
    [key]: rows,
    next_cursor: page.next ? encodeListCursor(list, read, page.next) : null,
    limit: read.limit,
  } as Record<K, Row[]> & { next_cursor: string | null; limit: number }
}

/** One keyset page of `list`: the module's SQL page, the request's `fields` on it, the API's presentation. */
async function listByCursor(
  scope: MedusaContainer,
  request: CursorRequest,
  list: CursorList,
  stored: { entity: string; fields: readonly string[] },
  readPage: (ledger: OrderLedgerModuleService, read: KeysetRead & { fields: string[] }) => Promise<KeysetPage<unknown> & { rows: unknown[] }>,
  present: (rows: Row[]) => Promise<Row[]> | Row[]
) {
  const read = keysetReadOf(list, request)
  const ledger = scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const plain = isPlainRead(stored.fields, request.fields, request.filters)
  const page = await readPage(ledger, { ...read, fields: plain ? request.fields : ["id"] })
  const rows = await withFields(scope, stored.entity, request.fields, plain, page.rows as Row[])
  return { read, page, rows: await present(rows) }
}

/**
 * `GET /admin/order-transactions?cursor=…`: one keyset page of transactions as the API answers
 * them (formatted amounts, refund figures of payments). `INVALID_DATA` naming `cursor` for a
 * malformed cursor or one issued for another `order` or list.
 *
 * @example
 * const first = await listTransactionsByCursor(scope, { fields, filters: {}, cursor: "", order: "updated_at", limit: 100 })
 * const second = await listTransactionsByCursor(scope, { fields, filters: {}, cursor: first.next_cursor!, order: "updated_at", limit: 100 })
 */
export async function listTransactionsByCursor(scope: MedusaContainer, request: CursorRequest) {
  const { read, page, rows } = await listByCursor(
    scope,
    request,
    "order_transactions",
    { entity: "ledger_transaction", fields: LEDGER_TRANSACTION_FIELDS },
    (ledger, keyset) => ledger.listTransactionKeysetPage(request.filters, keyset),
    (rows) => presentTransactions(scope, rows)
  )
  return cursorAnswer("transactions", "order_transactions", read, rows, page)
}

/**
 * `GET /admin/order-balances?cursor=…`: one keyset page of stored balances as the API answers
 * them, as {@link listTransactionsByCursor}.
 *
 * @example
 * const page = await listBalancesByCursor(scope, { fields, filters: { status: "customer_owes" }, cursor: "", order: "-updated_at", limit: 100 })
 */
export async function listBalancesByCursor(scope: MedusaContainer, request: CursorRequest) {
  const { read, page, rows } = await listByCursor(
    scope,
    request,
    "order_balances",
    { entity: "ledger_balance", fields: LEDGER_BALANCE_FIELDS },
    (ledger, keyset) => ledger.listBalanceKeysetPage(request.filters, keyset),
    (rows) => rows.map(presentBalance)
  )
  return cursorAnswer("balances", "order_balances", read, rows, page)
}
