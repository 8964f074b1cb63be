import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../../../utils/http"
import {
  listTransactionQueryConfig,
  retrieveTransactionQueryConfig,
} from "../../../order-transactions/query-config"
import {
  AdminCreateLedgerTransactions,
  AdminGetLedgerTransactionsParams,
  AdminGetTransactionParams,
} from "../../../order-transactions/validators"
import { retrieveBalanceQueryConfig } from "../../../order-balances/query-config"
import { AdminGetBalanceParams } from "../../../order-balances/validators"

export const adminOrderLedgerRoutesMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/orders/:id/transactions",
    middlewares: [validateLedgerQuery(AdminGetLedgerTransactionsParams, listTransactionQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/orders/:id/transactions",
    middlewares: [
      validateLedgerBody(AdminCreateLedgerTransactions),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
  {
    method: ["GET"],
    matcher: "/admin/orders/:id/balance",
    middlewares: [validateLedgerQuery(AdminGetBalanceParams, retrieveBalanceQueryConfig)],
  },
]
