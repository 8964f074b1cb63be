import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerQuery } from "../../utils/http"
import { listBalanceQueryConfig } from "./query-config"
import { AdminGetBalancesParams } from "./validators"

export const adminOrderBalancesMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/order-balances",
    middlewares: [validateLedgerQuery(AdminGetBalancesParams, listBalanceQueryConfig)],
  },
]
