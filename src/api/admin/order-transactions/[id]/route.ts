import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { updateOrderTransactionWorkflow } from "../../../../workflows/workflows/update-order-transaction"
import { LedgerErrorCode, ledgerError } from "../../../../utils/errors"
import { withLedgerErrors } from "../../../utils/http"
import { presentTransactions, retrieveOrderBalance } from "../../../utils/present"
import { defaultAdminBalanceFields } from "../../order-balances/query-config"
import type { AdminGetTransactionParamsType, AdminUpdateOrderTransactionType } from "../validators"

/** One transaction with its formatted and refund figures, or `NOT_FOUND`. */
export async function retrieveTransaction(scope: MedusaContainer, id: string, fields: string[]) {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "ledger_transaction", fields, filters: { id } })
  if (!data[0]) {
    ledgerError(LedgerErrorCode.NOT_FOUND, `Order transaction with id: ${id} was not found.`)
  }
  const [transaction] = await presentTransactions(scope, data)
  return transaction
}

/**
 * `GET /admin/order-transactions/:id`: one transaction with every field, its formatted amounts,
 * and for payments `refunded_amount` and `refundable_amount`.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminGetTransactionParamsType>, res: MedusaResponse) => {
    res.json({ transaction: await retrieveTransaction(req.scope, req.params.id, req.queryConfig.fields) })
  }
)

/**
 * `POST /admin/order-transactions/:id`: moves the status forward and sets `message`,
 * `external_id`, `metadata`. Answers the transaction and its order's balance.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminUpdateOrderTransactionType>, res: MedusaResponse) => {
    const { result: before } = await updateOrderTransactionWorkflow(req.scope).run({
      input: { id: req.params.id, ...req.validatedBody },
    })
    const transaction = await retrieveTransaction(req.scope, req.params.id, req.queryConfig.fields)
    const balance = await retrieveOrderBalance(req.scope, before.order_id, defaultAdminBalanceFields)
    res.json({ transaction, balance })
  }
)
