import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { LEDGER_WEBHOOK_EVENTS, LedgerWebhookDeliveryStatus, LedgerWebhookStatus } from "../../../modules/ledger-webhooks/types"
import { urlProblem } from "../../../modules/ledger-webhooks/targets"
import { namedText } from "../order-transactions/validators"

/** The longest url an endpoint may have. */
export const MAX_WEBHOOK_URL_LENGTH = 2048

/** A webhook url: absolute http(s), no credentials; the address check runs in the workflow. */
const webhookUrl = z
  .string({ error: "url must be a string" })
  .min(1, "url must not be empty")
  .max(MAX_WEBHOOK_URL_LENGTH, `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const problem = urlProblem(value)
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem })
    }
  })

/** The change types to receive: each at most once; null or [] is every type. */
const webhookEvents = z
  .array(
    z.enum(LEDGER_WEBHOOK_EVENTS, { error: `events must each be one of ${LEDGER_WEBHOOK_EVENTS.join(", ")}` }),
    { error: "events must be a list of change types" }
  )
  .max(LEDGER_WEBHOOK_EVENTS.length, `events may name each of the ${LEDGER_WEBHOOK_EVENTS.length} change types once`)
  .nullish()

/** Body of `POST /admin/ledger-webhooks`. */
export const AdminCreateLedgerWebhook = z
  .object({
    url: webhookUrl,
    events: webhookEvents,
    description: namedText("description", 500).nullish(),
  })
  .strict()
export type AdminCreateLedgerWebhookType = z.infer<typeof AdminCreateLedgerWebhook>

/** Body of `POST /admin/ledger-webhooks/:id`. */
export const AdminUpdateLedgerWebhook = z
  .object({
    url: webhookUrl.optional(),
    events: webhookEvents,
    description: namedText("description", 500).nullish(),
    enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
  })
  .strict()
export type AdminUpdateLedgerWebhookType = z.infer<typeof AdminUpdateLedgerWebhook>

/** Query of `GET /admin/ledger-webhooks`. */
export const AdminGetLedgerWebhooksParams = createFindParams({ limit: 20, offset: 0 }).merge(
  z.object({ status: z.enum([LedgerWebhookStatus.ACTIVE, LedgerWebhookStatus.FAILING]).optional() })
)
export type AdminGetLedgerWebhooksParamsType = z.infer<typeof AdminGetLedgerWebhooksParams>

/** Query of `GET /admin/ledger-webhooks/:id` (and of the update's answer). */
export const AdminGetLedgerWebhookParams = createSelectParams()
export type AdminGetLedgerWebhookParamsType = z.infer<typeof AdminGetLedgerWebhookParams>

/** Query of `GET /admin/ledger-webhooks/:id/deliveries`. */
export const AdminGetLedgerWebhookDeliveriesParams = createFindParams({ limit: 20, offset: 0 }).merge(
  z.object({
    status: z
      .enum([
        LedgerWebhookDeliveryStatus.PENDING,
        LedgerWebhookDeliveryStatus.SUCCEEDED,
        LedgerWebhookDeliveryStatus.FAILED,
      ])
      .optional(),
    change_id: z.string().min(1).max(64).optional(),
  })
)
export type AdminGetLedgerWebhookDeliveriesParamsType = z.infer<typeof AdminGetLedgerWebhookDeliveriesParams>
