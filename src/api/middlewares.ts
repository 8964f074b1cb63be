import { defineMiddlewares } from "@medusajs/framework/http"
import { adminOrderLedgerRoutesMiddlewares } from "./admin/orders/[id]/transactions/middlewares"
import { adminLedgerTransactionsMiddlewares } from "./admin/order-transactions/middlewares"
import { adminLedgerTransactionRefundsMiddlewares } from "./admin/order-transactions/[id]/refunds/middlewares"
import { adminOrderBalancesMiddlewares } from "./admin/order-balances/middlewares"
import { adminReconcileLedgerTransactionsMiddlewares } from "./admin/order-transactions/reconcile/middlewares"
import { adminExportLedgerTransactionsMiddlewares } from "./admin/order-transactions/export/middlewares"
import { adminLedgerProviderActionMiddlewares } from "./admin/order-transactions/[id]/capture/middlewares"
import { adminLedgerReversalMiddlewares } from "./admin/order-transactions/[id]/reversals/middlewares"
import { storeOrderLedgerMiddlewares } from "./store/orders/middlewares"
import { adminLedgerChangesMiddlewares } from "./admin/ledger-changes/middlewares"
import { adminLedgerWebhooksMiddlewares } from "./admin/ledger-webhooks/middlewares"
import { ledgerActorMiddleware, ledgerErrorHandler } from "./utils/http"

export default defineMiddlewares({
  errorHandler: ledgerErrorHandler(),
  routes: [
    // Who acts, for the ledger's change log: every admin and store request.
    { matcher: "/admin/*", middlewares: [ledgerActorMiddleware()] },
    { matcher: "/store/*", middlewares: [ledgerActorMiddleware()] },
    ...adminOrderLedgerRoutesMiddlewares,
    ...adminLedgerTransactionsMiddlewares,
    ...adminLedgerTransactionRefundsMiddlewares,
    ...adminOrderBalancesMiddlewares,
    ...adminReconcileLedgerTransactionsMiddlewares,
    ...adminExportLedgerTransactionsMiddlewares,
    ...adminLedgerProviderActionMiddlewares,
    ...adminLedgerReversalMiddlewares,
    ...adminLedgerChangesMiddlewares,
    ...adminLedgerWebhooksMiddlewares,
    ...storeOrderLedgerMiddlewares,
  ],
})
