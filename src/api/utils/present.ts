import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type {
  LedgerOrderInput,
  LedgerRefundSummary,
  LedgerTransactionRow,
} from "../../modules/order-ledger/types"
import {
  BALANCE_MONEY_FIELDS,
  LEDGER_TRANSACTION_FIELDS,
  TRANSACTION_MONEY_FIELDS,
  TransactionKind,
} from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { balanceStatus, refundFigures } from "../../utils/ledger-rules"
import { exactDecimal, formatMoney, toDecimalString } from "../../utils/money"
import { listLedgerOrders } from "../../workflows/utils/order-totals"
import type { ListPage } from "./http"

/**
 * The reads and the presentation the admin and store routes share: transactions and balances as
 * the API answers them, read plainly when `fields` name stored columns only and through Query
 * when they name links (`order.*`); the answers are the same either way.
 */

type Row = Record<string, unknown>

/** A read's paging, as `req.queryConfig.pagination` holds it. */
export interface ReadPage {
  skip?: number
  take?: number
  order?: Record<string, unknown>
}

/** Operators the plain reads answer (`$in`/`$nin` over a list, the others over one value). */
const VALUE_OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$like", "$ilike"])
const LIST_OPERATORS = new Set(["$in", "$nin"])

const isStringList = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string")

/** A filter value the plain reads answer: a value, a list, or an operator map of the above. */
function isPlainFilter(value: unknown): boolean {
  if (typeof value === "string" || isStringList(value)) {
    return true
  }
  return (
    !!value &&
    typeof value === "object" &&
    Object.entries(value).every(([operator, operand]) =>
      LIST_OPERATORS.has(operator)
        ? isStringList(operand)
        : VALUE_OPERATORS.has(operator) && typeof operand === "string"
    )
  )
}

/**
 * True when a read names only stored `columns` in its fields, filters and order, with filters
 * the plain reads answer: then it can skip Query (no link, no entity hydration).
 */
export function isPlainRead(
  columns: readonly string[],
  fields: readonly string[],
  filters: Row,
  order?: Record<string, unknown>
): boolean {
  const known = (field: string) => columns.includes(field)
  return (
    fields.length > 0 &&
    fields.every(known) &&
    Object.entries(filters).every(([field, value]) => value === undefined || (known(field) && isPlainFilter(value))) &&
    Object.entries(order ?? {}).every(([field, direction]) => known(field) && typeof direction === "string")
  )
}

/** A plain row narrowed to `fields`, in their order, as Query answers them. */
function pickFields<T extends object>(row: T, fields: readonly string[]): Row {
  const picked: Row = {}
  for (const field of fields) {
    picked[field] = row[field as keyof T]
  }
  return picked
}

/**
 * Money fields as the API answers them: a number (Query's), `formatted_<field>` when the currency
 * is known, and no `raw_` twin (storage detail). Takes Query's rows (a number and its `raw_`
 * object) and the plain reads' rows (an exact decimal string) alike.
 */
export function addFormattedMoney(row: Row, fields: readonly string[], currencyCode?: string): Row {
  const currency = (currencyCode ?? row.currency_code) as string | undefined
  for (const field of fields) {
    if (!(field in row)) {
      continue
    }
    const value = exactDecimal(row[`raw_${field}`] ?? row[field])
    row[field] = value === null ? null : Number(value)
    if (currency) {
      row[`formatted_${field}`] = value === null ? null : formatMoney(value, currency)
    }
    delete row[`raw_${field}`]
  }
  return row
}

/** The refund figures of a payment as the API answers them. */
type RefundSummary = Omit<LedgerRefundSummary, "transaction_id">

/**
 * Refund figures of the payments among `paymentIds`. With `family` (every transaction of the
 * payments' order, as a complete page of that order is) they come from those rows, since a
 * refund or chargeback always reverses a payment of its own order; otherwise from the module's
 * one aggregate read. Either way through the ledger's one rule, `refundFigures`.
 */
async function refundSummaries(
  scope: MedusaContainer,
  paymentIds: string[],
  family?: LedgerTransactionRow[]
): Promise<Map<string, RefundSummary>> {
  if (!family) {
    const ledger = scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    return new Map((await ledger.getRefundSummaries(paymentIds)).map(({ transaction_id, ...s }) => [transaction_id, s]))
  }
  const wanted = new Set(paymentIds)
  const summaries = new Map<string, RefundSummary>()
  for (const payment of family.filter((row) => wanted.has(row.id))) {
    const figures = refundFigures(payment, family)
    summaries.set(payment.id, {
      refunded_amount: toDecimalString(figures.refunded_amount),
      pending_refund_amount: toDecimalString(figures.pending_refund_amount),
      refundable_amount: toDecimalString(figures.refundable_amount),
    })
  }
  return summaries
}

/**
 * Transactions as the API answers them: formatted amounts, and for payments `refunded_amount`,
 * `refundable_amount` and `pending_refund_amount` (from one aggregate read, or from `family`:
 * see {@link refundSummaries}).
 */
