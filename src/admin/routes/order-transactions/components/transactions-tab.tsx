import { ArrowDownTray } from "@medusajs/icons"
import { Button, Input, Label, StatusBadge, Table, Text, toast } from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { Link, useNavigate, useSearchParams } from "react-router-dom"
import { ErrorAlert } from "../../../components/error-alert"
import { SelectField } from "../../../components/select-field"
import { downloadTransactionsCsv, useTransactionsList } from "../../../hooks/order-transactions-list"
import { errorMessage } from "../../../lib/errors"
import {
  KIND_LABELS,
  METHOD_LABELS,
  STATUS_COLORS,
  STATUS_LABELS,
  formatCard,
  formatDate,
  moneyText,
  orderLabel,
} from "../../../lib/format"
import type { PaymentMethod, TransactionFilters, TransactionKind, TransactionStatus } from "../../../lib/types"
import { ListPagination } from "./pagination"

const PAGE_SIZE = 20
const ALL = "all"

const withAll = (allLabel: string, labels: Record<string, string>) => [
  { value: ALL, label: allLabel },
  ...Object.entries(labels).map(([value, label]) => ({ value, label })),
]

/** Start (`"start"`) or end of a `YYYY-MM-DD` day in the merchant's time zone, as ISO. */
function dayBoundary(day: string, edge: "start" | "end"): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return undefined
  }
  const date = new Date(`${day}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}`)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/** The API filters the URL's search params describe. */
export function filtersFromParams(params: URLSearchParams): TransactionFilters {
  const filters: TransactionFilters = {}
  const kind = params.get("kind")
  const status = params.get("status")
  const method = params.get("method")
  const q = params.get("q")?.trim()
  if (kind && kind in KIND_LABELS) {
    filters.kind = kind as TransactionKind
  }
  if (status && status in STATUS_LABELS) {
    filters.status = status as TransactionStatus
  }
  if (method && method in METHOD_LABELS) {
    filters.payment_method = method as PaymentMethod
  }
  if (q) {
    filters.q = q
  }
  const from = dayBoundary(params.get("from") ?? "", "start")
  const to = dayBoundary(params.get("to") ?? "", "end")
  if (from || to) {
    filters.occurred_at = { ...(from && { $gte: from }), ...(to && { $lte: to }) }
  }
  return filters
}

