export { LedgerRepository } from "./ledger"
export type { LedgerFilters } from "./ledger"
