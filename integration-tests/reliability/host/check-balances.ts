import type { ExecArgs } from "@medusajs/framework/types"
import { BALANCE_MONEY_FIELDS } from "../../../src/utils/constants"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { writeFileSync } from "fs"
import { ORDER_LEDGER_MODULE } from "../../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../../src/modules/order-ledger/service"

const FIGURES = BALANCE_MONEY_FIELDS

/**
 * `medusa exec integration-tests/reliability/host/check-balances.ts` (run by the reliability
 * suite after its faults, with `MEDUSA_WORKER_MODE=server` so it consumes no events): compares
 * every stored balance with the ledger service's `computeBalancesFromLedger()` (a recompute from
 * the ledger rows) and writes `{ checked, computed, mismatches }` to `RELIABILITY_OUT`.
 */
export default async function checkBalances({ container }: ExecArgs) {
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const computed = await ledger.computeBalancesFromLedger()
  const { rows: stored } = (await pg.raw(
    `SELECT order_id, currency_code, status, ${FIGURES.map((f) => `${f}::text AS ${f}`).join(", ")}
     FROM ledger_balance WHERE deleted_at IS NULL`
  )) as { rows: Record<string, string>[] }
  const byOrder = new Map(stored.map((row) => [row.order_id, row]))
  const mismatches: { order_id: string; field: string; stored: string | null; computed: string }[] = []
  for (const balance of computed) {
    const row = byOrder.get(balance.order_id)
    if (!row) {
      mismatches.push({ order_id: balance.order_id, field: "row", stored: null, computed: "present" })
      continue
    }
    for (const field of FIGURES) {
      const value = String(balance[field])
      if (!MathBN.eq(row[field], value)) {
        mismatches.push({ order_id: balance.order_id, field, stored: row[field], computed: value })
      }
    }
    if (row.status !== balance.status) {
      mismatches.push({ order_id: balance.order_id, field: "status", stored: row.status, computed: String(balance.status) })
    }
  }
  const out = { checked: stored.length, computed: computed.length, mismatches }
  if (process.env.RELIABILITY_OUT) {
    writeFileSync(process.env.RELIABILITY_OUT, JSON.stringify(out))
  }
}
