import { execFileSync } from "child_process"
import { mkdirSync, readFileSync } from "fs"
import path from "path"
import { chromium, type Browser, type Locator, type Page } from "playwright-core"
import { ROOT, startE2eServer, type E2eServer } from "./server"
import { verifyLedgerSignature } from "../../src/modules/ledger-webhooks/signing"
import { WebhookReceiver } from "../helpers/webhook-receiver"

/**
 * The merchant's view, end to end in headless Chromium against a real Medusa server with the
 * admin dashboard: log in through the login form, open an order, record a payment (after a
 * rejected one whose API message shows in the form), mark a pending card payment succeeded,
 * refund part of a payment while someone else refunds it too (409 → fresh figures → confirm),
 * see the refunds under their payment and the balance follow, then find the order on the
 * Transactions page's "Outstanding balances" tab and export the CSV.
 *
 * Drives Chromium through playwright-core, no browser download: `CHROMIUM_PATH`, else Debian's
 * /usr/bin/chromium, else the one inside the `@sparticuz/chromium` devDependency (scripts/lib/chromium.js
 * decides, and the suite prints which: `[e2e] browser: …`). `SKIP_E2E=1` skips the suite.
 * Writes {widget,transactions-page,outstanding-balances}.png to test-results/screenshots, or to
 * docs/screenshots (the README's) with UPDATE_SCREENSHOTS=1.
 */

jest.setTimeout(240_000)

const SELECTOR_TIMEOUT = 60_000
const SCREENSHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS ? "docs/screenshots" : "test-results/screenshots")
const skip = process.env.SKIP_E2E === "1"

const describeUnlessSkipped = skip ? describe.skip : describe

interface FoundChromium {
  executablePath: string
  args: string[]
  env: Record<string, string>
  label: string
}

/**
 * The Chromium scripts/lib/chromium.js picks (CHROMIUM_PATH, Debian's, or @sparticuz/chromium's),
 * asked in a plain node process: the npm package is an ES module, which jest's CommonJS can't load.
 */
function findChromium(): FoundChromium {
  try {
    const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/lib/chromium.js")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    })
    return JSON.parse(out) as FoundChromium
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr
    throw new Error(stderr?.trim() || String(error))
  }
}

/** Waits until the locator's text (trimmed) satisfies `expected`. */
async function waitForText(locator: Locator, expected: string | RegExp, timeout = SELECTOR_TIMEOUT) {
  const deadline = Date.now() + timeout
  let last: string | null = null
  while (Date.now() < deadline) {
    last = (await locator.first().textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null))?.trim() ?? null
    if (last !== null && (typeof expected === "string" ? last === expected : expected.test(last))) {
      return last
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`Expected ${locator} to have text ${expected}, last saw ${JSON.stringify(last)}`)
}

