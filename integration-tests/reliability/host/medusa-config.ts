import path from "path"
import { defineConfig } from "@medusajs/framework/utils"

/**
 * The reliability suite's store: Medusa as a store runs it on several server processes, with
 * Redis for events, workflows, locks, cache and sessions, and the ledger loaded from the
 * plugin's sources (`src/`). The suite (integration-tests/reliability/cluster.ts) starts two
 * `medusa start` processes on this config from a runtime directory whose `src` links to the
 * repository's `src/`, so routes, links, workflows and subscribers are the plugin's own.
 *
 * Environment, all set by the suite:
 * - `DATABASE_URL`: the suite's own fresh database;
 * - `RELIABILITY_REDIS_URL` (the Redis the suite chose, never a default) and `RELIABILITY_REDIS_PREFIX`:
 *   every queue, lock and cache key carries the prefix, so parallel runs on one Redis don't meet;
 * - `RELIABILITY_COUNTER_PLUGIN`: a plugin directory whose subscriber counts the ledger's events;
 * - `MEDUSA_WORKER_MODE`: `shared` for the servers (API + subscribers), `server` for checks.
 */
const redisUrl = process.env.RELIABILITY_REDIS_URL
if (!redisUrl) {
  throw new Error("RELIABILITY_REDIS_URL is not set: this host is started by integration-tests/reliability/cluster.ts")
}
const prefix = process.env.RELIABILITY_REDIS_PREFIX || "ledger-reliability"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    redisPrefix: `${prefix}:sess:`,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server") || "shared",
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "reliability-secret",
      cookieSecret: process.env.COOKIE_SECRET || "reliability-secret",
    },
  },
  admin: { disable: true },
  plugins: process.env.RELIABILITY_COUNTER_PLUGIN
    ? [{ resolve: process.env.RELIABILITY_COUNTER_PLUGIN, options: {} }]
    : [],
  modules: [
    {
      resolve: path.resolve(__dirname, "../../../src/modules/order-ledger"),
    },
    {
      resolve: path.resolve(__dirname, "../../../src/modules/ledger-webhooks"),
      options: {
        webhooks: {
          allow_private_targets: process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS
            ? process.env.ORDER_LEDGER_WEBHOOKS_ALLOW_PRIVATE_TARGETS === "true"
            : undefined,
        },
      },
    },
    {
      key: "cache",
      resolve: "@medusajs/cache-redis",
      options: { redisUrl, namespace: `${prefix}:cache` },
    },
    {
      key: "event_bus",
      resolve: "@medusajs/event-bus-redis",
      options: { redisUrl, queueName: `${prefix}-events` },
    },
    {
      key: "workflows",
      resolve: "@medusajs/workflow-engine-redis",
      options: {
        redis: { redisUrl, queueName: `${prefix}-workflows`, jobQueueName: `${prefix}-workflow-jobs` },
      },
    },
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [
          {
            resolve: "@medusajs/locking-redis",
            id: "locking-redis",
            is_default: true,
            options: { redisUrl, namespace: `${prefix}:lock:` },
          },
        ],
      },
    },
  ],
})
