import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../../../modules/order-ledger/service"
import type { LedgerTransactionInput } from "../../../../../modules/order-ledger/types"
import { recordOrderTransactionsWorkflow } from "../../../../../workflows/workflows/record-order-transactions"
import { idempotencyKey, withLedgerErrors } from "../../../../utils/http"
import {
  presentTransactions,
  retrieveLedgerOrder,
  retrieveOrderBalance,
} from "../../../../utils/present"
import { defaultAdminBalanceFields } from "../../../order-balances/query-config"
import type { AdminCreateOrderTransactionsType } from "../../../order-transactions/validators"

/** Transactions by id, in the order of `ids`, with the order's balance: a write's answer. */
export async function transactionsWithBalance(
  scope: MedusaContainer,
  orderId: string,
  ids: string[],
  fields: string[]
) {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "ledger_transaction", fields, filters: { id: ids } })
  const byId = new Map(data.map((row: Record<string, unknown>) => [row.id as string, row]))
  const transactions = await presentTransactions(
    scope,
    ids.map((id) => byId.get(id)).filter((row): row is Record<string, unknown> => !!row)
  )
  const balance = await retrieveOrderBalance(scope, orderId, defaultAdminBalanceFields)
  return { transactions, balance }
}

/**
 * `GET /admin/orders/:id/transactions`: one order's transactions, filtered and paged. The order is
 * only looked up (for a 404) when the page is empty: its rows prove it exists.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data, metadata } = await query.graph({
      entity: "ledger_transaction",
      fields: req.queryConfig.fields,
      filters: { ...req.filterableFields, order_id: req.params.id },
      pagination: req.queryConfig.pagination,
    })
    if (!data.length) {
      await retrieveLedgerOrder(req.scope, req.params.id)
    }
    res.json({
      transactions: await presentTransactions(req.scope, data),
      count: metadata?.count ?? data.length,
      offset: metadata?.skip ?? 0,
      limit: metadata?.take ?? data.length,
    })
  }
)

/**
 * `POST /admin/orders/:id/transactions`: records 1 to 50 transactions, all or none. With an
 * `Idempotency-Key`, a repeat answers what the first answered and records nothing.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminCreateOrderTransactionsType>, res: MedusaResponse) => {
    const key = idempotencyKey(req)
    const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const { result } = await recordOrderTransactionsWorkflow(req.scope).run({
      input: {
        order_id: req.params.id,
        transactions: req.validatedBody.transactions as LedgerTransactionInput[],
        idempotency_key: key,
      },
    })
    if (result.replayed && key) {
      const saved = await ledger.getIdempotentResponse(key)
      if (saved) {
        res.json(saved)
        return
      }
    }
    const body = await transactionsWithBalance(req.scope, req.params.id, result.transaction_ids, req.queryConfig.fields)
    if (key && !result.replayed) {
      await ledger.saveIdempotentResponse(key, body)
    }
    res.json(body)
  }
)
