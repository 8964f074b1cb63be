import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { LedgerOrderInput } from "../../modules/order-ledger/types"
import { BALANCE_MONEY_FIELDS, BalanceStatus, TransactionKind } from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { formatMoney, toDecimalString } from "../../utils/money"
import { LEDGER_ORDER_FIELDS, toLedgerOrder, type LedgerQueryOrder } from "../../workflows/utils/order-totals"

type Row = Record<string, unknown>

/** Money fields of a transaction. */
export const TRANSACTION_MONEY_FIELDS = ["amount", "fee"] as const

/** The exact value of a money field: the `raw_` decimal when Query returned it. */
function exactValue(row: Row, field: string): string | null {
  const rawValue = row[`raw_${field}`] as { value?: string } | undefined
  const value = rawValue?.value ?? row[field]
  return value === null || value === undefined ? null : toDecimalString(value as string)
}

/**
 * Adds `formatted_<field>` for each money field present and drops the `raw_` twins, which are
 * storage detail.
 */
export function addFormattedMoney(row: Row, fields: readonly string[], currencyCode?: string): Row {
  const currency = (currencyCode ?? row.currency_code) as string | undefined
  for (const field of fields) {
    if (!(field in row)) {
      continue
    }
    const value = exactValue(row, field)
    if (currency) {
      row[`formatted_${field}`] = value === null ? null : formatMoney(value, currency)
    }
    delete row[`raw_${field}`]
  }
  return row
}

/**
 * Transactions as the API answers them: formatted amounts, and for payments `refunded_amount`,
 * `refundable_amount` and `pending_refund_amount` (from one aggregate query).
 */
export async function presentTransactions(scope: MedusaContainer, rows: Row[]): Promise<Row[]> {
  const ledger = scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const paymentIds = rows
    .filter((r) => r.kind === TransactionKind.PAYMENT && typeof r.id === "string")
    .map((r) => r.id as string)
  const summaries = new Map((await ledger.getRefundSummaries(paymentIds)).map((s) => [s.transaction_id, s]))
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
    order_total: Number(total),
    paid_total: 0,
    refunded_total: 0,
    chargeback_total: 0,
    authorized_total: 0,
    pending_total: 0,
    net_paid: 0,
    outstanding_amount: Number(total),
    status: MathBN.gt(total, 0)
      ? BalanceStatus.CUSTOMER_OWES
      : MathBN.lt(total, 0)
        ? BalanceStatus.MERCHANT_OWES
        : BalanceStatus.SETTLED,
  }
  return presentBalance(row)
}

/** Reads an order through Query as the ledger needs it, or answers `NOT_FOUND`. */
export async function retrieveLedgerOrder(scope: MedusaContainer, orderId: string): Promise<LedgerOrderInput> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: LEDGER_ORDER_FIELDS, filters: { id: orderId } })
  const [order] = data as unknown as LedgerQueryOrder[]
  if (!order) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Order with id: ${orderId} was not found.`)
  }
  return toLedgerOrder(order)
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
