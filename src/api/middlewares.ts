import { defineMiddlewares } from "@medusajs/framework/http"
import { adminOrderLedgerRoutesMiddlewares } from "./admin/orders/[id]/transactions/middlewares"
import { adminOrderTransactionsMiddlewares } from "./admin/order-transactions/middlewares"
import { adminOrderTransactionRefundsMiddlewares } from "./admin/order-transactions/[id]/refunds/middlewares"
import { adminOrderBalancesMiddlewares } from "./admin/order-balances/middlewares"
import { adminReconcileOrderTransactionsMiddlewares } from "./admin/order-transactions/reconcile/middlewares"
import { adminExportOrderTransactionsMiddlewares } from "./admin/order-transactions/export/middlewares"
import { storeOrderLedgerMiddlewares } from "./store/orders/middlewares"

export default defineMiddlewares({
  routes: [
    ...adminOrderLedgerRoutesMiddlewares,
    ...adminOrderTransactionsMiddlewares,
    ...adminOrderTransactionRefundsMiddlewares,
    ...adminOrderBalancesMiddlewares,
    ...adminReconcileOrderTransactionsMiddlewares,
    ...adminExportOrderTransactionsMiddlewares,
    ...storeOrderLedgerMiddlewares,
  ],
})
