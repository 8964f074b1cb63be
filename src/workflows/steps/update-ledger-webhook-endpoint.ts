import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { LEDGER_WEBHOOKS_MODULE, type UpdateLedgerWebhookInput } from "../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../modules/ledger-webhooks/service"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/**
 * Input of {@link updateLedgerWebhookEndpointStep}: the endpoint and the fields to set.
 *
 * @example
 * const input: UpdateLedgerWebhookEndpointStepInput = { id: "olwh_123", enabled: false }
 */
export type UpdateLedgerWebhookEndpointStepInput = UpdateLedgerWebhookInput

/** The fields an update can change. */
const UPDATABLE = ["url", "events", "description", "enabled"] as const

export const updateLedgerWebhookEndpointStepId = "update-ledger-webhook-endpoint"

/**
 * Sets an endpoint's url, events, description or enabled (`NOT_FOUND` for an unknown or deleted
 * id). Disabling pauses it: its cursor and pending deliveries wait, and enabling resumes where it
 * stopped. Compensation puts the fields back as they were.
 *
 * @example
 * updateLedgerWebhookEndpointStep({ id: "olwh_123", url: "https://books.example.com/v2/ledger" })
 */
export const updateLedgerWebhookEndpointStep = createStep(
  updateLedgerWebhookEndpointStepId,
  async (input: UpdateLedgerWebhookEndpointStepInput, { container }) => {
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    const [before] = await webhooks.listLedgerWebhookEndpoints({ id: input.id }, { select: ["id", ...UPDATABLE], take: 1 })
    if (!before) {
      ledgerError(LedgerErrorCode.NOT_FOUND, `Webhook with id: ${input.id} was not found.`)
    }
    const { id, ...fields } = input
    const changes = Object.fromEntries(
      Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, key === "events" ? ((value as string[] | null)?.length ? [...new Set(value as string[])] : null) : value])
    )
    if (Object.keys(changes).length) {
      await webhooks.updateLedgerWebhookEndpoints({ id, ...changes })
    }
    const previous = { id: before.id, url: before.url, events: before.events, description: before.description, enabled: before.enabled }
    return new StepResponse(previous, previous)
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    await webhooks.updateLedgerWebhookEndpoints(previous)
  }
)
