import { Modules } from "@medusajs/framework/utils"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { TransactionStatus } from "../../utils/constants"
import { LedgerErrorCode, ledgerError } from "../../utils/errors"

/**
 * The key, in a Medusa refund's `metadata`, of the ledger refund it was made for. The ledger
 * reserves the refund first, then runs Medusa's refund flow with this key, so anything that
 * mirrors Medusa's refunds into the ledger can tell them apart from refunds made in Medusa.
 */
export const MEDUSA_REFUND_LEDGER_METADATA_KEY = "order_ledger_transaction_id"

/**
 * Input of {@link attachMedusaRefundStep}.
 *
 * @example
 * attachMedusaRefundStep({ transaction_id: "oltx_123", payment_id: "pay_123" })
 */
export type AttachMedusaRefundStepInput = {
  /** The ledger refund reserved (pending) before Medusa's refund flow ran. */
  transaction_id: string
  /** The Medusa payment that was refunded. */
  payment_id: string
}

export const attachMedusaRefundStepId = "attach-medusa-refund"

/**
 * After Medusa's refund flow paid the money back: finds the Medusa refund made for a reserved
 * ledger refund (by {@link MEDUSA_REFUND_LEDGER_METADATA_KEY}), sets the ledger row's
 * `reference_id` to it (`ref_…`) and moves the row to `succeeded`. Compensation puts the row
 * back as it was.
 *
 * @example
 * attachMedusaRefundStep({ transaction_id: "oltx_123", payment_id: "pay_123" })
 */
export const attachMedusaRefundStep = createStep(
  attachMedusaRefundStepId,
  async (input: AttachMedusaRefundStepInput, { container }) => {
    const payments = container.resolve(Modules.PAYMENT)
    const refunds = await payments.listRefunds(
      { payment_id: input.payment_id },
      { select: ["id", "metadata"] }
    )
    const refund = refunds.find(
      (r) => (r as { metadata?: Record<string, unknown> | null }).metadata?.[MEDUSA_REFUND_LEDGER_METADATA_KEY] ===
        input.transaction_id
    )
    if (!refund) {
      ledgerError(
        LedgerErrorCode.NOT_FOUND,
        `Medusa payment ${input.payment_id} has no refund made for ledger refund ${input.transaction_id}.`
      )
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    const before = await ledger.updateTransactionStatus({
      id: input.transaction_id,
      status: TransactionStatus.SUCCEEDED,
      reference_id: refund.id,
    })
    return new StepResponse({ refund_id: refund.id }, before)
  },
  async (before, { container }) => {
    if (!before) {
      return
    }
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    await ledger.restoreTransactionSnapshots([before])
  }
)
