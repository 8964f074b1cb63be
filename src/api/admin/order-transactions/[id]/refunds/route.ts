import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDER_LEDGER_MODULE } from "../../../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../../../modules/order-ledger/service"
import { refundOrderTransactionWorkflow } from "../../../../../workflows/workflows/refund-order-transaction"
import { idempotencyKey, withLedgerErrors } from "../../../../utils/http"
import { transactionsWithBalance } from "../../../orders/[id]/transactions/route"
import type { AdminCreateOrderTransactionRefundType } from "./validators"

/**
 * `POST /admin/order-transactions/:id/refunds`: refunds a succeeded payment in full (no `amount`)
 * or in part, guarded by `previously_refunded_amount`; a payment that came from a Medusa capture is
 * refunded through Medusa's own refund flow. Answers `{ transaction, balance }`. With an
 * `Idempotency-Key`, a repeat answers what the first answered and refunds nothing.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminCreateOrderTransactionRefundType>, res: MedusaResponse) => {
    const key = idempotencyKey(req)
    const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const { result } = await refundOrderTransactionWorkflow(req.scope).run({
      input: {
        transaction_id: req.params.id,
        ...req.validatedBody,
        idempotency_key: key,
        created_by: req.auth_context?.actor_id,
      },
    })
    if (result.replayed && key) {
      const saved = await ledger.getIdempotentResponse(key)
      if (saved) {
        res.json(saved)
        return
      }
    }
    const { transactions, balance } = await transactionsWithBalance(
      req.scope,
      result.order_id,
      [result.transaction_id],
      req.queryConfig.fields
    )
    const body = { transaction: transactions[0], balance }
    if (key && !result.replayed) {
      await ledger.saveIdempotentResponse(key, body)
    }
    res.json(body)
  }
)
