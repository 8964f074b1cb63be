/**
 * The Redis the tests use (the reliability suite's two `medusa start` processes share events,
 * workflows, locks, cache and sessions through it). Never the machine's own Redis by default:
 * a private server means the tests never touch anybody's data.
 * 1. `TEST_REDIS_URL` when set (an explicit choice, used as given);
 * 2. else a private `redis-server` on a free port (`--save "" --appendonly no`: nothing on disk),
 *    stopped when this process exits;
 * 3. with no `redis-server` binary: as root with apt-get, Debian's `redis-server` package is
 *    installed (and said so) and used as in 2; otherwise it fails naming the command to run.
 *
 * `startRedis()` answers `{ url, private, stop() }`. scripts/test.js calls it and exports the URL
 * as `REDIS_URL`; integration-tests/reliability/cluster.ts uses `REDIS_URL`, and calls this itself
 * only when jest runs without scripts/test.js.
 */
const { spawn, spawnSync } = require("child_process")
const fs = require("fs")
const net = require("net")
const os = require("os")
const path = require("path")

const INSTALL_HINT = "apt-get install redis-server"

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Sends PING over a plain socket (no client library): true on `+PONG`. */
function ping(url, timeoutMs = 1000) {
  const u = new URL(url)
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname || "127.0.0.1", port: Number(u.port || 6379) })
    let answer = ""
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once("error", () => done(false))
    socket.once("connect", () => {
      const password = u.password ? decodeURIComponent(u.password) : ""
      const auth = password
        ? u.username
          ? `AUTH ${decodeURIComponent(u.username)} ${password}\r\n`
          : `AUTH ${password}\r\n`
        : ""
      socket.write(`${auth}PING\r\n`)
    })
    socket.on("data", (chunk) => {
      answer += chunk.toString()
      if (answer.includes("+PONG")) {
        done(true)
      } else if (answer.includes("-")) {
        done(false)
      }
    })
  })
}

function onPath(binary) {
  return (process.env.PATH || "")
    .split(path.delimiter)
    .some((dir) => dir && fs.existsSync(path.join(dir, binary)))
}

/** Installs Debian's redis-server when this process may (root with apt-get); true when it did. */
function installRedisServer(log) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0
  if (!isRoot || !onPath("apt-get")) {
    return false
  }
  log(`redis-server is not installed: installing Debian's redis-server package (${INSTALL_HINT})`)
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  const quiet = { stdio: ["ignore", "ignore", "inherit"], env }
  if (spawnSync("apt-get", ["update", "-qq"], quiet).status !== 0) {
    return false
  }
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "redis-server"], quiet)
  if (install.status !== 0 || !onPath("redis-server")) {
    return false
  }
  log("installed Debian's redis-server")
  return true
}

/** A private redis-server on a free port; resolves once it answers PING. */
async function spawnPrivate() {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const logFile = path.join(os.tmpdir(), `medusa-ledger-test-redis-${port}.log`)
    const child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--logfile", logFile],
      { stdio: "ignore" }
    )
    let exited = false
    child.once("exit", () => {
      exited = true
    })
    child.once("error", () => {
      exited = true
    })
    const url = `redis://127.0.0.1:${port}`
    const stop = () => {
      process.removeListener("exit", stop)
      if (!exited) {
        child.kill("SIGKILL")
      }
      fs.rmSync(logFile, { force: true })
    }
    process.once("exit", stop)
    for (let i = 0; i < 100 && !exited; i++) {
      if (await ping(url)) {
        return { url, port, private: true, stop }
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-2000) : ""
    stop()
    if (attempt >= 3) {
      throw new Error(`redis-server on port ${port} did not answer PING:\n${log}`)
    }
    // the port was taken in between: try another
  }
}

/**
 * Starts (or, with `TEST_REDIS_URL`, checks) the tests' Redis. `log` prints what it did;
 * `install: false` fails (error code NO_REDIS_SERVER) rather than install a missing redis-server.
 */
async function startRedis({ log = (m) => console.log(`[test] ${m}`), install = true } = {}) {
  if (process.env.TEST_REDIS_URL) {
    const url = process.env.TEST_REDIS_URL
    if (!(await ping(url))) {
      throw new Error(`TEST_REDIS_URL=${url} does not answer PING`)
    }
    return { url, private: false, stop: () => {} }
  }
  if (!onPath("redis-server") && !(install && installRedisServer(log))) {
    const error = new Error(
      `The tests need redis-server (the reliability suite runs two Medusa processes on Redis) and it is not installed: run \`${INSTALL_HINT}\` (as root), or set TEST_REDIS_URL to a Redis the tests may use.`
    )
    error.code = "NO_REDIS_SERVER"
    throw error
  }
  return spawnPrivate()
}

module.exports = { startRedis, ping, INSTALL_HINT }
