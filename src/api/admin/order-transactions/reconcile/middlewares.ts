import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody } from "../../../utils/http"
import { AdminReconcileOrderTransactions } from "./validators"

export const adminReconcileOrderTransactionsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/reconcile",
    middlewares: [validateLedgerBody(AdminReconcileOrderTransactions)],
  },
]
