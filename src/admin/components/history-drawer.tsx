import { Badge, Drawer, Heading, Skeleton, Text } from "@medusajs/ui"
import { useAdminUsers, useTransactionHistory } from "../hooks/order-ledger"
import { KIND_LABELS, STATUS_LABELS, formatDate, formatMoney } from "../lib/format"
import type { LedgerActor, LedgerChange, LedgerTransaction, TransactionStatus } from "../lib/types"
import { ErrorAlert } from "./error-alert"

/** Fields a merchant reads in a change, by label; the rest (ids, raw twins, timestamps) stay out. */
const FIELD_LABELS: Record<string, string> = {
  status: "Status",
  message: "Message",
  external_id: "Processor id",
  reference_id: "Reference",
  metadata: "Metadata",
  note: "Note",
  reason: "Reason",
  deleted_at: "Removed",
}

/** "ada@shop.com", "API key apk_01…", "Customer cus_01…" or the system part that acted. */
export function actorLabel(actor: LedgerActor, emails: Map<string, string>): string {
  switch (actor.type) {
    case "user":
      return emails.get(actor.id) ?? `Admin ${actor.id}`
    case "api_key":
      return `API key ${actor.id}`
    case "customer":
      return `Customer ${actor.id}`
    default:
      return actor.id === "order-ledger" ? "The ledger" : `System (${actor.id})`
  }
}

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") {
    return "—"
  }
  if (field === "status") {
    return STATUS_LABELS[value as TransactionStatus] ?? String(value)
  }
  if (field === "deleted_at") {
    return formatDate(String(value))
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value)
}

/** What one change did, in words: "Recorded …" or "Status: Pending → Succeeded". */
function describe(change: LedgerChange): string[] {
  const object = change.data.object
  if (change.type === "order_transaction.created") {
    const kind = KIND_LABELS[object.kind as LedgerTransaction["kind"]] ?? String(object.kind)
    const amount = formatMoney(object.amount as string, String(object.currency_code))
    return [`Recorded ${kind.toLowerCase()} of ${amount}, ${valueText("status", object.status).toLowerCase()}`]
  }
  const previous = change.data.previous ?? {}
  const lines = Object.keys(previous)
    .filter((field) => FIELD_LABELS[field])
    .map((field) => `${FIELD_LABELS[field]}: ${valueText(field, previous[field])} → ${valueText(field, object[field])}`)
  return lines.length ? lines : ["Updated"]
}

/**
 * A transaction's history: who recorded it and who changed what, when, oldest first, from the
 * ledger's change log (`GET /admin/order-transactions/:id/history`).
 */
export function HistoryDrawer({ transaction, onClose }: { transaction: LedgerTransaction; onClose: () => void }) {
  const history = useTransactionHistory(transaction.id)
  const userIds = [...new Set((history.data?.history ?? []).filter((c) => c.actor.type === "user").map((c) => c.actor.id))]
  const users = useAdminUsers(userIds)
  const emails = new Map((users.data?.users ?? []).map((u) => [u.id, u.email]))
  const kind = KIND_LABELS[transaction.kind] ?? transaction.kind

  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="ledger-history-drawer">
        <Drawer.Header>
          <Drawer.Title asChild>
            <Heading>History</Heading>
          </Drawer.Title>
          <Drawer.Description>
            {kind} of {formatMoney(transaction.amount, transaction.currency_code)}: who did what, and when
          </Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {history.isPending ? (
            <Skeleton className="h-24 w-full" />
          ) : history.error ? (
            <ErrorAlert error={history.error} testId="ledger-history-error" />
          ) : (
            <ol className="flex flex-col gap-y-4" data-testid="ledger-history">
              {history.data.history.map((change) => (
                <li key={change.id} className="flex gap-x-3" data-testid="ledger-history-entry">
                  <div className="bg-ui-border-strong mt-1.5 size-2 shrink-0 rounded-full" />
                  <div className="flex min-w-0 flex-col gap-y-0.5">
                    <div className="flex items-center gap-x-2">
                      <Text size="small" weight="plus" leading="compact">
                        {actorLabel(change.actor, emails)}
                      </Text>
                      <Badge size="2xsmall" color="grey">
                        v{change.version}
                      </Badge>
                    </div>
                    {describe(change).map((line) => (
                      <Text key={line} size="small" leading="compact" className="text-ui-fg-subtle break-words">
                        {line}
                      </Text>
                    ))}
                    <Text size="xsmall" leading="compact" className="text-ui-fg-muted">
                      {formatDate(change.created_at)}
                      {change.idempotency_key ? ` · Idempotency-Key ${change.idempotency_key}` : ""}
                    </Text>
                  </div>
                </li>
              ))}
            </ol>
          )}
        </Drawer.Body>
      </Drawer.Content>
    </Drawer>
  )
}
