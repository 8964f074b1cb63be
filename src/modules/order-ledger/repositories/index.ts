export { LedgerRepository } from "./ledger"
export type { LedgerFilters } from "./ledger"
export { LedgerChangeRepository } from "./changes"
export type { ChangeCursor } from "./changes"
