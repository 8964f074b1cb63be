import { StatusBadge } from "@medusajs/ui"
import type { LedgerWebhook, LedgerWebhookDelivery } from "../../hooks/ledger-webhooks"

/** An endpoint's state: disabled, failing (a delivery was given up after 3 days) or active. */
export function WebhookStatusBadge({ webhook }: { webhook: Pick<LedgerWebhook, "enabled" | "status"> }) {
  if (!webhook.enabled) {
    return (
      <StatusBadge color="grey" data-testid="ledger-webhook-status" data-status="disabled">
        Disabled
      </StatusBadge>
    )
  }
  return webhook.status === "failing" ? (
    <StatusBadge color="red" data-testid="ledger-webhook-status" data-status="failing">
      Failing
    </StatusBadge>
  ) : (
    <StatusBadge color="green" data-testid="ledger-webhook-status" data-status="active">
      Active
    </StatusBadge>
  )
}

const DELIVERY_STATUS: Record<LedgerWebhookDelivery["status"], { label: string; color: "orange" | "green" | "red" }> = {
  pending: { label: "Pending", color: "orange" },
  succeeded: { label: "Delivered", color: "green" },
  failed: { label: "Failed", color: "red" },
}

/** A delivery's state. */
export function DeliveryStatusBadge({ status }: { status: LedgerWebhookDelivery["status"] }) {
  const { label, color } = DELIVERY_STATUS[status] ?? { label: status, color: "orange" }
  return (
    <StatusBadge color={color} className="whitespace-nowrap" data-testid="ledger-delivery-status" data-status={status}>
      {label}
    </StatusBadge>
  )
}

/** The change types an endpoint receives, as a short text. */
export function eventsText(events: LedgerWebhook["events"]): string {
  return events?.length ? events.join(", ") : "All changes"
}