/** Waits until `locator` matches exactly `count` elements. */
async function waitForCount(locator: Locator, count: number, timeout = SELECTOR_TIMEOUT) {
  const deadline = Date.now() + timeout
  let last = -1
  while (Date.now() < deadline) {
    last = await locator.count()
    if (last === count) {
      return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`Expected ${count} of ${locator}, saw ${last}`)
}

/** One attribute of every element the locator matches, in document order. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  const values: (string | null)[] = []
  for (let i = 0, n = await locator.count(); i < n; i++) {
    values.push(await locator.nth(i).getAttribute(name))
  }
  return values
}

describeUnlessSkipped("admin dashboard in headless Chromium", () => {
  let server: E2eServer
  let browser: Browser
  let page: Page
  let browserLabel = "none"
  const started = Date.now()
  const pageErrors: string[] = []

  beforeAll(async () => {
    const browserStart = Date.now()
    const found = findChromium()
    browser = await chromium.launch({
      executablePath: found.executablePath,
      args: found.args,
      env: { ...process.env, ...found.env },
      headless: true,
    })
    browserLabel = `${found.label}, Chromium ${browser.version()}`
    const browserSeconds = (Date.now() - browserStart) / 1000
    // eslint-disable-next-line no-console
    console.log(`[e2e] browser: ${browserLabel} (ready in ${browserSeconds.toFixed(1)} s)`)
    server = await startE2eServer()
    server.timings.browser = browserSeconds
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true })
    page = await context.newPage()
    page.setDefaultTimeout(SELECTOR_TIMEOUT)
    page.on("pageerror", (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    // eslint-disable-next-line no-console
    console.log(
      `[e2e] browser: ${browserLabel}; setup ${JSON.stringify(server?.timings)}; whole suite ${((Date.now() - started) / 1000).toFixed(1)} s`
    )
  })

  const widget = () => page.getByTestId("ledger-widget")
  const rows = () => widget().getByTestId("ledger-transaction-row")

  /** The admin API through the browser's own session cookie. */
  const api = async <T>(method: "GET" | "POST", route: string, data?: unknown): Promise<T> => {
    const response = await page.request.fetch(`${server.baseUrl}${route}`, { method, data })
    const body = await response.json()
    if (!response.ok()) {
      throw new Error(`${method} ${route} answered ${response.status()}: ${JSON.stringify(body)}`)
    }
    return body as T
  }

  it("records, refunds and finds an order's money in the dashboard", async () => {
    const { baseUrl, seed } = server
    const [overpaidOrderId, yenOrderId] = seed.other_order_ids

    // Log in through the real form. With a cold Vite cache the first load can reload the page once
    // (dependency optimisation), so a lost form is filled again.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(`${baseUrl}/app/login`)
        await page.locator('input[name="email"]').fill(seed.email)
        await page.locator('input[name="password"]').fill(seed.password)
        await page.locator('button[type="submit"]').click()
        await page.waitForURL(/\/app\/orders/, { timeout: attempt < 3 ? 30_000 : SELECTOR_TIMEOUT })
        break
      } catch (error) {
        if (attempt >= 3) {
          throw error
        }
      }
    }

    // Other money already on the books (through the admin API, with the browser's session).
    await api("POST", `/admin/orders/${overpaidOrderId}/transactions`, {
      transactions: [
        { kind: "payment", amount: "100.00", payment_method: "card", card_brand: "visa", card_last4: "4242", gateway: "stripe", external_id: "ch_3PqLedgerE2e0001" },
      ],
    })
    await api("POST", `/admin/orders/${yenOrderId}/transactions`, {
      transactions: [{ kind: "payment", amount: "5000", payment_method: "bank_transfer", external_id: "JP-BANK-7781" }],
    })
    const { transactions: [pendingCard] } = await api<{ transactions: { id: string }[] }>(
      "POST",
      `/admin/orders/${seed.order_id}/transactions`,
      {
        transactions: [
          { kind: "payment", status: "pending", amount: "20", payment_method: "card", card_brand: "mastercard", card_last4: "5100", gateway: "stripe", external_id: "ch_3PqLedgerE2e0002" },
        ],
      }
    )

    // Warm Vite's dependency cache on every page the test uses, so no optimiser reload lands mid-form.
    await page.goto(`${baseUrl}/app/order-transactions`)
    await page.getByTestId("ledger-transactions-page").waitFor()

    // The order: the widget shows the balance and the pending card payment.
    await page.goto(`${baseUrl}/app/orders/${seed.order_id}`)
    await widget().waitFor()
    await waitForText(widget().getByTestId("ledger-outstanding"), "$190.00")
    await waitForText(widget().getByTestId("ledger-pending-total"), "$20.00")
    await waitForText(widget().getByTestId("ledger-balance-status"), "Customer owes")
    await waitForCount(rows(), 1)
    expect(await rows().first().getByTestId("ledger-transaction-card").textContent()).toBe("Mastercard •••• 5100")

    // Record a payment: first with too many decimals (the API's message shows in the form), then right.
    await widget().getByTestId("ledger-record-payment").click()
    const drawer = page.getByTestId("ledger-record-drawer")
    await drawer.waitFor()
    await drawer.locator('input[name="amount"]').fill("10.001")
    await drawer.locator('input[name="external_id"]').fill("BANK-2026-0001")
    await drawer.getByTestId("ledger-record-submit").click()
    const recordError = await waitForText(drawer.getByTestId("ledger-record-error"), /decimals/)
    expect(recordError).toMatch(/amount has 3 decimals but USD allows 2/)
    await drawer.locator('input[name="amount"]').fill("100")
    await drawer.getByTestId("ledger-record-submit").click()
    await drawer.waitFor({ state: "detached" })
    await waitForText(widget().getByTestId("ledger-outstanding"), "$90.00")
    await waitForText(widget().getByTestId("ledger-paid-total"), "$100.00")
    await waitForCount(rows(), 2)

    // Mark the pending card payment succeeded.
    const cardRow = widget().locator(`[data-transaction-id="${pendingCard.id}"]`)
    await cardRow.getByTestId("ledger-transaction-actions").click()
    await page.getByTestId("ledger-action-mark-succeeded").click()
    await waitForText(widget().getByTestId("ledger-outstanding"), "$70.00")
    await waitForText(widget().getByTestId("ledger-pending-total"), "$0.00")
    await widget().locator(`[data-transaction-id="${pendingCard.id}"][data-status="succeeded"]`).waitFor()

    // Refund part of the bank payment, while someone else refunds it too.
    const bankRow = widget().locator('[data-testid="ledger-transaction-row"][data-kind="payment"]', {
      hasText: "BANK-2026-0001",
    })
    const bankPaymentId = (await bankRow.getAttribute("data-transaction-id"))!
    await bankRow.getByTestId("ledger-transaction-actions").click()
    await page.getByTestId("ledger-action-refund").click()
    const refund = page.getByTestId("ledger-refund-drawer")
    await refund.waitFor()
    expect(await refund.locator('input[name="refund_amount"]').inputValue()).toBe("100.00")
    await waitForText(refund.getByTestId("ledger-refund-refunded"), "$0.00")

    await api("POST", `/admin/order-transactions/${bankPaymentId}/refunds`, { amount: "10", previously_refunded_amount: 0 })

    await refund.locator('input[name="refund_amount"]').fill("30")
    await refund.getByTestId("ledger-refund-submit").click()
    const conflict = await waitForText(refund.getByTestId("ledger-refund-conflict"), /\$10\.00/)
    expect(conflict).toContain("Refunded so far is now $10.00")
    expect(conflict).toContain("$90.00 can still be refunded")
    await waitForText(refund.getByTestId("ledger-refund-refunded"), "$10.00")
    await waitForText(refund.getByTestId("ledger-refund-submit"), "Confirm refund")
    expect(await refund.locator('input[name="refund_amount"]').inputValue()).toBe("30")
    await refund.getByTestId("ledger-refund-submit").click()
    await refund.waitFor({ state: "detached" })

    // Both refunds sit under their payment; the balance followed.
    await waitForText(widget().getByTestId("ledger-outstanding"), "$110.00")
    await waitForText(widget().getByTestId("ledger-refunded-total"), "$40.00")
    await waitForCount(rows(), 4)
    const refundRows = widget().locator(`[data-testid="ledger-transaction-row"][data-kind="refund"]`)
    await waitForCount(refundRows, 2)
    for (let i = 0; i < 2; i++) {
      expect(await refundRows.nth(i).getAttribute("data-parent-id")).toBe(bankPaymentId)
      expect(await refundRows.nth(i).getAttribute("data-depth")).toBe("1")
    }
    expect(await refundRows.getByTestId("ledger-transaction-amount").allTextContents()).toEqual(
      expect.arrayContaining(["-$10.00", "-$30.00"])
    )
    const rowIds = await attributes(rows(), "data-transaction-id")
    const bankIndex = rowIds.indexOf(bankPaymentId)
    const refundIds = await attributes(refundRows, "data-transaction-id")
    expect(refundIds.map((id) => rowIds.indexOf(id)).sort()).toEqual([bankIndex + 1, bankIndex + 2])

    // Screenshots for the README, without the success toasts over them.
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" })
    await widget().scrollIntoViewIfNeeded()
    await page.mouse.move(0, 0)
    await widget().screenshot({ path: path.join(SCREENSHOTS, "widget.png") })

    // The Transactions page, from the admin menu.
    await page.getByRole("link", { name: "Transactions", exact: true }).click()
    await page.waitForURL(/\/app\/order-transactions/)
    const allRows = page.getByTestId("ledger-all-transactions-row")
    await waitForCount(allRows, 6)
    await page.locator('input[name="q"]').fill("BANK-2026")
    await waitForCount(allRows, 1)
    expect(await allRows.first().getAttribute("data-order-id")).toBe(seed.order_id)
    await page.locator('input[name="q"]').fill("")
    await waitForCount(allRows, 6)

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("ledger-export-csv").click()])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    const csv = readFileSync((await download.path())!, "utf8")
    expect(csv).toContain(bankPaymentId)
    expect(csv).toContain("ch_3PqLedgerE2e0001")
    await page.mouse.move(0, 0)
    await page.screenshot({ path: path.join(SCREENSHOTS, "transactions-page.png") })

    // Outstanding balances: every order that owes or is owed, largest first, linking to the order.
    await page.getByTestId("ledger-tab-balances").click()
    const balanceRows = page.getByTestId("ledger-balances-row")
    await waitForCount(balanceRows, 3)
    const row = page.locator(`[data-testid="ledger-balances-row"][data-order-id="${seed.order_id}"]`)
    await waitForText(row.getByTestId("ledger-balances-outstanding"), "$110.00")
    await waitForText(row.getByTestId("ledger-balance-status"), "Customer owes")
    const overpaid = page.locator(`[data-testid="ledger-balances-row"][data-order-id="${overpaidOrderId}"]`)
    await waitForText(overpaid.getByTestId("ledger-balance-status"), "Merchant owes")
    await waitForText(overpaid.getByTestId("ledger-balances-outstanding"), "-$24.50")
    await page.mouse.move(0, 0)
    await page.screenshot({ path: path.join(SCREENSHOTS, "outstanding-balances.png") })

    await row.getByRole("link").click()
    await page.waitForURL(new RegExp(`/app/orders/${seed.order_id}$`))
    await widget().waitFor()

    expect(pageErrors).toEqual([])
  })

  /**
   * Medusa's own order page is the truth test: after a checkout authorization, a partial capture
   * through the ledger (the provider captures), a cash payment, a bank transfer moved from pending
   * to succeeded, a partial refund of the cash, a refund of the card capture, a chargeback and its
   * reversal, Medusa's Paid Total, Outstanding amount and payment badge agree with the widget.
   */
  it("agrees with Medusa's own order page on a mixed order", async () => {
    const { baseUrl, seed } = server
    const json = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> => {
      const response = await fetch(`${baseUrl}${route}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const data = await response.json()
      if (!response.ok) {
        throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(data)}`)
      }
      return data
    }
    const { token } = await json("POST", "/auth/user/emailpass", { email: seed.email, password: seed.password })
    const admin = { authorization: `Bearer ${token}` }

    // A store a customer can check out in, and one order through Medusa's own cart flow.
    const { region } = await json("POST", "/admin/regions", { name: "US", currency_code: "usd", countries: ["us"], payment_providers: ["pp_system_default"] }, admin)
    const { sales_channel } = await json("POST", "/admin/sales-channels", { name: "Webshop" }, admin)
    const { api_key } = await json("POST", "/admin/api-keys", { title: "Storefront", type: "publishable" }, admin)
    await json("POST", `/admin/api-keys/${api_key.id}/sales-channels`, { add: [sales_channel.id] }, admin)
    const { product } = await json("POST", "/admin/products", {
      title: "Oak shelf", status: "published", options: [{ title: "Size", values: ["M"] }],
      variants: [{ title: "M", options: { Size: "M" }, manage_inventory: false, prices: [{ currency_code: "usd", amount: 150 }] }],
      sales_channels: [{ id: sales_channel.id }],
    }, admin)
    const shopper = { "x-publishable-api-key": api_key.token }
    const { cart } = await json("POST", "/store/carts", { region_id: region.id, sales_channel_id: sales_channel.id, email: "mixed@example.com", items: [{ variant_id: product.variants[0].id, quantity: 1 }] }, shopper)
    const { payment_collection } = await json("POST", "/store/payment-collections", { cart_id: cart.id }, shopper)
    await json("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, shopper)
    const completed = await json("POST", `/store/carts/${cart.id}/complete`, {}, shopper)
    const orderId = completed.order.id as string

    // The checkout authorization shows in the widget; capture $100 of it from the widget.
    await page.goto(`${baseUrl}/app/orders/${orderId}`)
    await widget().waitFor()
    const authRow = widget().locator('[data-testid="ledger-transaction-row"][data-kind="authorization"]')
    await authRow.waitFor()
    const authId = (await authRow.getAttribute("data-transaction-id"))!
    await authRow.getByTestId("ledger-transaction-actions").click()
    await page.getByTestId(`ledger-capture-${authId}`).click()
    const capture = page.getByTestId("ledger-capture-drawer")
    await capture.waitFor()
    await capture.locator('input[name="capture_amount"]').fill("100")
    await capture.getByTestId("ledger-capture-submit").click()
    await capture.waitFor({ state: "detached" })
    await waitForText(widget().getByTestId("ledger-paid-total"), "$100.00")
    await waitForText(widget().getByTestId("ledger-authorized-total"), "$50.00")
    const cardRow = widget().locator('[data-testid="ledger-transaction-row"][data-kind="payment"]').first()
    const cardPaymentId = (await cardRow.getAttribute("data-transaction-id"))!

    // Cash at the counter, and a bank transfer that arrives later.
    const { transactions: [cash] } = await api<{ transactions: { id: string }[] }>("POST", `/admin/orders/${orderId}/transactions`, {
      transactions: [{ kind: "payment", amount: "30", payment_method: "cash" }],
    })
    const { transactions: [bank] } = await api<{ transactions: { id: string }[] }>("POST", `/admin/orders/${orderId}/transactions`, {
      transactions: [{ kind: "payment", status: "pending", amount: "20", payment_method: "bank_transfer", external_id: "BT-MIXED-1" }],
    })
    await page.reload()
    await widget().waitFor()
    const bankRow = widget().locator(`[data-transaction-id="${bank.id}"]`)
    await bankRow.getByTestId("ledger-transaction-actions").click()
    await page.getByTestId("ledger-action-mark-succeeded").click()
    await widget().locator(`[data-transaction-id="${bank.id}"][data-status="succeeded"]`).waitFor()
    await waitForText(widget().getByTestId("ledger-balance-status"), "Settled")

    // The bank transfer's history: who recorded it, who marked it succeeded, and when.
    await bankRow.getByTestId("ledger-transaction-actions").click()
    await page.getByTestId(`ledger-history-${bank.id}`).click()
    const history = page.getByTestId("ledger-history-drawer")
    await history.waitFor()
    const entries = history.getByTestId("ledger-history-entry")
    await waitForText(entries.nth(1), /Status: Pending → Succeeded/)
    expect(await entries.count()).toBe(2)
    // Who: the admin's email, once Medusa's users list answers.
    await waitForText(entries.nth(0), /^admin@.*v1.*Recorded payment of \$20\.00, pending/)
    expect(await entries.nth(1).textContent()).toMatch(/^admin@.*v2/)
    await page.getByText("Payment marked as succeeded").waitFor({ state: "detached", timeout: SELECTOR_TIMEOUT }).catch(() => {})
    await history.screenshot({ path: path.join(SCREENSHOTS, "history-drawer.png") })
    await page.keyboard.press("Escape")
    await history.waitFor({ state: "detached" })

    // A partial refund of the cash, a refund of the card capture (through Medusa's refund flow),
    // a chargeback on the bank transfer, and the chargeback won back from the widget.
    await api("POST", `/admin/order-transactions/${cash.id}/refunds`, { amount: "10" })
    await api("POST", `/admin/order-transactions/${cardPaymentId}/refunds`, { amount: "25" })
    const { transactions: [chargeback] } = await api<{ transactions: { id: string }[] }>("POST", `/admin/orders/${orderId}/transactions`, {
      transactions: [{ kind: "chargeback", amount: "20", parent_id: bank.id, reason: "Disputed" }],
    })
    await page.reload()
    await widget().waitFor()
    const chargebackRow = widget().locator(`[data-transaction-id="${chargeback.id}"]`)
    await chargebackRow.getByTestId("ledger-transaction-actions").click()
    await page.getByTestId(`ledger-reverse-${chargeback.id}`).click()
    const reverse = page.getByTestId("ledger-reverse-drawer")
    await reverse.waitFor()
    await reverse.locator('input[name="reversal_reason"]').fill("Dispute won")
    await reverse.getByTestId("ledger-reverse-submit").click()
    await reverse.waitFor({ state: "detached" })
    await waitForText(widget().getByTestId("ledger-reversed-total"), "$20.00")

    // What the ledger says, and what Medusa's own order page says.
    const { balance } = await api<{ balance: Record<string, number | string> }>("GET", `/admin/orders/${orderId}/balance`)
    const { order } = await api<{ order: Record<string, any> }>("GET", `/admin/orders/${orderId}?fields=id,payment_status,summary.*,payment_collections.*`)
    const medusaPaid = (order.payment_collections as Record<string, number>[]).reduce((sum, pc) => sum + pc.captured_amount - pc.refunded_amount, 0)
    expect(Number(balance.outstanding_amount)).toBeCloseTo(Number(order.summary.pending_difference), 10)
    expect(Number(balance.net_paid)).toBeCloseTo(medusaPaid, 10)
    const usd = (n: number) => `$${Math.abs(n).toFixed(2)}`
    await waitForText(widget().getByTestId("ledger-outstanding"), usd(Number(balance.outstanding_amount)))
    await waitForText(widget().getByTestId("ledger-net-paid"), usd(medusaPaid))

    const medusaRow = async (label: string) => {
      const row = page.locator("div.flex.items-center.justify-between", { has: page.getByText(label, { exact: true }) }).last()
      return ((await row.textContent()) ?? "").replace(label, "").trim()
    }
    await page.getByText("Outstanding amount", { exact: true }).waitFor()
    const medusaAmount = (n: number) => new RegExp(`\\$\\s?${Math.abs(n).toFixed(2).replace(".", "\\.")}\\s?USD`)
    expect(await medusaRow("Paid Total")).toMatch(medusaAmount(medusaPaid))
    expect(await medusaRow("Outstanding amount")).toMatch(medusaAmount(Number(order.summary.pending_difference)))
    expect(await medusaRow("Total paid by customer")).toMatch(medusaAmount(medusaPaid))
    // The badge is Medusa's payment status: money was refunded on a paid order.
    expect(order.payment_status).toBe("partially_refunded")
    await page.getByText("Partially refunded").first().waitFor()

    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" })
    await page.mouse.move(0, 0)
    await page.getByText("Paid Total", { exact: true }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(SCREENSHOTS, "medusa-order-page.png"), fullPage: true })
    await widget().scrollIntoViewIfNeeded()
    await widget().screenshot({ path: path.join(SCREENSHOTS, "widget-mixed.png") })
    expect(pageErrors).toEqual([])
  })

  it("manages a webhook under Settings and shows its signed deliveries", async () => {
    const { baseUrl, seed } = server
    const receiver = new WebhookReceiver()
    await receiver.listen()
    try {
      await page.goto(`${baseUrl}/app/settings/ledger-webhooks`)
      await page.getByTestId("ledger-webhooks-page").waitFor()
      await page.getByTestId("ledger-webhook-add").click()
      const create = page.getByTestId("ledger-webhook-create-drawer")
      await create.locator('input[name="webhook-url"]').fill(receiver.url)
      await create.getByTestId("ledger-webhook-create-submit").click()
      // The secret is shown once, here.
      const secret = (await create.getByTestId("ledger-webhook-secret").textContent())?.trim() ?? ""
      expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/)
      await create.getByTestId("ledger-webhook-secret-done").click()
      await create.waitFor({ state: "detached" })
      const row = page.getByTestId("ledger-webhook-row").filter({ hasText: receiver.url })
      await row.getByTestId("ledger-webhook-status").waitFor()
      expect(await row.getByTestId("ledger-webhook-status").getAttribute("data-status")).toBe("active")

      // A change of the ledger reaches the receiver, signed with that secret, and shows in the log.
      await api("POST", `/admin/orders/${seed.order_id}/transactions`, {
        transactions: [{ kind: "payment", amount: "1", status: "pending", payment_method: "bank_transfer" }],
      })
      const deadline = Date.now() + 30_000
      while (!receiver.received.some((r) => r.answered === 200) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
      }
      const [delivered] = receiver.received.filter((r) => r.answered === 200)
      expect(verifyLedgerSignature(secret, delivered.signature, delivered.body)).toBe(true)
      await row.getByTestId("ledger-webhook-actions").click()
      await page.getByText("Deliveries", { exact: true }).click()
      const deliveries = page.getByTestId("ledger-webhook-deliveries-drawer")
      await deliveries.locator(`[data-testid="ledger-delivery-status"][data-status="succeeded"]`).first().waitFor()
      await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" })
      await page.screenshot({ path: path.join(SCREENSHOTS, "webhooks-settings.png") })
      expect(pageErrors).toEqual([])
    } finally {
      await receiver.close()
    }
  })
})
