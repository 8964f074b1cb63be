const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

// Each suite boots its own Medusa: clear MikroORM's global entity metadata between them.
MetadataStorage.clear()

// Before every test, medusaIntegrationTestRunner recreates the database from its template
// (DROP DATABASE … WITH (FORCE)), which ends the app's idle pooled connections from the server
// side. knex notices each dead one when the pool next hands it out, throws it away, opens a new
// one, and says so on console.log (knex's default logger, as Medusa configures none): a
// "Connection Error: Connection ended unexpectedly" per connection per test. Those lines are the
// expected consequence of the restore, not failures (a query on a broken connection still
// rejects and fails its test), so they are dropped unless LOG_LEVEL asks for warnings.
const VERBOSE_LEVELS = new Set(["warn", "info", "http", "verbose", "debug", "silly"])
if (!VERBOSE_LEVELS.has(String(process.env.LOG_LEVEL || "error").toLowerCase())) {
  const KnexLogger = require("knex/lib/logger")
  const SERVER_ENDED =
    /^Connection Error: (?:Error: )?(?:Connection ended unexpectedly|Connection terminated unexpectedly|error: terminating connection due to administrator command)/
  const warn = KnexLogger.prototype.warn
  KnexLogger.prototype.warn = function (message) {
    if (typeof message === "string" && SERVER_ENDED.test(message)) {
      return
    }
    return warn.call(this, message)
  }

  // Medusa's User module migration says this on console.info every time it runs, i.e. once per
  // suite that boots Medusa on a fresh database: advice for stores with duplicate user emails,
  // which a test database never has.
  const USER_EMAIL_NOTE = 'Note: If the index "IDX_user_email" fails to create'
  const info = console.info
  console.info = function (...args) {
    if (typeof args[0] === "string" && args[0].startsWith(USER_EMAIL_NOTE)) {
      return
    }
    return info.apply(this, args)
  }
}
