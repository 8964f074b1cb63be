import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateLedgerBody, validateLedgerQuery } from "../../utils/http"
import {
  listLedgerWebhookDeliveryQueryConfig,
  listLedgerWebhookQueryConfig,
  retrieveLedgerWebhookQueryConfig,
} from "./query-config"
import {
  AdminCreateLedgerWebhook,
  AdminGetLedgerWebhookDeliveriesParams,
  AdminGetLedgerWebhookParams,
  AdminGetLedgerWebhooksParams,
  AdminUpdateLedgerWebhook,
} from "./validators"

/**
 * The webhook routes' validation. Like every `/admin` route they answer 401 without an admin
 * session, bearer token or secret API key.
 */
export const adminLedgerWebhooksMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/ledger-webhooks",
    middlewares: [validateLedgerQuery(AdminGetLedgerWebhooksParams, listLedgerWebhookQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/ledger-webhooks",
    middlewares: [validateLedgerBody(AdminCreateLedgerWebhook)],
  },
  {
    method: ["GET"],
    matcher: "/admin/ledger-webhooks/:id",
    middlewares: [validateLedgerQuery(AdminGetLedgerWebhookParams, retrieveLedgerWebhookQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/ledger-webhooks/:id",
    middlewares: [
      validateLedgerBody(AdminUpdateLedgerWebhook),
      validateLedgerQuery(AdminGetLedgerWebhookParams, retrieveLedgerWebhookQueryConfig),
    ],
  },
  {
    method: ["GET"],
    matcher: "/admin/ledger-webhooks/:id/deliveries",
    middlewares: [validateLedgerQuery(AdminGetLedgerWebhookDeliveriesParams, listLedgerWebhookDeliveryQueryConfig)],
  },
]
