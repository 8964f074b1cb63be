import http from "node:http"
import type { AddressInfo } from "node:net"

/** One request a receiver got. */
export interface ReceivedWebhook {
  change_id: string
  signature: string
  body: string
  /** What the receiver answered (0: never answered). */
  answered: number
  /** The sender's TCP port, to find which process sent it. */
  remote_port: number
  at: number
}

type Answer = (request: ReceivedWebhook) => number | Promise<number>

/**
 * A real HTTP receiver on 127.0.0.1 for the webhook suites. `answer` decides each status (a 503
 * while "down"; a promise holds the answer back). `close()` stops listening, so connections are
 * refused until `listen()` again on the same port. `maxInFlight` is the most requests it was
 * answering at once.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = []
  private server: http.Server | null = null
  port = 0
  inFlight = 0
  maxInFlight = 0

  constructor(private readonly answer: Answer = () => 200) {}

  get url() {
    return `http://127.0.0.1:${this.port}/ledger-hook`
  }

  /** Starts listening (on `port`, or a free one the first time). */
  async listen(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      this.inFlight++
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", async () => {
        const request: ReceivedWebhook = {
          change_id: String(req.headers["ledger-webhook-id"] ?? ""),
          signature: String(req.headers["ledger-signature"] ?? ""),
          body: Buffer.concat(chunks).toString("utf8"),
          answered: 0,
          remote_port: req.socket.remotePort ?? 0,
          at: Date.now(),
        }
        this.received.push(request)
        const ok = req.method === "POST" && req.headers["content-type"] === "application/json"
        const status = ok ? await this.answer(request) : 400
        this.inFlight--
        if (!res.destroyed) {
          request.answered = status
          res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "busy")
        }
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(port, "127.0.0.1", () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  /** Stops listening: connections are refused until `listen()` again. */
  async close(): Promise<void> {
    const server = this.server
    this.server = null
    if (server) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  /** The requests answered 2xx. */
  get accepted(): ReceivedWebhook[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300)
  }
}
