import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerQuery } from "../../utils/http"
import { AdminListLedgerChangesParams } from "./validators"

export const adminLedgerChangesMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/ledger-changes",
    middlewares: [validateLedgerQuery(AdminListLedgerChangesParams, { isList: false })],
  },
]
