import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { LedgerChange } from "../../modules/order-ledger/types"
import { coalescedRunner } from "./coalesce"

/**
 * The ledger's Medusa events come from its change log, not from the workflows: a publisher
 * follows the change feed with its own position (consumer `medusa-events`) and emits one event
 * per change, then moves the position, in one database transaction that holds the position's
 * row. A crash after a write commits delays its events until the next publish (the
 * `order-ledger-publish-changes` job runs every second; each write workflow asks for one at its
 * end) and never loses them; a crash between emitting and moving the position emits those again,
 * with the same `change_id`. Several processes publish safely: one holds the position at a time.
 */

/** The change feed consumer that emits Medusa events. */
export const MEDUSA_EVENTS_CONSUMER = "medusa-events"

/** Changes per page; one publish goes on while pages come full, up to 20 of them. */
const PAGE = 500
const MAX_PAGES = 20

/**
 * The Medusa event of a change: named by its type, with `id` the changed record's id (the
 * transaction's or the balance's, as Medusa's own events carry), and the change itself.
 *
 * @example
 * // { name: "order_transaction.updated", data: { id: "oltx_…", order_id: "order_…", change_id: "olchg_…",
 * //   version: 2, actor: { type: "user", id: "user_…" }, object: { …, status: "succeeded" }, previous: { status: "pending" } } }
 */
export function ledgerChangeEvent(change: LedgerChange) {
  return {
    name: change.type,
    data: {
      id: change.resource_id,
      order_id: change.order_id,
      change_id: change.id,
      version: change.version,
      actor: change.actor,
      idempotency_key: change.idempotency_key,
      object: change.data.object,
      previous: change.data.previous,
    },
  }
}

/** Emits the events of every final change not yet published. Answers how many it emitted. */
export async function publishLedgerChanges(container: MedusaContainer): Promise<number> {
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  const eventBus = container.resolve(Modules.EVENT_BUS)
  let published = 0
  for (let page = 0; page < MAX_PAGES; page++) {
    const handed = await ledger.consumeChanges(MEDUSA_EVENTS_CONSUMER, PAGE, async (changes) => {
      await eventBus.emit(changes.map(ledgerChangeEvent))
    })
    if (handed <= 0) {
      break
    }
    published += handed
    if (handed < PAGE) {
      break
    }
  }
  return published
}

/** This process's publishing: one run at a time; a failed one is logged, and the job publishes what it left. */
const publishRound = coalescedRunner(async (container) => {
  try {
    await publishLedgerChanges(container)
  } catch (error) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`Order ledger: publishing changes as events failed (the job retries): ${(error as Error).message}`)
  }
  return false
})

/**
 * Asks for a publish soon, without waiting for it: requests that come while one runs make one
 * more run after it, so a change committed meanwhile is not left for the job.
 */
export function requestLedgerChangesPublish(container: MedusaContainer): void {
  void publishRound(container)
}
