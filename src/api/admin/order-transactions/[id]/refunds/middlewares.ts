import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../../../utils/http"
import { retrieveTransactionQueryConfig } from "../../query-config"
import { AdminGetTransactionParams } from "../../validators"
import { AdminCreateLedgerTransactionRefund } from "./validators"

export const adminLedgerTransactionRefundsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/:id/refunds",
    middlewares: [
      validateLedgerBody(AdminCreateLedgerTransactionRefund),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
]
