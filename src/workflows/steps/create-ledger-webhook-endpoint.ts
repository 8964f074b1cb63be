import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LEDGER_WEBHOOKS_MODULE, type LedgerChangeFeed, type LedgerWebhookRow } from "../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../modules/ledger-webhooks/service"
import { generateWebhookSecret } from "../../modules/ledger-webhooks/signing"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type { LedgerChangeType } from "../../modules/order-ledger/types"

/**
 * Input of {@link createLedgerWebhookEndpointStep}.
 *
 * @example
 * const input: CreateLedgerWebhookEndpointStepInput = {
 *   url: "https://books.example.com/ledger",
 *   events: ["order_transaction.created"],
 *   description: "Accounting sync",
 * }
 */
export type CreateLedgerWebhookEndpointStepInput = {
  url: string
  /** The change types it receives; null, [] or left out is every type. */
  events?: LedgerChangeType[] | null
  description?: string | null
}

export const createLedgerWebhookEndpointStepId = "create-ledger-webhook-endpoint"

/**
 * Creates a webhook endpoint with a new secret (`whsec_…`), its fan-out starting at the end of
 * the change feed now: it receives the changes made from its creation on. Answers the endpoint
 * with its secret. Compensation deletes it.
 *
 * @example
 * const webhook = createLedgerWebhookEndpointStep({ url: "https://books.example.com/ledger" })
 */
export const createLedgerWebhookEndpointStep = createStep(
  createLedgerWebhookEndpointStepId,
  async (input: CreateLedgerWebhookEndpointStepInput, { container }) => {
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    const feed = container.resolve<LedgerChangeFeed>(ORDER_LEDGER_MODULE)
    const cursor = await webhooks.feedEndCursor(feed)
    const created = await webhooks.createLedgerWebhookEndpoints({
      url: input.url,
      events: input.events?.length ? [...new Set(input.events)] : null,
      description: input.description ?? null,
      secret: generateWebhookSecret(),
      cursor,
    })
    return new StepResponse(created as LedgerWebhookRow, created.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    await webhooks.deleteLedgerWebhookEndpoints(id)
  }
)