/** Transactions across all orders: filters in the URL, paging, CSV export of the same filters. */
export function TransactionsTab() {
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const [search, setSearch] = useState(params.get("q") ?? "")
  const [exporting, setExporting] = useState(false)
  const filters = useMemo(() => filtersFromParams(params), [params])
  const offset = Math.max(0, Number(params.get("offset")) || 0)
  const list = useTransactionsList({ ...filters, limit: PAGE_SIZE, offset })

  /** Sets (or clears) one filter and goes back to the first page. */
  const setFilter = (key: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        if (value && value !== ALL) {
          next.set(key, value)
        } else {
          next.delete(key)
        }
        next.delete("offset")
        return next
      },
      { replace: true }
    )

  const setOffset = (next: number) =>
    setParams((prev) => {
      const params = new URLSearchParams(prev)
      if (next > 0) {
        params.set("offset", String(next))
      } else {
        params.delete("offset")
      }
      return params
    })

  // Search by external id as the merchant types, a moment after the last key.
  useEffect(() => {
    if (search.trim() === (params.get("q") ?? "")) {
      return
    }
    const timer = setTimeout(() => setFilter("q", search.trim()), 300)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search])

  const exportCsv = async () => {
    setExporting(true)
    try {
      const fileName = await downloadTransactionsCsv(filters)
      toast.success(`Exported ${fileName}`)
    } catch (e) {
      toast.error("Could not export the transactions", { description: errorMessage(e) })
    } finally {
      setExporting(false)
    }
  }

  const rows = list.data?.transactions ?? []

  return (
    <div className="flex flex-col divide-y">
      <div className="flex flex-wrap items-end gap-3 px-6 py-4" data-testid="ledger-transaction-filters">
        <div className="w-40">
          <SelectField id="filter-kind" label="Kind" size="small" value={params.get("kind") ?? ALL} onChange={(v) => setFilter("kind", v)} options={withAll("All kinds", KIND_LABELS)} />
        </div>
        <div className="w-40">
          <SelectField id="filter-status" label="Status" size="small" value={params.get("status") ?? ALL} onChange={(v) => setFilter("status", v)} options={withAll("All statuses", STATUS_LABELS)} />
        </div>
        <div className="w-40">
          <SelectField id="filter-method" label="Method" size="small" value={params.get("method") ?? ALL} onChange={(v) => setFilter("method", v)} options={withAll("All methods", METHOD_LABELS)} />
        </div>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="filter-from" size="small" weight="plus">
            From
          </Label>
          <Input id="filter-from" name="from" type="date" size="small" value={params.get("from") ?? ""} onChange={(e) => setFilter("from", e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="filter-to" size="small" weight="plus">
            To
          </Label>
          <Input id="filter-to" name="to" type="date" size="small" value={params.get("to") ?? ""} onChange={(e) => setFilter("to", e.target.value)} />
        </div>
        <div className="flex min-w-[200px] flex-1 flex-col gap-y-2">
          <Label htmlFor="filter-q" size="small" weight="plus">
            External ID
          </Label>
          <Input id="filter-q" name="q" type="search" size="small" placeholder="Search external ID" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <Button size="small" variant="secondary" onClick={exportCsv} isLoading={exporting} data-testid="ledger-export-csv">
          <ArrowDownTray />
          Export CSV
        </Button>
      </div>

      {list.error ? (
        <div className="px-6 py-4">
          <ErrorAlert error={list.error} testId="ledger-transactions-error" />
        </div>
      ) : !list.isPending && rows.length === 0 ? (
        <div className="px-6 py-10 text-center">
          <Text size="small" className="text-ui-fg-subtle">
            No transactions match these filters.
          </Text>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <Table data-testid="ledger-all-transactions-table">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell className="whitespace-nowrap">Date</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Order</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Kind</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Status</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap text-right">Amount</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Method</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Card</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Gateway</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">External ID</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((t) => (
                <Table.Row
                  key={t.id}
                  className="cursor-pointer"
                  data-testid="ledger-all-transactions-row"
                  data-order-id={t.order_id}
                  onClick={() => navigate(`/orders/${t.order_id}`)}
                >
                  <Table.Cell className="whitespace-nowrap">{formatDate(t.occurred_at)}</Table.Cell>
                  <Table.Cell className="whitespace-nowrap">
                    <Link to={`/orders/${t.order_id}`} onClick={(e) => e.stopPropagation()} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
                      {orderLabel(t.order, t.order_id)}
                    </Link>
                  </Table.Cell>
                  <Table.Cell className="whitespace-nowrap">{KIND_LABELS[t.kind] ?? t.kind}</Table.Cell>
                  <Table.Cell>
                    <StatusBadge color={STATUS_COLORS[t.status] ?? "grey"} className="whitespace-nowrap">
                      {STATUS_LABELS[t.status] ?? t.status}
                    </StatusBadge>
                  </Table.Cell>
                  <Table.Cell className="whitespace-nowrap text-right tabular-nums">{moneyText(t.amount, t.formatted_amount, t.currency_code)}</Table.Cell>
                  <Table.Cell className="whitespace-nowrap">{t.payment_method ? METHOD_LABELS[t.payment_method] ?? t.payment_method : "-"}</Table.Cell>
                  <Table.Cell className="whitespace-nowrap">{formatCard(t.card_brand, t.card_last4)}</Table.Cell>
                  <Table.Cell className="whitespace-nowrap">{t.gateway ?? "-"}</Table.Cell>
                  <Table.Cell className="max-w-[200px] truncate" title={t.external_id ?? undefined}>
                    {t.external_id ?? "-"}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
      {list.data && list.data.count > 0 && (
        <ListPagination
          count={list.data.count}
          offset={offset}
          limit={PAGE_SIZE}
          onOffsetChange={setOffset}
        />
      )}
    </div>
  )
}
