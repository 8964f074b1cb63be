import { Module } from "@medusajs/framework/utils"
import LedgerWebhooksModuleService from "./service"

/** The webhooks module's key: `container.resolve(LEDGER_WEBHOOKS_MODULE)`. */
export const LEDGER_WEBHOOKS_MODULE = "ledger_webhooks"

export default Module(LEDGER_WEBHOOKS_MODULE, {
  service: LedgerWebhooksModuleService,
})

export { LedgerWebhooksModuleService }
export * from "./types"
export * from "./errors"
export { generateWebhookSecret, signatureHeader, verifyLedgerSignature, SIGNATURE_HEADER, WEBHOOK_ID_HEADER } from "./signing"
