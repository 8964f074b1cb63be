import { z } from "@medusajs/framework/zod"
import { namedText, positiveAmount } from "../../validators"

/**
 * Body of `POST /admin/order-transactions/:id/reversals`. The amount is a JSON number or a
 * decimal string in the currency's major unit; its decimals are checked against the currency.
 */
export const AdminCreateLedgerTransactionReversal = z
  .object({
    /** Positive. Leave it out to reverse all that is left. */
    amount: positiveAmount("amount").optional(),
    reason: namedText("reason", 2000).nullish(),
    note: namedText("note", 2000).nullish(),
  })
  .strict()
export type AdminCreateLedgerTransactionReversalType = z.infer<typeof AdminCreateLedgerTransactionReversal>
