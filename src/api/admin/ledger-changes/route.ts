import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDER_LEDGER_MODULE } from "../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../modules/order-ledger/service"
import { withLedgerErrors } from "../../utils/http"
import type { AdminListLedgerChangesParamsType } from "./validators"

/**
 * `GET /admin/ledger-changes?after=<cursor>&limit=<n>`: the ledger's change feed,
 * `{ changes, next_cursor, has_more }`, in one total order. Each change is `{ id, type,
 * created_at, resource_id, order_id, version, actor, idempotency_key, data: { object, previous } }`.
 * Start without `after`, then pass each answer's `next_cursor` (never null: with no new changes
 * it is the same cursor again). A follower never skips a change, even one whose transaction
 * commits after later ones: a change is handed out once every transaction that began writing
 * before it has ended. 400 `INVALID_DATA` for a cursor that is not one.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminListLedgerChangesParamsType>, res: MedusaResponse) => {
    const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const { after, limit } = req.validatedQuery as AdminListLedgerChangesParamsType
    res.json(await ledger.listChanges({ after, limit }))
  }
)
