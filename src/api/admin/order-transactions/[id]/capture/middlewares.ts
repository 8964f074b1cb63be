import type { MiddlewareRoute } from "@medusajs/framework/http"

/** Middlewares of the provider actions: `POST /admin/order-transactions/:id/capture` and `/void`. */
export const adminLedgerProviderActionMiddlewares: MiddlewareRoute[] = []
