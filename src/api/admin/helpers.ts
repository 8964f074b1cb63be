import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"
import { retrieveOrderBalance, transactionsById } from "../utils/present"
import { defaultAdminBalanceFields } from "./order-balances/query-config"

/** What the admin routes share: single reads, a write's answer, `q`, and idempotent answers. */

type Row = Record<string, unknown>

/** One transaction as the API answers it, or `NOT_FOUND`. */
export async function retrieveTransaction(scope: MedusaContainer, id: string, fields: string[]): Promise<Row> {
  const [transaction] = await transactionsById(scope, [id], fields)
  if (!transaction) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Order transaction with id: ${id} was not found.`)
  }
  return transaction
}

/** A write's answer: the transactions by id, in the order of `ids`, with their order's balance. */
export async function transactionsWithBalance(
  scope: MedusaContainer,
  orderId: string,
  ids: string[],
  fields: string[]
): Promise<{ transactions: Row[]; balance: Row }> {
  const [transactions, balance] = await Promise.all([
    transactionsById(scope, ids, fields),
    retrieveOrderBalance(scope, orderId, defaultAdminBalanceFields),
  ])
  return { transactions, balance }
}

/** `text` with the `LIKE` wildcards `%`, `_` and the escape `\` matched literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * The filters of a transaction list (`GET /admin/order-transactions` and its export), with `q`
 * turned into a case-insensitive substring match on `external_id`.
 *
 * @example
 * transactionFilters({ q: "ch_5%", kind: "payment" }) // { kind: "payment", external_id: { $ilike: "%ch\\_5\\%%" } }
 */
export function transactionFilters(filterable: Row): Row {
  const { q, ...filters } = filterable
  if (typeof q === "string") {
    filters.external_id = { $ilike: `%${escapeLike(q)}%` }
  }
  return filters
}

/** The request's `Idempotency-Key` header, checked: 1 to 255 visible ASCII characters. */
export function idempotencyKey(req: MedusaRequest): string | undefined {
  const value = req.get("idempotency-key")
  if (value === undefined) {
    return undefined
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    ledgerError(LedgerErrorCode.INVALID_DATA, "Idempotency-Key header must be 1 to 255 visible ASCII characters.")
  }
  return value
}

/**
 * Answers a creating request idempotently. Reads and checks the `Idempotency-Key` header, runs
 * the write with it (the workflow stores the key atomically with what it records, or finds it
 * and answers `replayed`), then answers a replay with the first response, or presents a first
 * answer and saves it for the repeats. A replay whose first request has not finished answering
 * is answered afresh from what that request recorded.
 *
 * @example
 * await answerIdempotently(req, res,
 *   (key) => recordWorkflow(req.scope).run({ input: { ..., idempotency_key: key } }).then((r) => r.result),
 *   (result) => transactionsWithBalance(req.scope, result.order_id, result.transaction_ids, fields))
 */
/**
 * Answers a route that writes one ledger transaction with `{ transaction, balance }`: the row the
 * workflow wrote (read with the request's `fields`) and its order's balance, idempotently
 * ({@link answerIdempotently}).
 *
 * @example
 * await answerTransactionWithBalance(req, res, async (key) =>
 *   (await reverseLedgerTransactionWorkflow(req.scope).run({ input: { transaction_id: req.params.id, idempotency_key: key } })).result
 * )
 */
export async function answerTransactionWithBalance(
  req: MedusaRequest & { queryConfig: { fields: string[] } },
  res: MedusaResponse,
  run: (key: string | undefined) => Promise<{ order_id: string; transaction_id: string; replayed: boolean }>
): Promise<void> {
  await answerIdempotently(req, res, run, async (result) => {
    const { transactions, balance } = await transactionsWithBalance(
      req.scope,
      result.order_id,
      [result.transaction_id],
      req.queryConfig.fields
    )
    return { transaction: transactions[0], balance }
  })
}

export async function answerIdempotently<T extends { replayed: boolean }>(
  req: MedusaRequest,
  res: MedusaResponse,
  run: (key: string | undefined) => Promise<T>,
  present: (result: T) => Promise<Row>
): Promise<void> {
  const key = idempotencyKey(req)
  const result = await run(key)
  const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  if (key && result.replayed) {
    const [saved] = await ledger.listLedgerIdempotencyKeys({ key }, { select: ["response"], take: 1 })
    if (saved?.response) {
      res.json(saved.response)
      return
    }
  }
  const body = await present(result)
  if (key && !result.replayed) {
    await ledger.updateLedgerIdempotencyKeys({ selector: { key, response: null }, data: { response: body } })
  }
  res.json(body)
}
