/** The first retry comes this long after a failed first attempt; each next one twice as long after. */
export const FIRST_RETRY_DELAY_MS = 1_000

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1_000

/** How long after its first attempt a delivery is retried; after that it is `failed`. */
export const RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1_000

/** Up to this share of a delay is added at random, so retries of many deliveries spread out. */
export const RETRY_JITTER = 0.1

/**
 * The wait after the `attempts`-th failed attempt, before jitter: 1 s, 2 s, 4 s … capped at 1 h.
 *
 * @example
 * retryDelayMs(1) // 1000
 * retryDelayMs(4) // 8000
 * retryDelayMs(30) // 3600000
 */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 32)
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** exponent, MAX_RETRY_DELAY_MS)
}

/**
 * When to try a delivery again after a failed attempt, or null when it has been retried for its
 * whole window (3 days from its first attempt) and is now `failed`. The last retry is at the end
 * of the window exactly.
 *
 * @example
 * nextAttemptAt({ firstAttemptAt: t0, failedAt: t0, attempts: 1, random: () => 0 }) // t0 + 1 s
 * nextAttemptAt({ firstAttemptAt: t0, failedAt: new Date(+t0 + RETRY_WINDOW_MS), attempts: 84 }) // null
 */
export function nextAttemptAt({
  firstAttemptAt,
  failedAt,
  attempts,
  random = Math.random,
}: {
  firstAttemptAt: Date
  failedAt: Date
  /** Attempts made so far, the failed one included. */
  attempts: number
  random?: () => number
}): Date | null {
  const windowEnd = firstAttemptAt.getTime() + RETRY_WINDOW_MS
  if (failedAt.getTime() >= windowEnd) {
    return null
  }
  const delay = retryDelayMs(attempts) * (1 + RETRY_JITTER * random())
  return new Date(Math.min(failedAt.getTime() + delay, windowEnd))
}
