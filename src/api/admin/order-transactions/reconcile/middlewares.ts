import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody } from "../../../utils/http"
import { AdminReconcileLedgerTransactions } from "./validators"

export const adminReconcileLedgerTransactionsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/reconcile",
    middlewares: [validateLedgerBody(AdminReconcileLedgerTransactions)],
  },
]
