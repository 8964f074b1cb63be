import { Table } from "@medusajs/ui"

/** Medusa's table pagination over a `{ count, offset, limit }` list answer. */
export function ListPagination({
  count,
  offset,
  limit,
  onOffsetChange,
}: {
  count: number
  offset: number
  limit: number
  onOffsetChange: (offset: number) => void
}) {
  const pageCount = Math.max(1, Math.ceil(count / limit))
  const pageIndex = Math.floor(offset / limit)
  return (
    <Table.Pagination
      data-testid="ledger-pagination"
      count={count}
      pageSize={limit}
      pageIndex={pageIndex}
      pageCount={pageCount}
      canPreviousPage={pageIndex > 0}
      canNextPage={pageIndex + 1 < pageCount}
      previousPage={() => onOffsetChange(Math.max(0, offset - limit))}
      nextPage={() => onOffsetChange(offset + limit)}
    />
  )
}
