import { z } from "@medusajs/framework/zod"
import { createFindParams, createOperatorMap, createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { PAYMENT_METHODS, TRANSACTION_KINDS, TRANSACTION_STATUSES } from "../../../utils/constants"
import { storeBalanceKeys, storeTransactionKeys } from "./query-config"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

/** The field name a `fields` entry names, without Medusa's `+`/`-` modifiers. */
export function fieldName(entry: string): string {
  return entry.replace(/^[+ \t-]+/, "").trim()
}

/**
 * `fields` of a store route: comma-separated keys from `keys`, with Medusa's `+`/`-` modifiers.
 * Anything else (a hidden field such as `fee`, a relation such as `*order`, a typo) is a 400
 * `INVALID_DATA` naming the fields, so a storefront learns at once that it cannot have them.
 *
 * @example
 * StoreFieldsParam(["id", "amount"]).parse("id,amount") // "id,amount"
 * StoreFieldsParam(["id", "amount"]).parse("*fee") // throws: fields not available on the store API: *fee
 */
export const StoreFieldsParam = (keys: readonly string[]) =>
  z
    .string()
    .max(2000)
    .superRefine((value, ctx) => {
      const rejected = value
        .split(",")
        .filter((entry) => fieldName(entry) !== "")
        .filter((entry) => !keys.includes(fieldName(entry)))
      if (rejected.length) {
        ctx.addIssue({
          code: "custom",
          message: `fields not available on the store API: ${rejected.map((e) => e.trim()).join(", ")}. Available: ${keys.join(", ")}.`,
        })
      }
    })
    .optional()

const pageNumber = (schema: z.ZodNumber, fallback: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value !== "" ? Number(value) : value),
    schema.int().optional().default(fallback)
  )

/**
 * Query of `GET /store/orders/:id/transactions`: `fields` from the public keys only, filters on
 * visible fields only (a filter on `gateway` would reveal it), at most 100 per page, oldest first.
 *
 * @example
 * // GET /store/orders/order_123/transactions?kind=refund&fields=id,formatted_amount,status
 */
export const StoreGetLedgerTransactionsParams = createFindParams({ limit: 50, offset: 0, order: "occurred_at" })
  .omit({ with_deleted: true })
  .extend({
    fields: StoreFieldsParam(storeTransactionKeys),
    limit: pageNumber(z.number().min(1).max(100), 50),
    offset: pageNumber(z.number().min(0), 0),
    kind: oneOrMany(z.enum(TRANSACTION_KINDS)).optional(),
    status: oneOrMany(z.enum(TRANSACTION_STATUSES)).optional(),
    payment_method: oneOrMany(z.enum(PAYMENT_METHODS)).optional(),
    occurred_at: createOperatorMap().optional(),
  })
export type StoreGetLedgerTransactionsParamsType = z.infer<typeof StoreGetLedgerTransactionsParams>

/**
 * Query of `GET /store/orders/:id/balance`: `fields` from the public balance keys only.
 *
 * @example
 * // GET /store/orders/order_123/balance?fields=formatted_outstanding_amount,status
 */
export const StoreGetOrderBalanceParams = createSelectParams().extend({
  fields: StoreFieldsParam(storeBalanceKeys),
})
export type StoreGetOrderBalanceParamsType = z.infer<typeof StoreGetOrderBalanceParams>
