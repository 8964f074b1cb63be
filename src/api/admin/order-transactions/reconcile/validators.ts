import { z } from "@medusajs/framework/zod"

/**
 * The most orders one reconcile request names. Named orders are reconciled within the request;
 * leave `order_ids` out to reconcile every order in the background (202 and a run to poll).
 */
export const MAX_RECONCILE_ORDER_IDS = 1000

/** Body of `POST /admin/order-transactions/reconcile`. */
export const AdminReconcileLedgerTransactions = z
  .object({
    order_ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_RECONCILE_ORDER_IDS).optional(),
  })
  .strict()
export type AdminReconcileLedgerTransactionsType = z.infer<typeof AdminReconcileLedgerTransactions>
