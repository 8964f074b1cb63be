import type { MedusaContainer } from "@medusajs/framework/types"

/**
 * A background round that runs once at a time in this process: a request while one runs makes
 * one more run after it (however many came), so work that arrived meanwhile is not left for the
 * next tick of a job. `run` answers true when it should run again at once (it found work). What
 * the events publisher and the webhook deliveries share.
 *
 * @example
 * const request = coalescedRunner(async (container) => (await doRound(container)) > 0)
 * void request(container)
 */
export function coalescedRunner(run: (container: MedusaContainer) => Promise<boolean>) {
  let running: Promise<void> | null = null
  let again = false
  return (container: MedusaContainer): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          if (await run(container)) {
            again = true
          }
        } while (again)
      } finally {
        running = null
      }
    })()
    return running
  }
}
