import { Alert, Button, Checkbox, Copy, Drawer, Heading, Label, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { WEBHOOK_EVENTS, useCreateLedgerWebhook, type WebhookEvent } from "../../hooks/ledger-webhooks"
import { ErrorAlert } from "../error-alert"
import { DrawerFormFooter } from "../drawer-form-footer"
import { TextField } from "../text-field"

/**
 * Registers a webhook endpoint: its url, the change types it receives (none ticked: all), a
 * description. Once created, the drawer shows the signing secret, the only time it can be seen,
 * with a copy button.
 */
export function CreateWebhookDrawer({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [url, setUrl] = useState("")
  const [description, setDescription] = useState("")
  const [events, setEvents] = useState<WebhookEvent[]>([])
  const [secret, setSecret] = useState<string | null>(null)
  const create = useCreateLedgerWebhook()

  const close = (next: boolean) => {
    if (!next) {
      setUrl("")
      setDescription("")
      setEvents([])
      setSecret(null)
      create.reset()
    }
    onOpenChange(next)
  }

  const toggle = (event: WebhookEvent, checked: boolean) =>
    setEvents((prev) => (checked ? [...prev, event] : prev.filter((e) => e !== event)))

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    create.mutate(
      { url: url.trim(), events: events.length ? events : null, description: description.trim() || null },
      {
        onSuccess: ({ webhook }) => {
          setSecret(webhook.secret)
          toast.success("Webhook created")
        },
      }
    )
  }

  return (
    <Drawer open={open} onOpenChange={close}>
      <Drawer.Content data-testid="ledger-webhook-create-drawer">
        <Drawer.Header>
          <Heading>{secret ? "Webhook created" : "Add webhook"}</Heading>
        </Drawer.Header>
        {secret ? (
          <>
            <Drawer.Body className="flex flex-col gap-y-4">
              <Alert variant="warning">
                Copy the signing secret now: it is not shown again. Your receiver checks each delivery's
                Ledger-Signature header with it.
              </Alert>
              <div className="flex flex-col gap-y-2">
                <Label size="small" weight="plus">
                  Signing secret
                </Label>
                <div className="bg-ui-bg-subtle flex items-center gap-x-2 rounded-md border px-3 py-2">
                  <code className="txt-compact-small flex-1 break-all font-mono" data-testid="ledger-webhook-secret">
                    {secret}
                  </code>
                  <Copy content={secret} />
                </div>
              </div>
            </Drawer.Body>
            <Drawer.Footer>
              <Button size="small" onClick={() => close(false)} data-testid="ledger-webhook-secret-done">
                Done
              </Button>
            </Drawer.Footer>
          </>
        ) : (
          <form onSubmit={submit} className="flex flex-1 flex-col overflow-hidden">
            <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
              <TextField
                name="webhook-url"
                label="Endpoint URL"
                value={url}
                onChange={setUrl}
                placeholder="https://books.example.com/ledger"
                hint="Every change of the ledger is POSTed here as signed JSON. Redirects are not followed."
                autoFocus
              />
              <div className="flex flex-col gap-y-2">
                <Label size="small" weight="plus">
                  Changes to send
                </Label>
                {WEBHOOK_EVENTS.map((event) => (
                  <div key={event} className="flex items-center gap-x-2">
                    <Checkbox
                      id={`ledger-webhook-event-${event}`}
                      checked={events.includes(event)}
                      onCheckedChange={(checked) => toggle(event, checked === true)}
                    />
                    <Label htmlFor={`ledger-webhook-event-${event}`} size="small" className="font-mono">
                      {event}
                    </Label>
                  </div>
                ))}
                <Text size="small" className="text-ui-fg-subtle">
                  None ticked: every change.
                </Text>
              </div>
              <TextField name="webhook-description" label="Description" value={description} onChange={setDescription} optional />
              <ErrorAlert error={create.error} testId="ledger-webhook-create-error" />
            </Drawer.Body>
            <DrawerFormFooter isLoading={create.isPending} disabled={!url.trim()} testId="ledger-webhook-create-submit">
              Create webhook
            </DrawerFormFooter>
          </form>
        )}
      </Drawer.Content>
    </Drawer>
  )
}
