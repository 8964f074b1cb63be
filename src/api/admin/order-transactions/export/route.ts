import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { stringify } from "csv-stringify"
import { once } from "events"
import { ORDER_LEDGER_MODULE } from "../../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../../modules/order-ledger/service"
import { withLedgerErrors } from "../../../utils/http"
import { EXPORT_COLUMNS, EXPORT_SELECT, exportFileName, toCsvRecord } from "./csv"
import type { AdminExportTransactionsParamsType } from "./validators"

/** Rows read per page. */
const PAGE_SIZE = 1000

type Filters = Record<string, unknown>
type ListFilters = Parameters<OrderLedgerModuleService["listLedgerTransactions"]>[0]

/** The filters of one page: the request's, and `id > after` (keyset paging, one index read a page). */
function pageFilters(filters: Filters, after: string | undefined): Filters {
  if (!after) {
    return filters
  }
  const requested = filters.id
  if (requested === undefined) {
    return { ...filters, id: { $gt: after } }
  }
  return { ...filters, id: { $in: Array.isArray(requested) ? requested : [requested], $gt: after } }
}

/** Pages of matching transactions by id, read with the module's list (no count query per page). */
async function* transactionPages(ledger: OrderLedgerModuleService, filters: Filters) {
  let after: string | undefined
  for (;;) {
    const rows = await ledger.listLedgerTransactions(pageFilters(filters, after) as ListFilters, {
      select: EXPORT_SELECT,
      take: PAGE_SIZE,
      order: { id: "ASC" },
    })
    if (rows.length) {
      yield rows as unknown as Record<string, unknown>[]
    }
    if (rows.length < PAGE_SIZE) {
      return
    }
    after = rows[rows.length - 1].id
  }
}

/**
 * `GET /admin/order-transactions/export`: the filtered transactions as CSV (same filters as
 * `GET /admin/order-transactions`), streamed: pages of 1000 rows are read by id and written
 * through `csv-stringify` as the client takes them, so memory stays flat however many rows
 * match. A UTF-8 byte order mark lets spreadsheets read "€" and "¥" right.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminExportTransactionsParamsType>, res: MedusaResponse) => {
    const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    const { q, ...filters } = req.filterableFields as Filters
    if (typeof q === "string") {
      filters.external_id = { $ilike: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` }
    }

    // The first page is read before anything is sent, so a bad filter still answers an error.
    const pages = transactionPages(ledger, filters)
    let page = await pages.next()

    res.status(200)
    res.setHeader("Content-Type", "text/csv; charset=utf-8")
    res.setHeader("Content-Disposition", `attachment; filename="${exportFileName(new Date())}"`)
    res.setHeader("Cache-Control", "no-store")
    const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], bom: true })
    csv.pipe(res)

    const closed = once(res, "close").then(
      () => "closed" as const,
      () => "closed" as const
    )
    const drained = () => once(csv, "drain").then(() => "drain" as const)
    try {
      while (!page.done) {
        for (const row of page.value) {
          // Backpressure: when the buffer is full, wait until the client took it (or went away).
          if (!csv.write(toCsvRecord(row)) && (await Promise.race([drained(), closed])) === "closed") {
            break
          }
        }
        if (res.destroyed) {
          // The client went away: stop reading.
          csv.destroy()
          await pages.return(undefined)
          return
        }
        page = await pages.next()
      }
      csv.end()
    } catch (error) {
      logger.error(`order-ledger export failed after the response started: ${(error as Error).message}`)
      csv.destroy()
      res.destroy(error as Error)
    }
  }
)
