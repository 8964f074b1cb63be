import { Button, Drawer, Heading, Table, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import {
  useLedgerWebhookDeliveries,
  useRetryLedgerWebhookDelivery,
  type LedgerWebhook,
} from "../../hooks/ledger-webhooks"
import { errorMessage } from "../../lib/errors"
import { formatDate } from "../../lib/format"
import { ErrorAlert } from "../error-alert"
import { ListPagination } from "../../routes/order-transactions/components/pagination"
import { DeliveryStatusBadge } from "./webhook-status"

const PAGE_SIZE = 20

/**
 * The deliveries of one endpoint, newest change first: status, attempts, the last attempt's
 * status code, duration and error, the next retry, and a Retry action that sends the change
 * again now (same change id).
 */
export function DeliveriesDrawer({ webhook, onClose }: { webhook: LedgerWebhook; onClose: () => void }) {
  const [offset, setOffset] = useState(0)
  const list = useLedgerWebhookDeliveries(webhook.id, { limit: PAGE_SIZE, offset })
  const retry = useRetryLedgerWebhookDelivery()
  const rows = list.data?.deliveries ?? []

  const send = (deliveryId: string, changeId: string) =>
    retry.mutate(
      { webhookId: webhook.id, deliveryId },
      {
        onSuccess: () => toast.success("Redelivery scheduled", { description: `${changeId} is sent again within a few seconds.` }),
        onError: (e) => toast.error("Could not schedule the redelivery", { description: errorMessage(e) }),
      }
    )

  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content className="sm:max-w-[1100px]" data-testid="ledger-webhook-deliveries-drawer">
        <Drawer.Header>
          <Heading>Deliveries</Heading>
          <Text size="small" className="text-ui-fg-subtle break-all">
            {webhook.url}
          </Text>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto p-0">
          {list.error ? (
            <div className="px-6 py-4">
              <ErrorAlert error={list.error} testId="ledger-webhook-deliveries-error" />
            </div>
          ) : !list.isPending && rows.length === 0 ? (
            <Text size="small" className="text-ui-fg-subtle px-6 py-10 text-center">
              No changes were sent to this endpoint yet.
            </Text>
          ) : (
            <div className="overflow-x-auto">
              <Table data-testid="ledger-webhook-deliveries-table">
                <Table.Header>
                  <Table.Row>
                    <Table.HeaderCell>Change</Table.HeaderCell>
                    <Table.HeaderCell>Status</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">Attempts</Table.HeaderCell>
                    <Table.HeaderCell>Last answer</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">Duration</Table.HeaderCell>
                    <Table.HeaderCell>Next retry</Table.HeaderCell>
                    <Table.HeaderCell />
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {rows.map((d) => (
                    <Table.Row key={d.id} data-testid="ledger-webhook-delivery-row" data-delivery-id={d.id}>
                      <Table.Cell>
                        <div className="flex flex-col">
                          <span className="txt-compact-small font-mono">{d.change_type}</span>
                          <span className="text-ui-fg-muted txt-compact-xsmall font-mono">{d.change_id}</span>
                        </div>
                      </Table.Cell>
                      <Table.Cell>
                        <DeliveryStatusBadge status={d.status} />
                      </Table.Cell>
                      <Table.Cell className="text-right tabular-nums">{d.attempts}</Table.Cell>
                      <Table.Cell className="max-w-[260px]">
                        <div className="flex flex-col">
                          <span className="tabular-nums">{d.last_status_code ?? (d.attempts ? "No answer" : "-")}</span>
                          {d.last_error && (
                            <span className="text-ui-fg-subtle txt-compact-xsmall truncate" title={d.last_error}>
                              {d.last_error}
                            </span>
                          )}
                        </div>
                      </Table.Cell>
                      <Table.Cell className="text-right tabular-nums">
                        {d.last_duration_ms !== null ? `${d.last_duration_ms} ms` : "-"}
                      </Table.Cell>
                      <Table.Cell className="whitespace-nowrap">
                        {d.status === "pending" ? formatDate(d.next_attempt_at) : "-"}
                      </Table.Cell>
                      <Table.Cell>
                        <Button
                          size="small"
                          variant="secondary"
                          isLoading={retry.isPending && retry.variables?.deliveryId === d.id}
                          onClick={() => send(d.id, d.change_id)}
                          data-testid="ledger-webhook-delivery-retry"
                        >
                          Retry
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          )}
        </Drawer.Body>
        {list.data && list.data.count > 0 && (
          <ListPagination count={list.data.count} offset={offset} limit={PAGE_SIZE} onOffsetChange={setOffset} />
        )}
      </Drawer.Content>
    </Drawer>
  )
}
