import { AsyncLocalStorage } from "node:async_hooks"

/**
 * Who is acting on the ledger, for its change log: set once where work enters the plugin (the
 * admin and store routes' middleware, each subscriber, job and background reconcile) and read by
 * the ledger service when it opens a write, which hands it to the database with the transaction
 * (`order_ledger.actor`). Carried with Node's AsyncLocalStorage, so it follows the request through
 * Medusa's workflow engine into the module without every workflow input repeating it.
 */

/** Who made a change: an admin user, a secret API key, a customer, or the system (a subscriber, job or reconcile, by name). */
export interface LedgerActor {
  type: "user" | "api_key" | "customer" | "system"
  id: string
}

/** What a change is attributed to: its actor and the request's `Idempotency-Key`. */
export interface LedgerActorContext {
  actor: LedgerActor
  idempotency_key?: string | null
}

const storage = new AsyncLocalStorage<LedgerActorContext>()

/** The actor when nothing set one: the ledger itself. */
export const LEDGER_SYSTEM_ACTOR: LedgerActor = { type: "system", id: "order-ledger" }

/** A system actor by the name of what runs: `subscriber:…`, `job:…`, `reconcile:olrec_…`. */
export const systemActor = (name: string): LedgerActor => ({ type: "system", id: name })

/**
 * Runs `fn` with `context` as the acting one (nested calls see the innermost).
 * @example
 * await withLedgerActor({ actor: systemActor("job:order-ledger-reconcile") }, () => workflow.run({ input }))
 */
export function withLedgerActor<T>(context: LedgerActorContext, fn: () => T): T {
  return storage.run(context, fn)
}

/** The acting one here, or the system. */
export function currentLedgerActor(): LedgerActorContext {
  return storage.getStore() ?? { actor: LEDGER_SYSTEM_ACTOR }
}

/** Medusa's `auth_context.actor_type` as the change log names it (`api-key` → `api_key`). */
export function actorFromAuthContext(auth?: { actor_id?: string; actor_type?: string } | null): LedgerActor | null {
  if (!auth?.actor_id) {
    return null
  }
  const type = auth.actor_type === "api-key" ? "api_key" : auth.actor_type
  return type === "user" || type === "api_key" || type === "customer" ? { type, id: auth.actor_id } : null
}
