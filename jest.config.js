const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

/**
 * One jest run for every level: unit (pure money and rules), modules (the ledger module on a real
 * PostgreSQL with the real migrations), http (a real Medusa boot and real HTTP calls) and plugin
 * (the built package loaded the way stores load it). `npm test` runs them all; pass a path to run one.
 */
module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: "es2022",
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  testMatch: ["<rootDir>/integration-tests/**/*.spec.ts"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
  testTimeout: 120000,
}
