import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { capturePaymentWorkflow } from "@medusajs/medusa/core-flows"
import { ledgerRows } from "./ledger"

/**
 * A real Medusa payment on the order, captured: a payment collection linked to the order, a
 * session with the system provider, authorized, then captured through core's capture workflow.
 * Answers the payment and capture ids.
 */
export async function captureMedusaPayment(
  container: MedusaContainer,
  orderId: string,
  amount: number,
  currency = "usd"
) {
  const payments = container.resolve(Modules.PAYMENT)
  const collection = await payments.createPaymentCollections({ currency_code: currency, amount })
  await container.resolve(ContainerRegistrationKeys.LINK).create({
    [Modules.ORDER]: { order_id: orderId },
    [Modules.PAYMENT]: { payment_collection_id: collection.id },
  })
  const session = await payments.createPaymentSession(collection.id, {
    provider_id: "pp_system_default",
    amount,
    currency_code: currency,
    data: {},
  })
  const payment = await payments.authorizePaymentSession(session.id, {})
  if (!payment) {
    throw new Error(`payment session ${session.id} was not authorized`)
  }
  await capturePaymentWorkflow(container).run({ input: { payment_id: payment.id, amount } })
  const captured = await payments.retrievePayment(payment.id, { relations: ["captures"] })
  return { payment_id: payment.id, capture_id: captured.captures![0].id }
}

/**
 * The ledger row mirrored from a Medusa capture. The payment.captured subscriber mirrors the
 * authorization and the capture asynchronously: this waits (up to 15 s) for both, so no background
 * write lands between a test's later reads. Undefined when they never appear.
 */
export async function mirroredCapture(container: MedusaContainer, orderId: string, captureId: string) {
  let rows = await ledgerRows(container, orderId)
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    if (rows.some((r) => r.reference_id === captureId) && rows.some((r) => r.kind === "authorization")) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    rows = await ledgerRows(container, orderId)
  }
  return rows.find((r) => r.reference === "capture" && r.reference_id === captureId)
}
