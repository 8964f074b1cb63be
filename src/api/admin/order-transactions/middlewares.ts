import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../utils/http"
import { listTransactionQueryConfig, retrieveTransactionQueryConfig } from "./query-config"
import {
  AdminGetTransactionParams,
  AdminListTransactionsParams,
  AdminUpdateLedgerTransaction,
} from "./validators"

export const adminLedgerTransactionsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/order-transactions",
    middlewares: [validateLedgerQuery(AdminListTransactionsParams, listTransactionQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/order-transactions/:id",
    middlewares: [validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/:id",
    middlewares: [
      validateLedgerBody(AdminUpdateLedgerTransaction),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
]
