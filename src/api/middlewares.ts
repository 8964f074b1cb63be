import { defineMiddlewares } from "@medusajs/framework/http"
import { adminOrderLedgerRoutesMiddlewares } from "./admin/orders/[id]/transactions/middlewares"
import { adminOrderTransactionsMiddlewares } from "./admin/order-transactions/middlewares"
import { adminOrderBalancesMiddlewares } from "./admin/order-balances/middlewares"

export default defineMiddlewares({
  routes: [
    ...adminOrderLedgerRoutesMiddlewares,
    ...adminOrderTransactionsMiddlewares,
    ...adminOrderBalancesMiddlewares,
  ],
})
