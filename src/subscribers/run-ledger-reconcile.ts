import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LEDGER_RECONCILE_REQUESTED, reconcileErrorMessage } from "../workflows/steps/reconcile-order-batches"
import { reconcileLedgerTransactionsWorkflow } from "../workflows/workflows/reconcile-ledger-transactions"
import { systemActor, withLedgerActor } from "../utils/actor"

/**
 * Runs a reconcile of every order that `POST /admin/order-transactions/reconcile` started. It runs
 * here, in a subscriber, so it runs where Medusa runs subscribers: on the `worker` (or `shared`)
 * instances of a store that splits server and worker, never in the HTTP process that answered 202.
 *
 * The workflow is started and not awaited: with Medusa's Redis event bus a worker handles one
 * event at a time, and a reconcile of 100,000 orders takes minutes, during which that worker would
 * deliver no other event (order placed, payment captured…). The run reports its progress and its
 * end in its own row, so nothing needs this handler's promise; a run cut off by a shutdown stops
 * reporting and the next request supersedes it. An event delivered twice starts nothing twice:
 * the step picks a run up only once.
 */
export default async function runLedgerReconcileHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  void withLedgerActor({ actor: systemActor(`reconcile:${event.data.id}`) }, () =>
    reconcileLedgerTransactionsWorkflow(container).run({ input: { run_id: event.data.id } })
  )
    .catch((error: unknown) => logger.error(`Order ledger: reconcile run ${event.data.id} failed: ${reconcileErrorMessage(error)}`))
}

export const config: SubscriberConfig = {
  event: LEDGER_RECONCILE_REQUESTED,
  context: { subscriberId: "order-ledger-run-ledger-reconcile" },
}
