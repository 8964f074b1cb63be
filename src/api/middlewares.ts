import { defineMiddlewares } from "@medusajs/framework/http"
import { adminOrderLedgerRoutesMiddlewares } from "./admin/orders/[id]/transactions/middlewares"
import { adminOrderTransactionsMiddlewares } from "./admin/order-transactions/middlewares"
import { adminOrderTransactionRefundsMiddlewares } from "./admin/order-transactions/[id]/refunds/middlewares"
import { adminOrderBalancesMiddlewares } from "./admin/order-balances/middlewares"
import { adminReconcileOrderTransactionsMiddlewares } from "./admin/order-transactions/reconcile/middlewares"
import { adminExportOrderTransactionsMiddlewares } from "./admin/order-transactions/export/middlewares"
import { storeOrderLedgerMiddlewares } from "./store/orders/middlewares"
import { ledgerErrorHandler } from "./utils/http"

export default defineMiddlewares({
  errorHandler: ledgerErrorHandler(),
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
