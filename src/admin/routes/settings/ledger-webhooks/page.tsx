import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Text } from "@medusajs/ui"
import { useState } from "react"
import { CreateWebhookDrawer } from "../../../components/ledger-webhooks/create-webhook-drawer"
import { DeliveriesDrawer } from "../../../components/ledger-webhooks/deliveries-drawer"
import { WebhooksTable } from "../../../components/ledger-webhooks/webhooks-table"
import { ErrorAlert } from "../../../components/error-alert"
import { useLedgerWebhooks, type LedgerWebhook } from "../../../hooks/ledger-webhooks"
import { ListPagination } from "../../order-transactions/components/pagination"

const PAGE_SIZE = 20

/**
 * Settings → Ledger webhooks: the endpoints that receive every change of the ledger as a signed
 * POST (add one and copy its secret, enable or disable, delete), and each one's deliveries with
 * their attempts and a Retry action.
 */
const LedgerWebhooksPage = () => {
  const [offset, setOffset] = useState(0)
  const [creating, setCreating] = useState(false)
  const [shown, setShown] = useState<LedgerWebhook | null>(null)
  const list = useLedgerWebhooks({ limit: PAGE_SIZE, offset })
  const rows = list.data?.webhooks ?? []

  return (
    <Container className="divide-y p-0" data-testid="ledger-webhooks-page">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading>Ledger webhooks</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Every payment, refund and balance change, sent as it happens to your accounting or ERP
          </Text>
        </div>
        <Button size="small" variant="secondary" onClick={() => setCreating(true)} data-testid="ledger-webhook-add">
          Add webhook
        </Button>
      </div>
      {list.error ? (
        <div className="px-6 py-4">
          <ErrorAlert error={list.error} testId="ledger-webhooks-error" />
        </div>
      ) : !list.isPending && rows.length === 0 ? (
        <div className="px-6 py-10 text-center">
          <Text size="small" className="text-ui-fg-subtle">
            No webhooks yet. Add one to receive the ledger's changes.
          </Text>
        </div>
      ) : (
        <WebhooksTable webhooks={rows} onShowDeliveries={setShown} />
      )}
      {list.data && list.data.count > 0 && (
        <ListPagination count={list.data.count} offset={offset} limit={PAGE_SIZE} onOffsetChange={setOffset} />
      )}
      <CreateWebhookDrawer open={creating} onOpenChange={setCreating} />
      {shown && <DeliveriesDrawer webhook={shown} onClose={() => setShown(null)} />}
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Ledger webhooks",
})

export default LedgerWebhooksPage
