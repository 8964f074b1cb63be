import { authenticate, type MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerQuery } from "../../utils/http"
import { storeListTransactionQueryConfig, storeRetrieveBalanceQueryConfig } from "./query-config"
import { StoreGetOrderBalanceParams, StoreGetLedgerTransactionsParams } from "./validators"

/**
 * The store ledger routes: a signed-in customer (session cookie or bearer token) is required, on
 * top of the publishable API key Medusa requires on every `/store` route.
 */
export const storeOrderLedgerMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/store/orders/:id/transactions",
    middlewares: [
      authenticate("customer", ["session", "bearer"]),
      validateLedgerQuery(StoreGetLedgerTransactionsParams, storeListTransactionQueryConfig),
    ],
  },
  {
    method: ["GET"],
    matcher: "/store/orders/:id/balance",
    middlewares: [
      authenticate("customer", ["session", "bearer"]),
      validateLedgerQuery(StoreGetOrderBalanceParams, storeRetrieveBalanceQueryConfig),
    ],
  },
]
