/**
 * The reliability suite's event counter: a subscriber of the ledger's two events that writes one
 * row per delivery into `reliability_event_log` (created by the suite), with the server process
 * that received it. The suite copies this file into a throwaway plugin
 * (`<runtime>/counter/.medusa/server/src/subscribers/`) that the host config loads, so both
 * server processes run it and the suite can count how often each change was delivered.
 * Plain JavaScript with no imports: it is loaded from outside the repository's sources.
 */
async function countLedgerEvents({ event, container }) {
  const pg = container.resolve("__pg_connection__")
  const data = event.data || {}
  await pg.raw(
    `INSERT INTO reliability_event_log (event_name, entity_id, order_id, process) VALUES (?, ?, ?, ?)`,
    [event.name, data.id || null, data.order_id || null, process.env.RELIABILITY_PROCESS_NAME || String(process.pid)]
  )
}

exports.default = countLedgerEvents
exports.config = {
  event: ["order_transaction.created", "order_transaction.updated"],
  context: { subscriberId: "reliability-count-ledger-events" },
}
