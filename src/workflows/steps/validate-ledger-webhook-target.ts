import { createStep } from "@medusajs/framework/workflows-sdk"
import { LEDGER_WEBHOOKS_MODULE } from "../../modules/ledger-webhooks"
import type LedgerWebhooksModuleService from "../../modules/ledger-webhooks/service"

/**
 * Input of {@link validateLedgerWebhookTargetStep}.
 *
 * @example
 * const input: ValidateLedgerWebhookTargetStepInput = { url: "https://books.example.com/ledger" }
 */
export type ValidateLedgerWebhookTargetStepInput = { url: string }

export const validateLedgerWebhookTargetStepId = "validate-ledger-webhook-target"

/**
 * Refuses a webhook url that may not receive deliveries: not http(s) or with credentials
 * (`INVALID_DATA`); unless the module option `webhooks.allow_private_targets` is on, a host that
 * does not resolve (`WEBHOOK_TARGET_UNRESOLVABLE`) or resolves to any private, loopback,
 * link-local, unique-local or unspecified address (`WEBHOOK_TARGET_NOT_ALLOWED`). The same check
 * runs again when each delivery connects.
 *
 * @example
 * validateLedgerWebhookTargetStep({ url: input.url })
 */
export const validateLedgerWebhookTargetStep = createStep(
  validateLedgerWebhookTargetStepId,
  async (input: ValidateLedgerWebhookTargetStepInput, { container }) => {
    const webhooks = container.resolve<LedgerWebhooksModuleService>(LEDGER_WEBHOOKS_MODULE)
    await webhooks.checkTarget(input.url)
  }
)
