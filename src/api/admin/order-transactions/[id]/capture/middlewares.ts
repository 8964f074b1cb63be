import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../../../utils/http"
import { retrieveTransactionQueryConfig } from "../../query-config"
import { AdminGetTransactionParams } from "../../validators"
import { AdminCaptureLedgerAuthorization, AdminVoidLedgerAuthorization } from "./validators"

/** Middlewares of the provider actions: `POST /admin/order-transactions/:id/capture` and `/void`. */
export const adminLedgerProviderActionMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/:id/capture",
    middlewares: [
      validateLedgerBody(AdminCaptureLedgerAuthorization),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/:id/void",
    middlewares: [
      validateLedgerBody(AdminVoidLedgerAuthorization),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
]
