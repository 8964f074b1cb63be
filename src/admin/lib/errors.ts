import { FetchError } from "@medusajs/js-sdk"

/**
 * A readable sentence for any error a request can end with: the API's own `message` (which names
 * the field for a bad input), or the HTTP status, or a network failure. Never a stack trace.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof FetchError || isFetchErrorLike(error)) {
    const message = (error.message ?? "").trim()
    if (message) {
      return message
    }
    return error.status
      ? `The server answered ${error.status}${error.statusText ? ` ${error.statusText}` : ""}.`
      : "The request failed."
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return "Could not reach the Medusa server. Check your connection and try again."
  }
  if (error instanceof Error && error.message.trim()) {
    return error.message.trim()
  }
  return "Something went wrong. Try again."
}

/** The HTTP status of a failed request, when there was one. */
export function errorStatus(error: unknown): number | undefined {
  return error instanceof FetchError || isFetchErrorLike(error) ? error.status : undefined
}

// The dashboard and the plugin may resolve two copies of the SDK: recognise its errors by shape.
function isFetchErrorLike(error: unknown): error is { message?: string; status?: number; statusText?: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    "status" in error &&
    typeof (error as { status?: unknown }).status === "number" &&
    "message" in error
  )
}
