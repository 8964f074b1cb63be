import { z } from "@medusajs/framework/zod"
import { createFindParams, createOperatorMap, createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { BALANCE_STATUSES } from "../../../utils/constants"
import { ListCursorParam } from "../order-transactions/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

/**
 * Query of `GET /admin/order-balances`: filters `order_id`, `status`, `currency_code`,
 * `updated_at` ranges; offset paging sorted with `order=-outstanding_amount`, or keyset paging
 * with `cursor` (`order` `updated_at` or `id`, default `id`).
 */
export const AdminGetBalancesParams = createFindParams({ limit: 50, offset: 0 }).merge(
  z.object({
    order_id: oneOrMany(z.string()).optional(),
    status: oneOrMany(z.enum(BALANCE_STATUSES)).optional(),
    currency_code: oneOrMany(z.string().regex(/^[a-zA-Z]{3}$/)).optional(),
    updated_at: createOperatorMap().optional(),
    cursor: ListCursorParam,
  })
)
export type AdminGetBalancesParamsType = z.infer<typeof AdminGetBalancesParams>

/** Query of `GET /admin/orders/:id/balance`. */
export const AdminGetBalanceParams = createSelectParams()
export type AdminGetBalanceParamsType = z.infer<typeof AdminGetBalanceParams>
