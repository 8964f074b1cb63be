import { TransactionKind, TransactionReference, TransactionStatus } from "../../utils/constants"

/**
 * Which ledger rows Medusa's own books carry, and how. One place, read by the steps that write
 * Medusa's payment module and its core order transactions and by the reconcile.
 *
 * | ledger row (succeeded)                        | in Medusa                                                      |
 * |-----------------------------------------------|----------------------------------------------------------------|
 * | mirrored capture / refund (`capture`/`refund`) | Medusa's own payment, capture, refund (it made them)           |
 * | outside payments of one call (cash, POS, …)    | one payment collection paid through `pp_system_default`        |
 * | refund of such a payment                       | a Medusa refund of that payment (`refund` core transaction)   |
 * | chargeback, reversal, refund not in Medusa     | a core order transaction, reference `order_ledger`             |
 * | pending, failed, authorization, void           | nothing                                                        |
 */

/** The provider Medusa's own "mark as paid" pays through. */
export const SYSTEM_PAYMENT_PROVIDER_ID = "pp_system_default"

/** The key, in a payment collection's metadata, of the (first) ledger payment it was made for. */
export const MEDUSA_COLLECTION_LEDGER_METADATA_KEY = "order_ledger_transaction_id"

/** The key, in a payment collection's metadata, of every ledger payment it carries. */
export const MEDUSA_COLLECTION_LEDGER_IDS_METADATA_KEY = "order_ledger_transaction_ids"

/** The fields of a ledger row these rules look at. */
export interface BooksRow {
  kind: string
  status: string
  reference: string
  medusa_payment_id?: string | null
}

/**
 * True for an outside payment that becomes a captured Medusa payment: a succeeded payment that
 * does not mirror a Medusa capture (a capture of a Medusa authorization goes through the
 * provider-action route instead).
 */
export const carriedByMedusaPayment = (row: BooksRow) =>
  row.status === TransactionStatus.SUCCEEDED &&
  row.kind === TransactionKind.PAYMENT &&
  row.reference !== TransactionReference.CAPTURE

/** Kinds that move money and so belong in Medusa's order summary. */
const MONEY_KINDS: string[] = [
  TransactionKind.PAYMENT,
  TransactionKind.REFUND,
  TransactionKind.CHARGEBACK,
  TransactionKind.REVERSAL,
]

/** References of rows whose money Medusa's payment module already has (it adds their core transactions). */
const IN_PAYMENT_MODULE: string[] = [TransactionReference.CAPTURE, TransactionReference.REFUND]

/**
 * True for a row whose money goes into Medusa's core order transactions as the ledger's own
 * (`order_ledger`): succeeded money that Medusa's payment module does not carry.
 */
export const belongsInCoreAsLedger = (row: BooksRow) =>
  row.status === TransactionStatus.SUCCEEDED &&
  MONEY_KINDS.includes(row.kind) &&
  !IN_PAYMENT_MODULE.includes(row.reference) &&
  !row.medusa_payment_id &&
  !carriedByMedusaPayment(row)
