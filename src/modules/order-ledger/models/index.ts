export { default as LedgerTransaction } from "./ledger-transaction"
export { default as LedgerBalance } from "./ledger-balance"
export { default as LedgerIdempotencyKey } from "./ledger-idempotency-key"
export { default as LedgerReconcileRun } from "./ledger-reconcile-run"
