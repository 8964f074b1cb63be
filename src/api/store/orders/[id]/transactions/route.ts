import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { removeUndefinedProperties } from "@medusajs/framework/utils"
import { listAnswer, withLedgerErrors } from "../../../../utils/http"
import { listTransactions } from "../../../../utils/present"
import { pickKeys, retrieveCustomerOrderId, selectedKeys } from "../../helpers"
import { storeTransactionKeys, storeTransactionQueryFields } from "../../query-config"
import type { StoreGetLedgerTransactionsParamsType } from "../../validators"

/**
 * `GET /store/orders/:id/transactions`: the signed-in customer's order's payments, refunds and
 * authorizations, with the public fields only (never fees, processor messages, gateways, ids at the
 * processor, notes or metadata). An order that is not theirs answers 404 like a missing one.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, StoreGetLedgerTransactionsParamsType>, res: MedusaResponse) => {
    const orderId = await retrieveCustomerOrderId(req.scope, req.params.id, req.auth_context.actor_id)
    const { kind, status, payment_method, occurred_at } = req.validatedQuery
    const { rows, page } = await listTransactions(req.scope, {
      // Server-side list, never the request's: the request's `fields` only narrows the answer.
      fields: storeTransactionQueryFields,
      filters: { ...removeUndefinedProperties({ kind, status, payment_method, occurred_at }), order_id: orderId },
      pagination: req.queryConfig.pagination,
    })
    const keys = selectedKeys(req.validatedQuery.fields, storeTransactionKeys, ["id"])
    res.json(listAnswer("transactions", rows.map((row) => pickKeys(row, keys)), page))
  }
)
