import { z } from "@medusajs/framework/zod"
import { AdminGetTransactionsParams } from "../validators"

/**
 * Query of `GET /admin/order-transactions/export`: the filters of `GET /admin/order-transactions`
 * (`order_id`, `kind`, `status`, `reference`, `payment_method`, `gateway`, `occurred_at` and
 * `created_at` ranges, `q` on `external_id`, …). No paging: the export holds every match.
 */
export const AdminExportTransactionsParams = AdminGetTransactionsParams.omit({
  fields: true,
  limit: true,
  offset: true,
  order: true,
  with_deleted: true,
})
export type AdminExportTransactionsParamsType = z.infer<typeof AdminExportTransactionsParams>
