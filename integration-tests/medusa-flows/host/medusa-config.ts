import { defineConfig } from "@medusajs/framework/utils"

/**
 * The store WITHOUT the plugin, for `medusa-flows.spec.ts`: the dev host's project config
 * (`../../../medusa-config.ts`) with the same options, minus the order-ledger module. Medusa takes
 * a project's API routes, subscribers, links, jobs and workflows from `<project root>/src`; the
 * project root here is this folder, which has no `src/`, so none of the plugin's code loads.
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server") || "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
    cookieOptions: { secure: false },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLE !== "false",
  },
  modules: [],
})
