import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { LedgerTransactionInput } from "../../../../../modules/order-ledger/types"
import { recordLedgerTransactionsWorkflow } from "../../../../../workflows/workflows/record-ledger-transactions"
import { listAnswer, withLedgerErrors } from "../../../../utils/http"
import { listTransactions, retrieveLedgerOrder } from "../../../../utils/present"
import { answerIdempotently, transactionsWithBalance } from "../../../helpers"
import type { AdminCreateLedgerTransactionsType } from "../../../order-transactions/validators"

/**
 * `GET /admin/orders/:id/transactions`: one order's transactions, filtered and paged; plain fields
 * are one plain SQL read (page and count). The order is only looked up (for a 404) when the page
 * is empty: its rows prove it exists.
 */
export const GET = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const { rows, page } = await listTransactions(req.scope, {
      fields: req.queryConfig.fields,
      filters: { ...req.filterableFields, order_id: req.params.id },
      pagination: req.queryConfig.pagination,
    })
    if (!rows.length) {
      await retrieveLedgerOrder(req.scope, req.params.id)
    }
    res.json(listAnswer("transactions", rows, page))
  }
)

/**
 * `POST /admin/orders/:id/transactions`: records 1 to 50 transactions, all or none. With an
 * `Idempotency-Key`, a repeat answers what the first answered and records nothing.
 */
export const POST = withLedgerErrors(
  async (req: AuthenticatedMedusaRequest<AdminCreateLedgerTransactionsType>, res: MedusaResponse) => {
    await answerIdempotently(
      req,
      res,
      async (key) => {
        const { result } = await recordLedgerTransactionsWorkflow(req.scope).run({
          input: {
            order_id: req.params.id,
            transactions: req.validatedBody.transactions as LedgerTransactionInput[],
            idempotency_key: key,
          },
        })
        return result
      },
      (result) => transactionsWithBalance(req.scope, req.params.id, result.transaction_ids, req.queryConfig.fields)
    )
  }
)
