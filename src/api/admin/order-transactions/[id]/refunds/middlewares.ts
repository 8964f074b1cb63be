import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../../../utils/http"
import { retrieveTransactionQueryConfig } from "../../query-config"
import { AdminGetTransactionParams } from "../../validators"
import { AdminCreateOrderTransactionRefund } from "./validators"

export const adminOrderTransactionRefundsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/order-transactions/:id/refunds",
    middlewares: [
      validateLedgerBody(AdminCreateOrderTransactionRefund),
      validateLedgerQuery(AdminGetTransactionParams, retrieveTransactionQueryConfig),
    ],
  },
]
