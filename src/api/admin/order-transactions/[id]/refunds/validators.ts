import { z } from "@medusajs/framework/zod"
import { TransactionStatus } from "../../../../../utils/constants"
import { namedText, nonNegativeAmount, positiveAmount } from "../../validators"

/**
 * Body of `POST /admin/order-transactions/:id/refunds`. Amounts are JSON numbers or decimal
 * strings in the currency's major unit; their decimals are checked against the order's currency.
 */
export const AdminCreateLedgerTransactionRefund = z
  .object({
    /** Positive. Leave it out to refund all that is left. */
    amount: positiveAmount("amount").optional(),
    /** What the client showed as refunded (succeeded + pending) so far; 0 or more. */
    previously_refunded_amount: nonNegativeAmount("previously_refunded_amount").optional(),
    reason: namedText("reason", 2000).nullish(),
    note: namedText("note", 2000).nullish(),
    status: z.enum([TransactionStatus.PENDING, TransactionStatus.SUCCEEDED]).optional(),
  })
  .strict()
export type AdminCreateLedgerTransactionRefundType = z.infer<typeof AdminCreateLedgerTransactionRefund>
