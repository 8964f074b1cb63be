import { Table, Text } from "@medusajs/ui"
import { Link, useNavigate, useSearchParams } from "react-router-dom"
import { BalanceStatusBadge } from "../../../components/balance-summary"
import { ErrorAlert } from "../../../components/error-alert"
import { SelectField } from "../../../components/select-field"
import { useBalancesList } from "../../../hooks/order-transactions-list"
import { balanceStatusOf, formatDate, moneyText, orderLabel } from "../../../lib/format"
import type { BalanceStatus } from "../../../lib/types"
import { ListPagination } from "./pagination"

const PAGE_SIZE = 20

const WHO_OWES: Record<string, { label: string; status: BalanceStatus[] }> = {
  any: { label: "Customer owes or is owed", status: ["customer_owes", "merchant_owes"] },
  customer_owes: { label: "Customer owes", status: ["customer_owes"] },
  merchant_owes: { label: "Merchant owes (refund due)", status: ["merchant_owes"] },
}

/** Orders with money outstanding either way, largest amount first, each linking to its order. */
export function BalancesTab() {
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const who = params.get("owes") && params.get("owes")! in WHO_OWES ? params.get("owes")! : "any"
  const offset = Math.max(0, Number(params.get("balances_offset")) || 0)
  const list = useBalancesList({ status: WHO_OWES[who].status, limit: PAGE_SIZE, offset })
  const rows = list.data?.balances ?? []

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        for (const [key, value] of Object.entries(changes)) {
          if (value) {
            next.set(key, value)
          } else {
            next.delete(key)
          }
        }
        return next
      },
      { replace: true }
    )

  return (
    <div className="flex flex-col divide-y">
      <div className="flex items-end gap-3 px-6 py-4">
        <div className="w-64">
          <SelectField
            id="filter-owes"
            label="Who owes"
            size="small"
            value={who}
            onChange={(v) => update({ owes: v === "any" ? null : v, balances_offset: null })}
            options={Object.entries(WHO_OWES).map(([value, { label }]) => ({ value, label }))}
          />
        </div>
        <Text size="small" className="text-ui-fg-subtle pb-1.5">
          Sorted by outstanding amount. Orders the ledger has not recorded anything on are not listed.
        </Text>
      </div>
      {list.error ? (
        <div className="px-6 py-4">
          <ErrorAlert error={list.error} testId="ledger-balances-error" />
        </div>
      ) : !list.isPending && rows.length === 0 ? (
        <div className="px-6 py-10 text-center">
          <Text size="small" className="text-ui-fg-subtle">
            Every order is settled.
          </Text>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <Table data-testid="ledger-balances-table">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell className="whitespace-nowrap">Order</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Customer</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Status</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap text-right">Order total</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap text-right">Net paid</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap text-right">Outstanding</Table.HeaderCell>
                <Table.HeaderCell className="whitespace-nowrap">Last change</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((b) => (
                <Table.Row
                  key={b.order_id}
                  className="cursor-pointer"
                  data-testid="ledger-balances-row"
                  data-order-id={b.order_id}
                  onClick={() => navigate(`/orders/${b.order_id}`)}
                >
                  <Table.Cell className="whitespace-nowrap">
                    <Link to={`/orders/${b.order_id}`} onClick={(e) => e.stopPropagation()} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
                      {orderLabel(b.order, b.order_id)}
                    </Link>
                  </Table.Cell>
                  <Table.Cell className="max-w-[220px] truncate">{b.order?.email ?? "-"}</Table.Cell>
                  <Table.Cell>
                    <BalanceStatusBadge status={balanceStatusOf(b)} />
                  </Table.Cell>
                  <Table.Cell className="whitespace-nowrap text-right tabular-nums">{moneyText(b.order_total, b.formatted_order_total, b.currency_code)}</Table.Cell>
                  <Table.Cell className="whitespace-nowrap text-right tabular-nums">{moneyText(b.net_paid, b.formatted_net_paid, b.currency_code)}</Table.Cell>
                  <Table.Cell className="whitespace-nowrap text-right font-medium tabular-nums" data-testid="ledger-balances-outstanding">
                    {moneyText(b.outstanding_amount, b.formatted_outstanding_amount, b.currency_code)}
                  </Table.Cell>
                  <Table.Cell className="whitespace-nowrap">{formatDate(b.updated_at)}</Table.Cell>
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
          onOffsetChange={(next) => update({ balances_offset: next > 0 ? String(next) : null })}
        />
      )}
    </div>
  )
}
