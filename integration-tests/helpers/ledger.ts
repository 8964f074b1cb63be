import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"

/** The ledger module's service. */
export const ledgerService = (container: MedusaContainer) =>
  container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)

/** Every ledger row of an order, straight from the table. */
export async function ledgerRows(container: MedusaContainer, orderId: string) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  return (await pg.raw(
    `SELECT id, kind, status, amount::text AS amount, parent_id, reference, reference_id, external_id
     FROM ledger_transaction WHERE order_id = ? ORDER BY created_at, id`,
    [orderId]
  )).rows as Record<string, string | null>[]
}

/** The stored balance row of an order, figures as exact strings. */
export async function storedBalance(container: MedusaContainer, orderId: string) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(
    `SELECT order_id, currency_code, order_total::text, paid_total::text, refunded_total::text,
       chargeback_total::text, reversed_total::text, authorized_total::text, pending_total::text, net_paid::text,
       outstanding_amount::text, status
     FROM ledger_balance WHERE order_id = ? AND deleted_at IS NULL`,
    [orderId]
  )
  return rows[0] as Record<string, string> | undefined
}

/** Medusa's own order summary (`pending_difference` etc.) through Query. */
export async function medusaSummary(container: MedusaContainer, orderId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "summary.*"], filters: { id: orderId } })
  return (data[0] as unknown as { summary: Record<string, number> }).summary
}

/** Normalises a decimal string for comparison ("90.00" → "90"). */
export const dec = (value: string | number) => {
  const s = String(value)
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s
}

/** The references of rows that mirror Medusa's own records. */
export const MIRRORED_REFERENCES = ["payment", "capture", "refund", "payment_canceled"]

/** Deletes the rows that mirror Medusa's records, as a lost event or a bad migration would. */
export async function deleteMirroredRows(container: MedusaContainer, orderIds: string[]): Promise<number> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const result = await pg.raw(
    `DELETE FROM ledger_transaction WHERE order_id = ANY(?::text[]) AND reference = ANY(?::text[])`,
    [`{${orderIds.join(",")}}`, `{${MIRRORED_REFERENCES.join(",")}}`]
  )
  return result.rowCount
}
