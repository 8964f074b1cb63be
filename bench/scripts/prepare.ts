import type { ExecArgs } from "@medusajs/framework/types"
import { ApiKeyType, ContainerRegistrationKeys, Modules, generateJwtToken } from "@medusajs/framework/utils"
import { writeFileSync } from "fs"
import { ORDER_LEDGER_MODULE } from "../../src/modules/order-ledger"
import type OrderLedgerModuleService from "../../src/modules/order-ledger/service"

const CHUNK = 2000

/**
 * `medusa exec bench/scripts/prepare.ts` (run by `bench/run.js` after the SQL seed): computes
 * every order's stored balance with the ledger service's own `refreshBalances` (the same SQL each
 * write runs), from Medusa's current order total, in chunks of 2,000 orders; then creates a
 * secret API key and an admin user's JWT for the HTTP measurements. Writes
 * `{ token, jwt, refreshed, refresh_ms }` to `BENCH_OUT`.
 */
export default async function prepareBench({ container }: ExecArgs) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const started = Date.now()
  let after = ""
  let refreshed = 0
  for (;;) {
    const { rows } = (await pg.raw(
      `SELECT o.id, o.currency_code, s.totals->'raw_current_order_total'->>'value' AS total
       FROM "order" o
       JOIN order_summary s ON s.order_id = o.id AND s.version = o.version AND s.deleted_at IS NULL
       WHERE o.deleted_at IS NULL AND o.id > ? ORDER BY o.id LIMIT ${CHUNK}`,
      [after]
    )) as { rows: { id: string; currency_code: string; total: string }[] }
    if (!rows.length) {
      break
    }
    await ledger.refreshBalances(rows.map((r) => ({ id: r.id, currency_code: r.currency_code, total: r.total })))
    refreshed += rows.length
    after = rows[rows.length - 1].id
  }
  const refreshMs = Date.now() - started

  // Two ways an admin client signs its requests: a secret API key (an accountant's sync app) and
  // the JWT a dashboard login answers (signed with the store's own secret, as the login route does).
  const apiKeys = container.resolve(Modules.API_KEY)
  const key = await apiKeys.createApiKeys({ title: "Benchmark", type: ApiKeyType.SECRET, created_by: "bench" })
  const user = await container.resolve(Modules.USER).createUsers({ email: "bench@ledger.test" })
  const identity = await container.resolve(Modules.AUTH).createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: "bench@ledger.test" }],
    app_metadata: { user_id: user.id },
  })
  const { jwtSecret } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig.http
  const jwt = generateJwtToken(
    { actor_id: user.id, actor_type: "user", auth_identity_id: identity.id, app_metadata: { user_id: user.id } },
    { secret: jwtSecret, expiresIn: "1d" }
  )
  const out = { token: key.token, jwt, refreshed, refresh_ms: refreshMs }
  if (process.env.BENCH_OUT) {
    writeFileSync(process.env.BENCH_OUT, JSON.stringify(out))
  }
}
