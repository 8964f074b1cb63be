import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateLedgerTransactionWorkflow } from "../../../../workflows/workflows/update-ledger-transaction"
import { withLedgerErrors } from "../../../utils/http"
import { retrieveTransaction, transactionsWithBalance } from "../../helpers"
import type { AdminGetTransactionParamsType, AdminUpdateLedgerTransactionType } from "../validators"

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
  async (req: AuthenticatedMedusaRequest<AdminUpdateLedgerTransactionType>, res: MedusaResponse) => {
    const { result: before } = await updateLedgerTransactionWorkflow(req.scope).run({
      input: { id: req.params.id, ...req.validatedBody },
    })
    const { transactions, balance } = await transactionsWithBalance(
      req.scope,
      before.order_id,
      [req.params.id],
      req.queryConfig.fields
    )
    res.json({ transaction: transactions[0], balance })
  }
)
