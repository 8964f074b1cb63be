import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, removeUndefinedProperties } from "@medusajs/framework/utils"
import { withLedgerErrors } from "../../../../utils/http"
import { presentTransactions } from "../../../../utils/present"
import { pickKeys, retrieveCustomerOrderId, selectedKeys } from "../../helpers"
import { storeTransactionKeys, storeTransactionQueryFields } from "../../query-config"
import type { StoreGetOrderTransactionsParamsType } from "../../validators"

/**
 * `GET /store/orders/:id/transactions`: the signed-in customer's order's payments, refunds and
 * authorizations, with the public fields only (never fees, processor messages, gateways, ids at the
 * processor, notes or metadata). An order that is not theirs answers 404 like a missing one.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, StoreGetOrderTransactionsParamsType>, res: MedusaResponse) => {
    const orderId = await retrieveCustomerOrderId(req.scope, req.params.id, req.auth_context.actor_id)
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { kind, status, payment_method, occurred_at } = req.validatedQuery
    const filters = removeUndefinedProperties({ kind, status, payment_method, occurred_at })
    const { data, metadata } = await query.graph({
      entity: "ledger_transaction",
      // Server-side list, never the request's: the request's `fields` only narrows the answer.
      fields: storeTransactionQueryFields,
      filters: { ...filters, order_id: orderId },
      pagination: req.queryConfig.pagination,
    })
    const keys = selectedKeys(req.validatedQuery.fields, storeTransactionKeys, ["id"])
    const transactions = (await presentTransactions(req.scope, data)).map((row) => pickKeys(row, keys))
    res.json({
      transactions,
      count: metadata?.count ?? data.length,
      offset: metadata?.skip ?? 0,
      limit: metadata?.take ?? data.length,
    })
  }
)
