import { z } from "@medusajs/framework/zod"

const text = (field: string, max: number) =>
  z.string().min(1, `${field} must not be empty`).max(max, `${field} must be at most ${max} characters`)

/**
 * Body of `POST /admin/order-transactions/:id/reversals`. The amount is a JSON number or a
 * decimal string in the currency's major unit; its decimals are checked against the currency.
 */
export const AdminCreateLedgerTransactionReversal = z
  .object({
    /** Positive. Leave it out to reverse all that is left. */
    amount: z
      .union([
        z.number({ error: "amount must be a number greater than 0" }).positive("amount must be greater than 0").finite(),
        z.string().regex(/^\d+(\.\d+)?$/, "amount must be a decimal number such as 19.99"),
      ])
      .optional(),
    reason: text("reason", 2000).nullish(),
    note: text("note", 2000).nullish(),
  })
  .strict()
export type AdminCreateLedgerTransactionReversalType = z.infer<typeof AdminCreateLedgerTransactionReversal>
