import { Alert } from "@medusajs/ui"
import { errorMessage } from "../lib/errors"

/** The readable message of a failed request, or nothing. */
export function ErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) {
    return null
  }
  return (
    <Alert variant="error" data-testid={testId ?? "ledger-error"} role="alert">
      {errorMessage(error)}
    </Alert>
  )
}
