import { z } from "@medusajs/framework/zod"
import { TransactionStatus } from "../../../../../utils/constants"

const decimalString = (field: string) =>
  z.string().regex(/^\d+(\.\d+)?$/, `${field} must be a decimal number such as 19.99`)

const text = (field: string, max: number) =>
  z.string().min(1, `${field} must not be empty`).max(max, `${field} must be at most ${max} characters`)

/**
 * Body of `POST /admin/order-transactions/:id/refunds`. Amounts are JSON numbers or decimal
 * strings in the currency's major unit; their decimals are checked against the order's currency.
 */
export const AdminCreateLedgerTransactionRefund = z
  .object({
    /** Positive. Leave it out to refund all that is left. */
    amount: z
      .union([
        z.number({ error: "amount must be a number greater than 0" }).positive("amount must be greater than 0").finite(),
        decimalString("amount"),
      ])
      .optional(),
    /** What the client showed as refunded (succeeded + pending) so far; 0 or more. */
    previously_refunded_amount: z
      .union([
        z
          .number({ error: "previously_refunded_amount must be a number" })
          .nonnegative("previously_refunded_amount must be 0 or more")
          .finite(),
        decimalString("previously_refunded_amount"),
      ])
      .optional(),
    reason: text("reason", 2000).nullish(),
    note: text("note", 2000).nullish(),
    status: z.enum([TransactionStatus.PENDING, TransactionStatus.SUCCEEDED]).optional(),
  })
  .strict()
export type AdminCreateLedgerTransactionRefundType = z.infer<typeof AdminCreateLedgerTransactionRefund>
