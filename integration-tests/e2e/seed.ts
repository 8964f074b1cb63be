import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createUsersWorkflow } from "@medusajs/medusa/core-flows"
import { writeFileSync } from "fs"

/**
 * `medusa exec integration-tests/e2e/seed.ts`: the browser test's fixtures, in one boot.
 * Creates the admin login (as `medusa user` does) and three orders through the Order module (the
 * one the test works on: $190.00), then writes `{ order_id, other_order_ids, email, password }`
 * to `E2E_SEED_OUT`.
 */
export default async function seedE2e({ container }: ExecArgs) {
  const email = process.env.E2E_ADMIN_EMAIL ?? "admin@ledger.test"
  const password = process.env.E2E_ADMIN_PASSWORD ?? "supersecret"
  const out = process.env.E2E_SEED_OUT
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)

  const { result: users } = await createUsersWorkflow(container).run({
    input: { users: [{ email, first_name: "Ledger", last_name: "Admin" }] },
  })
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } })
  if (error || !authIdentity) {
    throw new Error(`Could not register the admin login: ${error}`)
  }
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: users[0].id } })

  const orderModule = container.resolve(Modules.ORDER)
  const orders = await orderModule.createOrders([
    {
      currency_code: "usd",
      email: "ada@example.com",
      items: [{ title: "Walnut desk", quantity: 1, unit_price: 190 }],
    },
    {
      currency_code: "usd",
      email: "grace@example.com",
      items: [{ title: "Desk lamp", quantity: 2, unit_price: 37.75 }],
    },
    {
      currency_code: "jpy",
      email: "kenji@example.jp",
      items: [{ title: "Tea set", quantity: 1, unit_price: 12000 }],
    },
  ])
  // createOrders does not promise to answer in the order it was given: pick each order by email.
  const byEmail = new Map(orders.map((o) => [o.email, o.id]))
  const ids = ["ada@example.com", "grace@example.com", "kenji@example.jp"].map((e) => byEmail.get(e) as string)
  logger.info(`e2e seed: orders ${ids.join(", ")}, admin ${email}`)
  if (out) {
    writeFileSync(out, JSON.stringify({ order_id: ids[0], other_order_ids: ids.slice(1), email, password }))
  }
}
