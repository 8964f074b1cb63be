/**
 * How the ledger's workflows take Medusa's lock on an order's ledger, with Medusa's own
 * `acquireLockStep` / `releaseLockStep` and `locking.execute`. The lock is an extra: the guarantee
 * is the row lock the module takes in the database, which holds across processes whatever the
 * locking provider. In a workflow run as a step of another, `acquireLockStep` is skipped, so an
 * exported ledger workflow nested in one that holds the same key never waits on itself.
 */

/** The locking-module key of an order's ledger. */
export const ledgerLockKey = (orderId: string) => `order-ledger:${orderId}`

/** The keys of some orders' ledgers, each once, sorted so two writers never deadlock. */
export const ledgerLockKeys = (orderIds: string[]) => [...new Set(orderIds)].sort().map(ledgerLockKey)

/**
 * The options of `acquireLockStep`: wait up to 5 s, polling every 20 ms (Medusa's 0.3 s default
 * lets about a third of 40 contenders time out), and let the lock lapse 30 s after its holder died.
 */
export const LEDGER_LOCK_OPTIONS = { timeout: 5, retryInterval: 0.02, ttl: 30 } as const
