import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { stringify } from "csv-stringify/sync"
import { once } from "events"
import { ORDER_LEDGER_MODULE } from "../../../../modules/order-ledger"
import type OrderLedgerModuleService from "../../../../modules/order-ledger/service"
import { withLedgerErrors } from "../../../utils/http"
import { transactionFilters } from "../../helpers"
import { EXPORT_COLUMNS, exportFileName, toCsvRecord } from "./csv"
import type { AdminExportTransactionsParamsType } from "./validators"

/** Rows read per page. */
const PAGE_SIZE = 1000

type Filters = Record<string, unknown>

/** Pages of matching transactions by id (keyset paging: one index range read a page). */
async function* transactionPages(ledger: OrderLedgerModuleService, filters: Filters) {
  let after: string | null = null
  for (;;) {
    const rows = await ledger.listTransactionPage(filters, { after, limit: PAGE_SIZE })
    if (rows.length) {
      yield rows
    }
    if (rows.length < PAGE_SIZE) {
      return
    }
    after = rows[rows.length - 1].id as string
  }
}

/**
 * `GET /admin/order-transactions/export`: the filtered transactions as CSV (same filters as
 * `GET /admin/order-transactions`), streamed: pages of 1000 rows are read by id, each page is
 * turned into CSV by `csv-stringify` and written as soon as the client has taken the previous
 * one, so memory holds one page whatever the number of rows. A UTF-8 byte order mark lets
 * spreadsheets read "€" and "¥" right.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<unknown, AdminExportTransactionsParamsType>, res: MedusaResponse) => {
    const ledger = req.scope.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    const filters = transactionFilters(req.filterableFields as Filters)

    // The first page is read before anything is sent, so a bad filter still answers an error.
    const pages = transactionPages(ledger, filters)
    let page = await pages.next()

    res.status(200)
    res.setHeader("Content-Type", "text/csv; charset=utf-8")
    res.setHeader("Content-Disposition", `attachment; filename="${exportFileName(new Date())}"`)
    res.setHeader("Cache-Control", "no-store")

    const closed = once(res, "close").then(
      () => "closed" as const,
      () => "closed" as const
    )
    /** Writes a chunk; when the socket's buffer is full, waits for the client (false if it went away). */
    const send = async (chunk: string) =>
      res.write(chunk) || (await Promise.race([once(res, "drain").then(() => "drain" as const), closed])) === "drain"

    try {
      let first = true
      do {
        const records = page.done ? [] : page.value.map(toCsvRecord)
        const chunk = stringify(records, { header: first, columns: [...EXPORT_COLUMNS], bom: first })
        first = false
        if (!(await send(chunk)) || res.destroyed) {
          // The client went away: stop reading.
          await pages.return(undefined)
          return
        }
        page = page.done ? page : await pages.next()
      } while (!page.done)
      res.end()
    } catch (error) {
      logger.error(`order-ledger export failed after the response started: ${(error as Error).message}`)
      res.destroy(error as Error)
    }
  }
)
