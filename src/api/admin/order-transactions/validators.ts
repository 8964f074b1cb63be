import { z } from "@medusajs/framework/zod"
import {
  createFindParams,
  createOperatorMap,
  createSelectParams,
} from "@medusajs/medusa/api/utils/validators"
import {
  CARD_BRANDS,
  MAX_TRANSACTIONS_PER_BATCH,
  PAYMENT_METHODS,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
} from "../../../utils/constants"
import { MAX_CURSOR_LENGTH } from "../../../utils/list-cursor"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

/**
 * A positive amount: a JSON number or a decimal string ("19.99"); decimals are checked per
 * currency by the workflow. Messages name the field, which zod's custom messages otherwise don't.
 */
export const positiveAmount = (field: string) =>
  z.union([
    z.number({ error: `${field} must be a number greater than 0` }).positive(`${field} must be greater than 0`).finite(),
    z.string().regex(/^\d+(\.\d+)?$/, `${field} must be a decimal number such as 19.99`),
  ])

/** A fee or other amount that may be 0. */
export const nonNegativeAmount = (field: string) =>
  z.union([
    z.number({ error: `${field} must be a number` }).nonnegative(`${field} must be 0 or more`).finite(),
    z.string().regex(/^\d+(\.\d+)?$/, `${field} must be a decimal number such as 0.59`),
  ])

const text = (max: number) => z.string().min(1).max(max)

/** A non-empty text of at most `max` characters, with messages that name the field. */
export const namedText = (field: string, max: number) =>
  z.string().min(1, `${field} must not be empty`).max(max, `${field} must be at most ${max} characters`)

/** One transaction of a record call. */
export const AdminCreateLedgerTransaction = z
  .object({
    kind: z.enum(TRANSACTION_KINDS),
    status: z.enum(TRANSACTION_STATUSES).optional(),
    amount: positiveAmount("amount"),
    currency_code: z.string().regex(/^[a-zA-Z]{3}$/, "currency_code must be a 3-letter ISO 4217 code").optional(),
    reference: text(64).optional(),
    reference_id: text(255).nullish(),
    parent_id: text(64).nullish(),
    payment_method: z.enum(PAYMENT_METHODS).optional(),
    gateway: text(64).optional(),
    external_id: text(255).nullish(),
    fee: nonNegativeAmount("fee").nullish(),
    card_brand: z.enum(CARD_BRANDS).nullish(),
    card_last4: z.string().regex(/^\d{4}$/, "card_last4 must be 4 digits").nullish(),
    message: text(2000).nullish(),
    reason: text(2000).nullish(),
    note: text(2000).nullish(),
    occurred_at: z.iso.datetime({ offset: true }).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict()
export type AdminCreateLedgerTransactionType = z.infer<typeof AdminCreateLedgerTransaction>

/** Body of `POST /admin/orders/:id/transactions`. */
export const AdminCreateLedgerTransactions = z
  .object({
    transactions: z.array(AdminCreateLedgerTransaction).min(1).max(MAX_TRANSACTIONS_PER_BATCH),
  })
  .strict()
export type AdminCreateLedgerTransactionsType = z.infer<typeof AdminCreateLedgerTransactions>

/** Body of `POST /admin/order-transactions/:id`. */
export const AdminUpdateLedgerTransaction = z
  .object({
    status: z.enum(TRANSACTION_STATUSES).optional(),
    message: text(2000).nullish(),
    external_id: text(255).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict()
export type AdminUpdateLedgerTransactionType = z.infer<typeof AdminUpdateLedgerTransaction>

/** Filters shared by the transaction lists. */
export const TransactionFilterFields = z.object({
  id: oneOrMany(z.string()).optional(),
  kind: oneOrMany(z.enum(TRANSACTION_KINDS)).optional(),
  status: oneOrMany(z.enum(TRANSACTION_STATUSES)).optional(),
  reference: oneOrMany(z.string()).optional(),
  reference_id: oneOrMany(z.string()).optional(),
  payment_method: oneOrMany(z.enum(PAYMENT_METHODS)).optional(),
  gateway: oneOrMany(z.string()).optional(),
  parent_id: oneOrMany(z.string()).optional(),
  occurred_at: createOperatorMap().optional(),
  created_at: createOperatorMap().optional(),
  updated_at: createOperatorMap().optional(),
})

/**
 * `cursor` of the lists that page by keyset: empty (`cursor=`) for the first page, then the
 * previous answer's `next_cursor` unchanged. Decoded and checked against `order` by the route.
 */
export const ListCursorParam = z
  .string({ error: "cursor must be a string: empty for the first page, then the previous answer's next_cursor" })
  .max(MAX_CURSOR_LENGTH, `cursor must be at most ${MAX_CURSOR_LENGTH} characters`)
  .optional()

/** Query of `GET /admin/orders/:id/transactions`. */
export const AdminGetLedgerTransactionsParams = createFindParams({ limit: 50, offset: 0 }).merge(
  TransactionFilterFields
)
export type AdminGetLedgerTransactionsParamsType = z.infer<typeof AdminGetLedgerTransactionsParams>

/** Filters and offset paging of `GET /admin/order-transactions` (its export takes the filters). */
export const AdminGetTransactionsParams = createFindParams({ limit: 50, offset: 0 }).merge(
  TransactionFilterFields.extend({
    order_id: oneOrMany(z.string()).optional(),
    external_id: oneOrMany(z.string()).optional(),
    q: z.string().min(1).max(255).optional(),
  })
)
export type AdminGetTransactionsParamsType = z.infer<typeof AdminGetTransactionsParams>

/**
 * Query of `GET /admin/order-transactions`: the filters, and either offset paging (`offset`,
 * `limit`) or keyset paging (`cursor`, `limit`, `order` one of `created_at`, `updated_at`,
 * `occurred_at`, `id`).
 */
export const AdminListTransactionsParams = AdminGetTransactionsParams.extend({ cursor: ListCursorParam })
export type AdminListTransactionsParamsType = z.infer<typeof AdminListTransactionsParams>

/** Query of `GET /admin/order-transactions/:id`. */
export const AdminGetTransactionParams = createSelectParams()
export type AdminGetTransactionParamsType = z.infer<typeof AdminGetTransactionParams>
