import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../../../utils/http"
import { retrieveTransactionQueryConfig } from "../../query-config"
import { AdminGetTransactionParams } from "../../validators"
import { AdminCreateLedgerTransactionReversal } from "./validators"

/** Middlewares of `POST /admin/order-transactions/:id/reversals`. */
export const adminLedgerReversalMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/:id/reversals",
    middlewares: [
      validateLedgerBody(AdminCreateLedgerTransactionReversal),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
]
