import path from "path"
import { defineConfig } from "@medusajs/framework/utils"

/**
 * A store that installs the plugin the way its README says: a `plugins` entry and nothing else.
 * No `modules` entry for the ledger: the module, its links, routes, workflows and subscribers
 * all come from the built package (`.medusa/server`, made by `medusa plugin:build`).
 * `resolve` is the repository root here; in a store it is the package name.
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: "plugin-form-secret",
      cookieSecret: "plugin-form-secret",
    },
  },
  admin: { disable: true },
  plugins: [
    {
      resolve: path.resolve(__dirname, "../../.."),
      options: {},
    },
  ],
})
