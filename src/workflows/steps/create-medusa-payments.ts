import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { StepResponse, createStep } from "@medusajs/framework/workflows-sdk"
import { ORDER_LEDGER_MODULE } from "../../modules/order-ledger"
import type OrderLedgerModuleService from "../../modules/order-ledger/service"
import { TransactionKind, TransactionReference, TransactionStatus } from "../../utils/constants"
import { exactDecimal, toDecimalString } from "../../utils/money"
import {
  MEDUSA_COLLECTION_LEDGER_IDS_METADATA_KEY,
  MEDUSA_COLLECTION_LEDGER_METADATA_KEY,
  SYSTEM_PAYMENT_PROVIDER_ID,
  carriedByMedusaPayment,
} from "../utils/medusa-books"
import { MEDUSA_REFUND_LEDGER_METADATA_KEY } from "./attach-medusa-refund"

/** A ledger payment to carry in Medusa's payment module. */
export interface MedusaPaymentRow {
  id: string
  order_id: string
  kind: string
  status: string
  amount: string
  currency_code: string
  reference: string
  parent_id?: string | null
  medusa_payment_id?: string | null
}

/**
 * Input of {@link createMedusaPaymentsStep}: the rows a record call just wrote, or, when they are
 * not at hand (a replay, a status move, the reconcile of a ledger written before), their ids.
 *
 * @example
 * createMedusaPaymentsStep({ transactions: result.transactions })
 * createMedusaPaymentsStep({ transaction_ids: ["oltx_123"] })
 */
export type CreateMedusaPaymentsStepInput = {
  transactions?: MedusaPaymentRow[]
  transaction_ids?: string[]
}

/** What the step made, for its compensation. */
export type Made = {
  collection_ids: string[]
  order_transaction_ids: string[]
  links: { id: string; order_id: string; collection_id: string }[]
  /** The ledger rows linked to the Medusa payments made. */
  linked_ids?: string[]
  /** Medusa refunds made for ledger refunds, and what their collections had refunded before. */
  refunds?: { ledger_ids: string[]; refund_ids: string[]; collections: { id: string; refunded_amount: string }[] }
}

export const createMedusaPaymentsStepId = "create-medusa-payments"

/**
 * Makes the succeeded outside payments of a call captured Medusa money, as Medusa's own "mark as
 * paid" does (`markPaymentCollectionAsPaid`): per order, one payment collection of their sum,
 * paid through the system provider `pp_system_default` (session, authorization, capture), and
 * the `capture` core order transaction Medusa's capture flow adds. One Medusa payment per call,
 * not per row: Medusa's payment module spends about 100 ms a payment (7 commits), so a batch of
 * 50 costs one payment instead of 50; a refund of any of the rows is a Medusa refund of it. The
 * collection's metadata names the ledger payments and each row is linked to the Medusa payment
 * (`medusa_payment_id`), so the reconcile never mirrors it back. Rows already linked are skipped. Compensation removes what it made (the
 * system provider holds no money).
 *
 * @example
 * createMedusaPaymentsStep({ transactions: result.transactions })
 */
export const createMedusaPaymentsStep = createStep(
  createMedusaPaymentsStepId,
  async (input: CreateMedusaPaymentsStepInput, { container }) => {
    const rows = (await rowsToCarry(container, input)).filter((r) => !r.medusa_payment_id)
    const made: Made = { collection_ids: [], order_transaction_ids: [], links: [] }
    const paymentRows = rows.filter(carriedByMedusaPayment)
    const medusaPaymentIds = paymentRows.length ? await createMedusaPayments(container, paymentRows, made) : []
    const byRow = new Map(paymentRows.map((r, i) => [r.id, medusaPaymentIds[i]]))
    const refundIds = await createMedusaRefunds(container, rows.filter(isSucceededRefund), byRow, made)
    return new StepResponse(
      { medusa_payment_ids: medusaPaymentIds, carried_transaction_ids: [...paymentRows.map((r) => r.id), ...refundIds] },
      made
    )
  },
  async (made, { container }) => {
    if (made) {
      await undoMedusaPayments(container, made)
    }
  }
)

