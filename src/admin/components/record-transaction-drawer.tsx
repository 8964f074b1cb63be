import { Button, Drawer, Heading, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useRecordTransaction } from "../hooks/order-ledger"
import { normalizeAmountInput } from "../lib/amounts"
import { CARD_BRAND_LABELS, KIND_LABELS, METHOD_LABELS, STATUS_LABELS } from "../lib/format"
import { isProviderAuthorization } from "../lib/ledger-actions"
import type {
  CardBrand,
  LedgerTransaction,
  PaymentMethod,
  RecordTransactionInput,
  TransactionKind,
  TransactionStatus,
} from "../lib/types"
import { ErrorAlert } from "./error-alert"
import { SelectField, optionsOf } from "./select-field"
import { TextField } from "./text-field"
import { DrawerFormFooter } from "./drawer-form-footer"

/** Kinds the form records. Refunds go through a payment's "Refund" action (guarded). */
const RECORDABLE_KINDS: TransactionKind[] = ["payment", "authorization", "chargeback", "void"]

/**
 * What a chargeback or void can point at. An authorization of Medusa checkout is not among them:
 * its provider must cancel it, which the row's "Void authorization" action does (the API answers
 * a bookkeeping void of one with 409 USE_PROVIDER_ACTION).
 */
function eligibleParents(kind: TransactionKind, transactions: LedgerTransaction[]) {
  if (kind === "chargeback") {
    return transactions.filter((t) => t.kind === "payment" && t.status === "succeeded")
  }
  if (kind === "void") {
    return transactions.filter(
      (t) =>
        (t.kind === "authorization" &&
          !isProviderAuthorization(t) &&
          (t.status === "succeeded" || t.status === "pending")) ||
        (t.kind === "payment" && (t.status === "pending" || t.status === "requires_action"))
    )
  }
  return []
}

const EMPTY_FORM = {
  kind: "payment" as TransactionKind,
  amount: "",
  status: "succeeded" as TransactionStatus,
  parent_id: "",
  payment_method: "bank_transfer" as PaymentMethod,
  gateway: "manual",
  external_id: "",
  card_brand: "" as CardBrand | "",
  card_last4: "",
  fee: "",
  occurred_at: "",
  note: "",
}

type Form = typeof EMPTY_FORM

/** The form's values as the API's body: empty fields left out, amounts as decimal strings. */
function toInput(form: Form): RecordTransactionInput {
  const input: RecordTransactionInput = {
    kind: form.kind,
    amount: normalizeAmountInput(form.amount),
    status: form.status,
  }
  if (form.kind === "chargeback" || form.kind === "void") {
    if (form.parent_id) {
      input.parent_id = form.parent_id
    }
  } else {
    input.payment_method = form.payment_method
    if (form.payment_method === "card") {
      if (form.card_brand) {
        input.card_brand = form.card_brand
      }
      if (form.card_last4.trim()) {
        input.card_last4 = form.card_last4.trim()
      }
    }
  }
  if (form.gateway.trim()) {
    input.gateway = form.gateway.trim()
  }
  if (form.external_id.trim()) {
    input.external_id = form.external_id.trim()
  }
  if (form.fee.trim()) {
    input.fee = normalizeAmountInput(form.fee)
  }
  if (form.occurred_at) {
    const date = new Date(form.occurred_at)
    input.occurred_at = Number.isNaN(date.getTime()) ? form.occurred_at : date.toISOString()
  }
  if (form.note.trim()) {
    if (form.kind === "chargeback" || form.kind === "void") {
      input.reason = form.note.trim()
    } else {
      input.note = form.note.trim()
    }
  }
  return input
}

/**
 * "Record payment": a drawer that records a payment made outside Medusa (or an authorization,
 * chargeback or void) on the order. The API's error message is shown above the buttons.
 */
