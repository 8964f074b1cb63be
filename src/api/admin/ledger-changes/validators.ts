import { z } from "@medusajs/framework/zod"

/** Changes per page of the feed unless told otherwise, and at most. */
export const LEDGER_CHANGES_DEFAULT_LIMIT = 100
export const LEDGER_CHANGES_MAX_LIMIT = 1000

/** `GET /admin/ledger-changes?after=&limit=`. */
export const AdminListLedgerChangesParams = z
  .object({
    after: z.string().max(64, "after must be a cursor from an earlier answer (next_cursor)").optional(),
    limit: z.coerce
      .number({ error: "limit must be a whole number" })
      .int("limit must be a whole number")
      .min(1, "limit must be at least 1")
      .max(LEDGER_CHANGES_MAX_LIMIT, `limit must be at most ${LEDGER_CHANGES_MAX_LIMIT}`)
      .default(LEDGER_CHANGES_DEFAULT_LIMIT),
  })
  .strict()
export type AdminListLedgerChangesParamsType = z.infer<typeof AdminListLedgerChangesParams>