/** Removes what {@link createMedusaPayments} made (the system provider holds no money). */
export async function undoMedusaPayments(container: MedusaContainer, made: Made): Promise<void> {
  const refunds = made.refunds
  if (refunds?.refund_ids.length) {
    // System-provider refunds moved no money: they are taken out, and their collections' refunded
    // amounts put back as they were.
    const payments = container.resolve(Modules.PAYMENT)
    await container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE).linkMedusaPayments(
      refunds.ledger_ids.map((id) => ({ id, medusa_payment_id: null }))
    )
    await payments.deleteRefunds(refunds.refund_ids.filter(Boolean))
    for (const c of refunds.collections) {
      await payments.updatePaymentCollections(c.id, { refunded_amount: c.refunded_amount } as Record<string, unknown>)
    }
    refunds.refund_ids = []
  }
  if (made.order_transaction_ids.length && !made.collection_ids.length) {
    await container.resolve(Modules.ORDER).deleteOrderTransactions(made.order_transaction_ids)
    made.order_transaction_ids = []
  }
  if (!made.collection_ids.length) {
    return
  }
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  await ledger.linkMedusaPayments((made.linked_ids ?? made.links.map((l) => l.id)).map((id) => ({ id, medusa_payment_id: null })))
  if (made.order_transaction_ids.length) {
    await container.resolve(Modules.ORDER).deleteOrderTransactions(made.order_transaction_ids)
  }
  await container.resolve(ContainerRegistrationKeys.LINK).dismiss(
    made.links.map((l) => ({
      [Modules.ORDER]: { order_id: l.order_id },
      [Modules.PAYMENT]: { payment_collection_id: l.collection_id },
    }))
  )
  await container.resolve(Modules.PAYMENT).deletePaymentCollections(made.collection_ids)
}

/**
 * The work of {@link createMedusaPaymentsStep} for rows already chosen: what it made goes into
 * `made` as it is made, so a failure half-way can still be undone.
 */
export async function createMedusaPayments(container: MedusaContainer, rows: MedusaPaymentRow[], made: Made): Promise<string[]> {
  try {
    return await createMedusaPayments_(container, rows, made)
  } catch (error) {
    await undoMedusaPayments(container, made)
    throw error
  }
}

