import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The development and test host: a store that loads the plugin's sources from `src/` directly
 * (no build). Stores that install the package use `plugins: [{ resolve: "medusa-plugin-order-ledger" }]`.
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
    // Local demo over plain http: a Secure cookie would be dropped by the browser.
    cookieOptions: { secure: false },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLE !== "false",
  },
  modules: [
    {
      resolve: "./src/modules/order-ledger",
      options: {
        lockTimeoutMs: process.env.ORDER_LEDGER_LOCK_TIMEOUT_MS
          ? Number(process.env.ORDER_LEDGER_LOCK_TIMEOUT_MS)
          : undefined,
      },
    },
    {
      resolve: "./src/modules/ledger-webhooks",
      options: {
        webhooks: {
          allow_private_targets: process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS
            ? process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS === "true"
            : undefined,
        },
      },
    },
  ],
})
