import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import type { LedgerOrderInput } from "../../modules/order-ledger/types"

export const refreshLedgerBalancesStepId = "refresh-ledger-balances"

/**
 * Sets the orders' balances from their current Medusa totals and their ledger rows. It only
 * derives figures from sources of truth, so it has nothing to compensate: a rerun fixes any state.
 *
 * @example
 * refreshLedgerBalancesStep(orders)
 */
export const refreshLedgerBalancesStep = createStep(
  refreshLedgerBalancesStepId,
  async (orders: LedgerOrderInput[], { container }) => {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    await ledger.refreshBalances(orders)
    return new StepResponse(void 0)
  }
)
