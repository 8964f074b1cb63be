import { LedgerError } from "../../src/utils/errors"
import { CURSOR_SORT_FIELDS, encodeListCursor, keysetReadOf } from "../../src/utils/list-cursor"

/** What a cursor request means: the keyset read it asks for, or INVALID_DATA naming `cursor`. */
describe("keysetReadOf", () => {
  const position = { value: "2026-12-02T05:52:48.123456Z", id: "oltx_01JABC" }

  const refusal = (fn: () => unknown) => {
    try {
      fn()
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError)
      expect((error as LedgerError).code).toBe("INVALID_DATA")
      return (error as LedgerError).message
    }
    throw new Error("expected INVALID_DATA")
  }

  it("starts at the first row for an empty cursor, in id order unless order says otherwise", () => {
    expect(keysetReadOf("order_transactions", { cursor: "", limit: 10 })).toEqual({
      sort: "id",
      direction: "asc",
      after: null,
      limit: 10,
    })
    expect(keysetReadOf("order_balances", { cursor: "", order: "-updated_at", limit: 3, offset: 0 })).toEqual({
      sort: "updated_at",
      direction: "desc",
      after: null,
      limit: 3,
    })
  })

  it("reads back every cursor it writes, for each list, sort field and direction, exactly (microseconds kept)", () => {
    for (const [list, fields] of Object.entries(CURSOR_SORT_FIELDS) as [keyof typeof CURSOR_SORT_FIELDS, readonly string[]][]) {
      for (const sort of fields) {
        for (const direction of ["asc", "desc"] as const) {
          const at = sort === "id" ? { value: position.id, id: position.id } : position
          const cursor = encodeListCursor(list, { sort, direction }, at)
          expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
          const order = `${direction === "desc" ? "-" : ""}${sort}`
          expect(keysetReadOf(list, { cursor, order, limit: 5 })).toEqual({ sort, direction, after: at, limit: 5 })
        }
      }
    }
  })

  it("refuses a cursor of another order or list, naming cursor and the order it was issued for", () => {
    const cursor = encodeListCursor("order_transactions", { sort: "updated_at", direction: "asc" }, position)
    expect(refusal(() => keysetReadOf("order_transactions", { cursor, order: "-updated_at", limit: 5 }))).toMatch(
      /^cursor was issued for order=updated_at but this request asks for order=-updated_at/
    )
    expect(refusal(() => keysetReadOf("order_transactions", { cursor, limit: 5 }))).toContain("order=updated_at")
    expect(refusal(() => keysetReadOf("order_balances", { cursor, order: "updated_at", limit: 5 }))).toBe(
      "cursor was issued by GET /admin/order-transactions, not GET /admin/order-balances."
    )
  })

  it("refuses malformed cursors without throwing anything but INVALID_DATA", () => {
    const good = JSON.parse(
      Buffer.from(encodeListCursor("order_transactions", { sort: "created_at", direction: "asc" }, position), "base64url").toString()
    )
    const b64 = (body: unknown) => Buffer.from(JSON.stringify(body)).toString("base64url")
    const bad = [
      "!",
      "a b",
      "abc",
      b64(null),
      b64("text"),
      b64([good]),
      b64({ ...good, v: 2 }),
      b64({ ...good, sort: "amount" }),
      b64({ ...good, sort: "occurred_at", list: "order_balances" }),
      b64({ ...good, dir: "ASC" }),
      b64({ ...good, value: "2026-12-02T05:52:48.123Z" }),
      b64({ ...good, value: "2026-02-29T00:00:00.000000Z" }),
      b64({ ...good, value: "2026-12-02 05:52:48.123456+00" }),
      b64({ ...good, sort: "id", value: "oltx_other" }),
      b64({ ...good, id: "oltx 1" }),
      b64({ ...good, id: 1 }),
      b64({ ...good, list: "__proto__" }),
      "x".repeat(2000),
    ]
    for (const cursor of bad) {
      expect([cursor, refusal(() => keysetReadOf("order_transactions", { cursor, limit: 5 }))]).toEqual([
        cursor,
        expect.stringMatching(/^cursor is not valid/),
      ])
    }
  })

  it("refuses an order it cannot page, a limit below 1 and an offset, naming cursor", () => {
    expect(refusal(() => keysetReadOf("order_balances", { cursor: "", order: "-outstanding_amount", limit: 5 }))).toBe(
      "With cursor, order must be one of updated_at, id (a leading - for descending); got -outstanding_amount."
    )
    expect(refusal(() => keysetReadOf("order_balances", { cursor: "", order: "created_at", limit: 5 }))).toContain("cursor")
    expect(refusal(() => keysetReadOf("order_transactions", { cursor: "", limit: 0 }))).toContain("cursor")
    expect(refusal(() => keysetReadOf("order_transactions", { cursor: "", limit: 5, offset: 10 }))).toContain("cursor")
  })
})
