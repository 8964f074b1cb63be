import { z } from "@medusajs/framework/zod"
import { positiveAmount } from "../../validators"

/**
 * Body of `POST /admin/order-transactions/:id/capture`. The amount is a JSON number or a decimal
 * string in the currency's major unit; its decimals are checked against the order's currency.
 */
export const AdminCaptureLedgerAuthorization = z
  .object({
    /** Positive. Leave it out to capture all that is left on the authorization. */
    amount: positiveAmount("amount").optional(),
  })
  .strict()
export type AdminCaptureLedgerAuthorizationType = z.infer<typeof AdminCaptureLedgerAuthorization>

/** Body of `POST /admin/order-transactions/:id/void`: nothing (the void takes all that is left). */
export const AdminVoidLedgerAuthorization = z.object({}).strict()
export type AdminVoidLedgerAuthorizationType = z.infer<typeof AdminVoidLedgerAuthorization>
