import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerQuery } from "../../../utils/http"
import { EXPORT_SELECT } from "./csv"
import { AdminExportTransactionsParams } from "./validators"

export const adminExportLedgerTransactionsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/order-transactions/export",
    middlewares: [validateLedgerQuery(AdminExportTransactionsParams, { defaults: EXPORT_SELECT, isList: true })],
  },
]
