/**
 * The Chromium the dashboard browser test drives through playwright-core (no browser download):
 * 1. `CHROMIUM_PATH` when set (any Chromium or Chrome binary);
 * 2. else Debian's `/usr/bin/chromium` when installed (`apt-get install -y chromium`);
 * 3. else the Chromium shipped inside the `@sparticuz/chromium` npm package (a devDependency, so
 *    `npm install` is all a bare machine needs), unpacked once per version into
 *    `node_modules/.cache/sparticuz-chromium-<version>/` (≈ 3 s, 210 MB).
 *
 * `E2E_CHROMIUM=npm` (what CI sets) or `E2E_CHROMIUM=debian` skips the search and takes that one.
 *
 * `resolveChromium()` answers `{ executablePath, args, env, label }`; `label` says which one it is, for
 * the test's output. `@sparticuz/chromium` is an ES module, so jest (CommonJS) asks through
 * `node scripts/lib/chromium.js`, which prints the same object as JSON.
 */
const fs = require("fs")
const path = require("path")

const DEBIAN_CHROMIUM = "/usr/bin/chromium"
const ROOT = path.resolve(__dirname, "../..")

/** No updates, sync, first-run pages or QUIC: the machine has no network and the test wants none. */
const NO_NETWORK_FLAGS = [
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** The flags every Chromium here runs with (Debian's, the npm package's, a `CHROMIUM_PATH`). */
const SYSTEM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", ...NO_NETWORK_FLAGS]

/**
 * Unpacks @sparticuz/chromium's binary, fonts and SwiftShader into a directory of its own:
 * the package unpacks into `os.tmpdir()` and trusts whatever file is already there, so it runs
 * with TMPDIR pointing at a fresh directory that is renamed into place only once complete (an
 * interrupted unpack is never reused, and two versions never meet).
 */
async function sparticuzChromium() {
  let pkg
  try {
    // Its `exports` name only the module: find package.json beside it.
    const entry = require.resolve("@sparticuz/chromium") // <package>/build/index.js
    pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8"))
  } catch {
    return null
  }
  const dir = path.join(ROOT, "node_modules/.cache", `sparticuz-chromium-${pkg.version}`)
  const binary = path.join(dir, "chromium")
  if (!fs.existsSync(binary)) {
    const partial = `${dir}.partial-${process.pid}`
    fs.rmSync(partial, { recursive: true, force: true })
    fs.mkdirSync(partial, { recursive: true })
    const tmpdir = process.env.TMPDIR
    process.env.TMPDIR = partial
    try {
      const { default: chromium } = await import("@sparticuz/chromium")
      const unpacked = await chromium.executablePath()
      if (path.resolve(unpacked) !== path.join(partial, "chromium")) {
        throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${partial}/chromium`)
      }
      // The package's own fonts.conf names Lambda's directories: this one names the fonts it
      // shipped (Open Sans), after the machine's own fonts when it has any.
      fs.writeFileSync(
        path.join(partial, "fonts.conf"),
        `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
          `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
          `  <dir>${path.join(dir, "fonts", "fonts")}</dir>\n` +
          `  <cachedir>${path.join(dir, "fonts-cache")}</cachedir>\n</fontconfig>\n`
      )
    } catch (error) {
      fs.rmSync(partial, { recursive: true, force: true })
      throw error
    } finally {
      if (tmpdir === undefined) {
        delete process.env.TMPDIR
      } else {
        process.env.TMPDIR = tmpdir
      }
    }
    try {
      fs.renameSync(partial, dir)
    } catch (error) {
      // Another run finished first: use its copy.
      fs.rmSync(partial, { recursive: true, force: true })
      if (!fs.existsSync(binary)) {
        throw error
      }
    }
  }
  return {
    executablePath: binary,
    // The same flags as Debian's. The package's own `chromium.args` (made for AWS Lambda:
    // --single-process, --no-zygote, SwiftShader WebGL, an in-process GPU, headless='shell') also
    // run here, but the dashboard test took 125-154 s of browser time with them against 51 s with
    // these (Debian's chromium: 48-61 s), measured on this 2-core machine.
    args: SYSTEM_FLAGS,
    // Its fonts (Open Sans) too, for a machine with no fonts installed.
    env: { FONTCONFIG_FILE: path.join(dir, "fonts.conf") },
    label: `@sparticuz/chromium ${pkg.version} (npm) at ${binary}`,
  }
}

const debian = () => ({ executablePath: DEBIAN_CHROMIUM, args: SYSTEM_FLAGS, env: {}, label: `${DEBIAN_CHROMIUM} (Debian)` })

async function resolveChromium() {
  const wanted = (process.env.E2E_CHROMIUM || "auto").toLowerCase()
  if (wanted === "npm") {
    const npm = await sparticuzChromium()
    if (!npm) {
      throw new Error("E2E_CHROMIUM=npm but @sparticuz/chromium is not installed: run `npm install` (it is a devDependency)")
    }
    return npm
  }
  if (wanted === "debian") {
    if (!fs.existsSync(DEBIAN_CHROMIUM)) {
      throw new Error(`E2E_CHROMIUM=debian but ${DEBIAN_CHROMIUM} is missing: apt-get install -y chromium`)
    }
    return debian()
  }
  if (wanted !== "auto") {
    throw new Error(`E2E_CHROMIUM=${process.env.E2E_CHROMIUM}: expected npm, debian or auto`)
  }
  if (process.env.CHROMIUM_PATH) {
    const executablePath = process.env.CHROMIUM_PATH
    if (!fs.existsSync(executablePath)) {
      throw new Error(`CHROMIUM_PATH=${executablePath} does not exist`)
    }
    return { executablePath, args: SYSTEM_FLAGS, env: {}, label: `${executablePath} (CHROMIUM_PATH)` }
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) {
    return debian()
  }
  const npm = await sparticuzChromium()
  if (npm) {
    return npm
  }
  throw new Error(
    `No Chromium: ${DEBIAN_CHROMIUM} is missing and @sparticuz/chromium is not installed. Run \`npm install\` ` +
      "(it is a devDependency), or `apt-get install -y chromium`, or point CHROMIUM_PATH at a Chromium; SKIP_E2E=1 skips the browser test."
  )
}

module.exports = { resolveChromium, NO_NETWORK_FLAGS, SYSTEM_FLAGS }

if (require.main === module) {
  resolveChromium().then(
    (found) => process.stdout.write(JSON.stringify(found)),
    (error) => {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
  )
}
