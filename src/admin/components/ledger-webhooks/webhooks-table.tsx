import { DropdownMenu, IconButton, Switch, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { EllipsisHorizontal, Trash, ListBullet } from "@medusajs/icons"
import { useDeleteLedgerWebhook, useUpdateLedgerWebhook, type LedgerWebhook } from "../../hooks/ledger-webhooks"
import { errorMessage } from "../../lib/errors"
import { formatDate } from "../../lib/format"
import { WebhookStatusBadge, eventsText } from "./webhook-status"

/** The endpoints: url, what they receive, their state, an enable switch, deliveries and delete. */
export function WebhooksTable({
  webhooks,
  onShowDeliveries,
}: {
  webhooks: LedgerWebhook[]
  onShowDeliveries: (webhook: LedgerWebhook) => void
}) {
  const prompt = usePrompt()
  const update = useUpdateLedgerWebhook()
  const remove = useDeleteLedgerWebhook()

  const setEnabled = (webhook: LedgerWebhook, enabled: boolean) =>
    update.mutate(
      { id: webhook.id, enabled },
      {
        onSuccess: () => toast.success(enabled ? "Webhook enabled" : "Webhook disabled"),
        onError: (e) => toast.error("Could not change the webhook", { description: errorMessage(e) }),
      }
    )

  const confirmDelete = async (webhook: LedgerWebhook) => {
    const confirmed = await prompt({
      title: "Delete this webhook?",
      description: `Nothing more is sent to ${webhook.url}. Its delivery log is kept.`,
      confirmText: "Delete",
      cancelText: "Keep it",
      variant: "danger",
    })
    if (!confirmed) {
      return
    }
    remove.mutate(
      { id: webhook.id },
      {
        onSuccess: () => toast.success("Webhook deleted"),
        onError: (e) => toast.error("Could not delete the webhook", { description: errorMessage(e) }),
      }
    )
  }

  return (
    <div className="overflow-x-auto">
      <Table data-testid="ledger-webhooks-table">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Endpoint</Table.HeaderCell>
            <Table.HeaderCell>Changes</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell>Enabled</Table.HeaderCell>
            <Table.HeaderCell>Created</Table.HeaderCell>
            <Table.HeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {webhooks.map((w) => (
            <Table.Row key={w.id} data-testid="ledger-webhook-row" data-webhook-id={w.id}>
              <Table.Cell className="max-w-[360px]">
                <button
                  type="button"
                  className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover block max-w-full truncate text-left"
                  onClick={() => onShowDeliveries(w)}
                  title={w.url}
                >
                  {w.url}
                </button>
                {w.description && (
                  <Text size="xsmall" className="text-ui-fg-subtle truncate">
                    {w.description}
                  </Text>
                )}
              </Table.Cell>
              <Table.Cell className="max-w-[260px] truncate font-mono txt-compact-xsmall">{eventsText(w.events)}</Table.Cell>
              <Table.Cell>
                <div className="flex flex-col">
                  <WebhookStatusBadge webhook={w} />
                  {w.enabled && w.status === "failing" && (
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      since {formatDate(w.failing_since)}
                    </Text>
                  )}
                </div>
              </Table.Cell>
              <Table.Cell>
                <Switch
                  checked={w.enabled}
                  disabled={update.isPending && update.variables?.id === w.id}
                  onCheckedChange={(checked) => setEnabled(w, checked)}
                  aria-label={w.enabled ? `Disable ${w.url}` : `Enable ${w.url}`}
                  data-testid="ledger-webhook-enabled"
                />
              </Table.Cell>
              <Table.Cell className="whitespace-nowrap">{formatDate(w.created_at)}</Table.Cell>
              <Table.Cell>
                <DropdownMenu>
                  <DropdownMenu.Trigger asChild>
                    <IconButton size="small" variant="transparent" aria-label={`Actions for ${w.url}`} data-testid="ledger-webhook-actions">
                      <EllipsisHorizontal />
                    </IconButton>
                  </DropdownMenu.Trigger>
                  <DropdownMenu.Content>
                    <DropdownMenu.Item className="gap-x-2" onClick={() => onShowDeliveries(w)}>
                      <ListBullet className="text-ui-fg-subtle" />
                      Deliveries
                    </DropdownMenu.Item>
                    <DropdownMenu.Separator />
                    <DropdownMenu.Item className="gap-x-2" onClick={() => void confirmDelete(w)} data-testid="ledger-webhook-delete">
                      <Trash className="text-ui-fg-subtle" />
                      Delete
                    </DropdownMenu.Item>
                  </DropdownMenu.Content>
                </DropdownMenu>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