export function RecordTransactionDrawer({
  orderId,
  currencyCode,
  transactions,
}: {
  orderId: string
  currencyCode: string
  transactions: LedgerTransaction[]
}) {
  const [open, setOpen] = useState(false)
  const [form, setForm] = useState<Form>(EMPTY_FORM)
  const record = useRecordTransaction(orderId)
  const set = <K extends keyof Form>(key: K) => (value: Form[K]) => setForm((f) => ({ ...f, [key]: value }))

  const parents = eligibleParents(form.kind, transactions)
  const needsParent = form.kind === "chargeback" || form.kind === "void"
  const currency = currencyCode.toUpperCase()

  const onOpenChange = (next: boolean) => {
    setOpen(next)
    if (!next) {
      setForm(EMPTY_FORM)
      record.reset()
    }
  }

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    record.mutate(toInput(form), {
      onSuccess: ({ transactions: [created] }) => {
        toast.success(`${KIND_LABELS[created.kind]} of ${created.formatted_amount} recorded`)
        onOpenChange(false)
      },
    })
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="ledger-record-payment">
          Record payment
        </Button>
      </Drawer.Trigger>
      <Drawer.Content data-testid="ledger-record-drawer" aria-describedby={undefined}>
        <form onSubmit={submit} className="flex flex-1 flex-col overflow-hidden">
          <Drawer.Header>
            <Heading>Record payment</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              A payment made outside Medusa: bank transfer, cash, POS, gift card or an imported order. Amounts in{" "}
              {currency}.
            </Text>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <div className="grid grid-cols-2 gap-4">
              <SelectField
                id="kind"
                label="Kind"
                value={form.kind}
                onChange={(v) => setForm((f) => ({ ...f, kind: v as TransactionKind, parent_id: "" }))}
                options={RECORDABLE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
              />
              <TextField
                name="amount"
                label={`Amount (${currency})`}
                value={form.amount}
                onChange={set("amount")}
                inputMode="decimal"
                placeholder="0.00"
                autoFocus
              />
            </div>
            {needsParent && (
              <SelectField
                id="parent_id"
                label={form.kind === "void" ? "Cancels" : "Taken back from payment"}
                value={form.parent_id}
                onChange={set("parent_id")}
                placeholder={parents.length ? "Choose a transaction" : "No eligible transaction"}
                options={parents.map((p) => ({
                  value: p.id,
                  label: `${KIND_LABELS[p.kind]} ${p.formatted_amount}${p.external_id ? ` (${p.external_id})` : ""}`,
                }))}
              />
            )}
            <div className="grid grid-cols-2 gap-4">
              <SelectField
                id="status"
                label="Status"
                value={form.status}
                onChange={(v) => set("status")(v as TransactionStatus)}
                options={optionsOf(STATUS_LABELS)}
              />
              {!needsParent && (
                <SelectField
                  id="payment_method"
                  label="Method"
                  value={form.payment_method}
                  onChange={(v) => set("payment_method")(v as PaymentMethod)}
                  options={optionsOf(METHOD_LABELS)}
                />
              )}
            </div>
            {!needsParent && form.payment_method === "card" && (
              <div className="grid grid-cols-2 gap-4">
                <SelectField
                  id="card_brand"
                  label="Card brand"
                  value={form.card_brand}
                  onChange={(v) => set("card_brand")(v as CardBrand)}
                  placeholder="Choose a brand"
                  options={optionsOf(CARD_BRAND_LABELS)}
                />
                <TextField
                  name="card_last4"
                  label="Last 4 digits"
                  value={form.card_last4}
                  onChange={set("card_last4")}
                  inputMode="numeric"
                  placeholder="4242"
                  optional
                />
              </div>
            )}
            <div className="grid grid-cols-2 gap-4">
              <TextField name="gateway" label="Gateway" value={form.gateway} onChange={set("gateway")} optional />
              <TextField
                name="external_id"
                label="External ID"
                value={form.external_id}
                onChange={set("external_id")}
                placeholder="Bank or processor reference"
                optional
              />
            </div>
            <div className="grid grid-cols-2 gap-4">
              <TextField
                name="fee"
                label={`Fee (${currency})`}
                value={form.fee}
                onChange={set("fee")}
                inputMode="decimal"
                placeholder="0.00"
                optional
              />
              <TextField
                name="occurred_at"
                label="Occurred at"
                type="datetime-local"
                value={form.occurred_at}
                onChange={set("occurred_at")}
                hint="Defaults to now"
                optional
              />
            </div>
            <TextField
              name="note"
              label={needsParent ? "Reason" : "Note"}
              value={form.note}
              onChange={set("note")}
              multiline
              optional
            />
            <ErrorAlert error={record.error} testId="ledger-record-error" />
          </Drawer.Body>
          <DrawerFormFooter isLoading={record.isPending} testId="ledger-record-submit">
            Record
          </DrawerFormFooter>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
