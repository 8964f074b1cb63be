import type { MiddlewareRoute } from "@medusajs/framework/http"

/** Middlewares of `POST /admin/order-transactions/:id/reversals`. */
export const adminLedgerReversalMiddlewares: MiddlewareRoute[] = []