export async function presentTransactions(
  scope: MedusaContainer,
  rows: Row[],
  family?: LedgerTransactionRow[]
): Promise<Row[]> {
  const paymentIds = rows
    .filter((r) => r.kind === TransactionKind.PAYMENT && typeof r.id === "string")
    .map((r) => r.id as string)
  const summaries = paymentIds.length ? await refundSummaries(scope, paymentIds, family) : new Map()
  return rows.map((row) => {
    addFormattedMoney(row, TRANSACTION_MONEY_FIELDS)
    const summary = summaries.get(row.id as string)
    if (summary) {
      for (const field of ["refunded_amount", "pending_refund_amount", "refundable_amount"] as const) {
        row[field] = Number(summary[field])
        if (row.currency_code) {
          row[`formatted_${field}`] = formatMoney(summary[field], row.currency_code as string)
        }
      }
    }
    return row
  })
}

/**
 * Transactions as the API answers them, and how many match. Plain fields, filters and order are
 * one plain SQL read (`listTransactionsAndCount`), and when the page holds all of one order's
 * transactions the refund figures come from it too; `fields` naming links (`order.*`) go through
 * Query. Either way the rows are {@link presentTransactions}'s.
 *
 * @example
 * const { rows, page } = await listTransactions(scope, {
 *   fields: ["id", "amount", "currency_code"],
 *   filters: { order_id: "order_1", kind: ["payment", "refund"] },
 *   pagination: { skip: 0, take: 50, order: { occurred_at: "DESC" } },
 * })
 */
export async function listTransactions(
  scope: MedusaContainer,
  read: { fields: string[]; filters: Row; pagination: ReadPage }
): Promise<{ rows: Row[]; page: Required<ListPage> }> {
  const { fields, filters, pagination } = read
  const skip = pagination.skip ?? 0
  const take = pagination.take ?? 50
  if (isPlainRead(LEDGER_TRANSACTION_FIELDS, fields, filters, pagination.order)) {
    const ledger = scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const { rows, count } = await ledger.listTransactionsAndCount(filters, {
      skip,
      take,
      order: pagination.order as Record<string, string> | undefined,
    })
    const wholeOrder =
      Object.keys(filters).every((f) => f === "order_id" || filters[f] === undefined) &&
      typeof filters.order_id === "string" &&
      skip === 0 &&
      rows.length === count
    const presented = await presentTransactions(
      scope,
      rows.map((row) => pickFields(row, fields)),
      wholeOrder ? rows : undefined
    )
    return { rows: presented, page: { count, skip, take } }
  }
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "ledger_transaction",
    fields,
    filters,
    pagination: { ...pagination, skip, take },
  })
  const rows = await presentTransactions(scope, data as Row[])
  return { rows, page: { count: metadata?.count ?? data.length, skip, take } }
}

/** Transactions by id as the API answers them, in the order of `ids` (missing ones left out). */
export async function transactionsById(scope: MedusaContainer, ids: string[], fields: string[]): Promise<Row[]> {
  if (!ids.length) {
    return []
  }
  const { rows } = await listTransactions(scope, { fields, filters: { id: ids }, pagination: { take: ids.length } })
  const byId = new Map(rows.map((row) => [row.id, row]))
  return ids.map((id) => byId.get(id)).filter((row): row is Row => !!row)
}

/** A balance as the API answers it. */
export function presentBalance(row: Row): Row {
  return addFormattedMoney(row, BALANCE_MONEY_FIELDS)
}

/** The balance of an order the ledger has not written to yet: nothing paid, the total owed. */
export function emptyBalance(order: LedgerOrderInput): Row {
  const total = toDecimalString(order.total)
  const row: Row = {
    id: null,
    order_id: order.id,
    currency_code: order.currency_code,
    order_total: total,
    paid_total: "0",
    refunded_total: "0",
    chargeback_total: "0",
    reversed_total: "0",
    authorized_total: "0",
    pending_total: "0",
    net_paid: "0",
    outstanding_amount: total,
    status: balanceStatus(total, order.currency_code),
  }
  return presentBalance(row)
}

/** Reads an order as the ledger needs it (plainly, from the Order module), or answers `NOT_FOUND`. */
export async function retrieveLedgerOrder(scope: MedusaContainer, orderId: string): Promise<LedgerOrderInput> {
  const [order] = await listLedgerOrders(scope, [orderId])
  if (!order) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Order with id: ${orderId} was not found.`)
  }
  return order
}

/**
 * An order's balance: the stored one, or for an order the ledger has not seen, what Medusa's
 * total says. `NOT_FOUND` when the order does not exist.
 */
export async function retrieveOrderBalance(
  scope: MedusaContainer,
  orderId: string,
  fields: string[]
): Promise<Row> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "ledger_balance", fields, filters: { order_id: orderId } })
  if (data[0]) {
    return presentBalance(data[0] as Row)
  }
  return emptyBalance(await retrieveLedgerOrder(scope, orderId))
}