async function createMedusaPayments_(container: MedusaContainer, rows: MedusaPaymentRow[], made: Made): Promise<string[]> {
  // One Medusa payment per order (and currency) of the call: the sum of its outside payments.
  const groups = new Map<string, MedusaPaymentRow[]>()
  for (const row of rows) {
    const key = `${row.order_id}:${row.currency_code}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  const batches = [...groups.values()].map((group) => ({
    rows: group,
    amount: group.reduce((sum, r) => MathBN.add(sum, MathBN.abs(r.amount)), MathBN.convert(0)).toFixed(),
  }))
  const payments = container.resolve(Modules.PAYMENT)
  const collections = await payments.createPaymentCollections(
    batches.map((b) => ({
      currency_code: b.rows[0].currency_code,
      amount: b.amount,
      metadata: {
        [MEDUSA_COLLECTION_LEDGER_METADATA_KEY]: b.rows[0].id,
        [MEDUSA_COLLECTION_LEDGER_IDS_METADATA_KEY]: b.rows.map((r) => r.id),
      },
    }))
  )
  made.collection_ids = collections.map((c) => c.id)
  made.links = batches.map((b, i) => ({ id: b.rows[0].id, order_id: b.rows[0].order_id, collection_id: collections[i].id }))
  made.linked_ids = rows.map((r) => r.id)
  await container.resolve(ContainerRegistrationKeys.LINK).create(
    made.links.map((l) => ({
      [Modules.ORDER]: { order_id: l.order_id },
      [Modules.PAYMENT]: { payment_collection_id: l.collection_id },
    }))
  )

  const paymentIdByRow = new Map<string, string>()
  const captures: { order_id: string; currency_code: string; amount: string; capture_id: string }[] = []
  for (const [i, batch] of batches.entries()) {
    const session = await payments.createPaymentSession(collections[i].id, {
      provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
      currency_code: batch.rows[0].currency_code,
      amount: batch.amount,
      data: {},
      context: {},
    })
    const payment = await payments.authorizePaymentSession(session.id, {})
    if (!payment) {
      throw new Error(`The system provider did not authorize payment session ${session.id}.`)
    }
    const paid = await payments.capturePayment({ payment_id: payment.id, amount: batch.amount })
    const capture = (paid.captures ?? [])[0]
    captures.push({ order_id: batch.rows[0].order_id, currency_code: batch.rows[0].currency_code, amount: batch.amount, capture_id: capture.id })
    batch.rows.forEach((r) => paymentIdByRow.set(r.id, payment.id))
  }

  const coreRows = await container.resolve(Modules.ORDER).addOrderTransactions(
    captures.map((c) => ({
      order_id: c.order_id,
      amount: c.amount,
      currency_code: c.currency_code,
      reference: TransactionReference.CAPTURE,
      reference_id: c.capture_id,
    }))
  )
  made.order_transaction_ids = coreRows.map((t) => t.id)

  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  await ledger.linkMedusaPayments(rows.map((r) => ({ id: r.id, medusa_payment_id: paymentIdByRow.get(r.id) as string })))
  return rows.map((r) => paymentIdByRow.get(r.id) as string)
}

const isSucceededRefund = (r: MedusaPaymentRow) => r.kind === TransactionKind.REFUND && r.status === TransactionStatus.SUCCEEDED

/**
 * Makes succeeded ledger refunds of payments that Medusa's payment module carries Medusa refunds
 * of those payments (the system provider's refund, the `refund` core order transaction Medusa's
 * refund flow adds, the refund's metadata naming the ledger row), so Medusa's Paid Total, its
 * refund list and the seeds' refund recipe count them. No credit line: a refund recorded in the
 * ledger is money going back, not a change of what the order costs (returns, claims and edits
 * change that, through Medusa's own flows). Refunds of other payments are left alone. What it
 * made goes into `made`, so the step's compensation takes it out again: a system-provider refund
 * moved no money.
 *
 * @example
 * await createMedusaRefunds(container, refundRows, new Map([["oltx_cash", "pay_123"]]))
 */
export async function createMedusaRefunds(
  container: MedusaContainer,
  refunds: MedusaPaymentRow[],
  carried: Map<string, string> = new Map(),
  made: Made = { collection_ids: [], order_transaction_ids: [], links: [] }
): Promise<string[]> {
  const unknown = [...new Set(refunds.map((r) => r.parent_id).filter((id): id is string => !!id && !carried.has(id)))]
  if (unknown.length) {
    const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
    for (const parent of await ledger.listTransactionPage({ id: unknown }, { limit: unknown.length })) {
      if (parent.medusa_payment_id && parent.kind === TransactionKind.PAYMENT) {
        carried.set(parent.id, parent.medusa_payment_id)
      }
    }
  }
  const toRefund = refunds.filter((r) => r.parent_id && carried.has(r.parent_id))
  if (!toRefund.length) {
    return []
  }
  made.refunds ??= { ledger_ids: [], refund_ids: [], collections: [] }
  try {
    return await createMedusaRefunds_(container, toRefund, carried, made)
  } catch (error) {
    await undoMedusaPayments(container, made)
    throw error
  }
}

async function createMedusaRefunds_(
  container: MedusaContainer,
  toRefund: MedusaPaymentRow[],
  carried: Map<string, string>,
  undo: Made
): Promise<string[]> {
  const done = undo.refunds as NonNullable<Made["refunds"]>
  const payments = container.resolve(Modules.PAYMENT)
  const made: { row: MedusaPaymentRow; payment_id: string; refund_id: string }[] = []
  for (const row of toRefund) {
    const paymentId = carried.get(row.parent_id as string) as string
    const { payment_collection_id } = await payments.retrievePayment(paymentId, { select: ["payment_collection_id"] })
    if (!done.collections.some((c) => c.id === payment_collection_id)) {
      const collection = await payments.retrievePaymentCollection(payment_collection_id, { select: ["id", "refunded_amount"] })
      done.collections.push({ id: collection.id, refunded_amount: exactDecimal(collection.refunded_amount) ?? "0" })
    }
    const refunded = await payments.refundPayment({
      payment_id: paymentId,
      amount: toDecimalString(MathBN.abs(row.amount)),
      metadata: { [MEDUSA_REFUND_LEDGER_METADATA_KEY]: row.id },
    } as Parameters<typeof payments.refundPayment>[0])
    const refund = (refunded.refunds ?? []).find(
      (r) => (r as { metadata?: Record<string, unknown> | null }).metadata?.[MEDUSA_REFUND_LEDGER_METADATA_KEY] === row.id
    )
    made.push({ row, payment_id: paymentId, refund_id: refund?.id ?? "" })
    done.refund_ids.push(refund?.id ?? "")
  }
  const core = await container.resolve(Modules.ORDER).addOrderTransactions(
    made.map((m) => ({
      order_id: m.row.order_id,
      amount: toDecimalString(MathBN.mult(MathBN.abs(m.row.amount), -1)),
      currency_code: m.row.currency_code,
      reference: TransactionReference.REFUND,
      reference_id: m.refund_id,
    }))
  )
  undo.order_transaction_ids.push(...core.map((t) => t.id))
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  await ledger.linkMedusaPayments(made.map((m) => ({ id: m.row.id, medusa_payment_id: m.payment_id })))
  done.ledger_ids.push(...made.map((m) => m.row.id))
  return made.map((m) => m.row.id)
}

/** The rows of the input, read when only their ids are given. */
async function rowsToCarry(container: MedusaContainer, input: CreateMedusaPaymentsStepInput): Promise<MedusaPaymentRow[]> {
  if (input.transactions) {
    return input.transactions
  }
  if (!input.transaction_ids?.length) {
    return []
  }
  const ledger = container.resolve<OrderLedgerModuleService>(ORDER_LEDGER_MODULE)
  return await ledger.listTransactionPage({ id: input.transaction_ids }, { limit: input.transaction_ids.length })
}
