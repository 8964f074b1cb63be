import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, generateJwtToken } from "@medusajs/framework/utils"

export const ADMIN_EMAIL = "admin@ledger.test"

/**
 * Creates an admin user with an emailpass identity and answers request options with a bearer
 * token signed by the store's own JWT secret, as `POST /auth/user/emailpass` would issue.
 */
export async function createAdminHeaders(container: MedusaContainer, email = ADMIN_EMAIL) {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const [existing] = await userModule.listUsers({ email })
  const user = existing ?? (await userModule.createUsers({ email }))
  const identity = await authModule.createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: `${email}-${Date.now()}-${Math.random()}` }],
    app_metadata: { user_id: user.id },
  })
  const config = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  const { jwtSecret, jwtExpiresIn } = config.projectConfig.http
  const token = generateJwtToken(
    {
      actor_id: user.id,
      actor_type: "user",
      auth_identity_id: identity.id,
      app_metadata: { user_id: user.id },
    },
    { secret: jwtSecret, expiresIn: jwtExpiresIn ?? "1d" }
  )
  return { headers: { authorization: `Bearer ${token}` } }
}
