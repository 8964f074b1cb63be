import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { LedgerTransactionInput } from "../../modules/order-ledger/types"
import { TransactionKind, TransactionReference } from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/**
 * Input of {@link validateBookkeepingActionsStep}.
 *
 * @example
 * validateBookkeepingActionsStep({ transactions: [{ kind: "payment", amount: 10, parent_id: "oltx_auth" }] })
 */
export type ValidateBookkeepingActionsStepInput = { transactions: LedgerTransactionInput[] }

export const validateBookkeepingActionsStepId = "validate-bookkeeping-actions"

/**
 * `USE_PROVIDER_ACTION` (409) when a record call would capture or void, by bookkeeping only, an
 * authorization that came from Medusa checkout (`reference` `payment`): the provider would never
 * take or release the money while Medusa's books said it had. The message names the route that
 * really does it.
 *
 * @example
 * validateBookkeepingActionsStep({ transactions: input.transactions })
 */
export const validateBookkeepingActionsStep = createStep(
  validateBookkeepingActionsStepId,
  async (input: ValidateBookkeepingActionsStepInput, { container }) => {
    const actions = input.transactions
      .map((t, index) => ({ t, index }))
      .filter(({ t }) => t.parent_id && (t.kind === TransactionKind.PAYMENT || t.kind === TransactionKind.VOID))
    if (!actions.length) {
      return new StepResponse(undefined)
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const parentIds = [...new Set(actions.map(({ t }) => t.parent_id as string))]
    const parents = await ledger.listTransactionPage({ id: parentIds }, { limit: parentIds.length })
    const fromCheckout = new Map(
      parents
        .filter((p) => p.kind === TransactionKind.AUTHORIZATION && p.reference === TransactionReference.PAYMENT)
        .map((p) => [p.id, p])
    )
    for (const { t, index } of actions) {
      const parent = fromCheckout.get(t.parent_id as string)
      if (parent) {
        const action = t.kind === TransactionKind.PAYMENT ? "capture" : "void"
        ledgerError(
          LedgerErrorCode.USE_PROVIDER_ACTION,
          `transactions[${index}]: authorization ${parent.id} came from Medusa checkout (payment ${parent.reference_id}), ` +
            `so recording a ${t.kind} of it would leave the provider unaware; use POST /admin/order-transactions/${parent.id}/${action}, ` +
            `which runs Medusa's ${action} flow.`,
          { parent_id: parent.id, medusa_payment_id: parent.reference_id, route: `/admin/order-transactions/${parent.id}/${action}` }
        )
      }
    }
    return new StepResponse(undefined)
  }
)
