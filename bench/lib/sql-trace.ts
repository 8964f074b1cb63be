import { performance } from "perf_hooks"

/**
 * Counts and times every SQL statement sent through node-postgres in this process (knex, MikroORM
 * and Medusa's PG_CONNECTION all end in `pg.Client#query`), by wrapping `Client.prototype.query`
 * of each copy of `pg` installed. Client-side time: from the call to the callback / promise, so a
 * round trip including parsing the rows. Only while `start()`ed; for profiling, never in the app.
 */
export type TracedStatement = { sql: string; ms: number; rows: number | null }

let recording: TracedStatement[] | null = null
let installed = false

function normalize(sql: string): string {
  return sql.replace(/\s+/g, " ").trim()
}

function install() {
  if (installed) {
    return
  }
  installed = true
  const paths = new Set<string>()
  for (const from of [process.cwd(), ...["@mikro-orm/postgresql", "@mikro-orm/knex", "knex", "@medusajs/framework"].map((m) => {
    try {
      return require.resolve(m, { paths: [process.cwd()] })
    } catch {
      return null
    }
  })]) {
    if (!from) {
      continue
    }
    try {
      paths.add(require.resolve("pg", { paths: [from] }))
    } catch {}
  }
  for (const p of paths) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pg = require(p)
    const proto = pg.Client.prototype
    if (proto.__benchTraced) {
      continue
    }
    const original = proto.query
    proto.__benchTraced = true
    proto.query = function traced(this: unknown, config: unknown, values?: unknown, callback?: unknown) {
      if (!recording) {
        return original.apply(this, arguments as unknown as unknown[])
      }
      const target = recording
      const text =
        typeof config === "string" ? config : ((config as { text?: string } | null)?.text ?? String(config))
      const entry: TracedStatement = { sql: normalize(text), ms: 0, rows: null }
      target.push(entry)
      const start = performance.now()
      const done = (res: unknown) => {
        entry.ms = performance.now() - start
        const r = res as { rowCount?: number; rows?: unknown[] } | undefined
        entry.rows = r?.rowCount ?? r?.rows?.length ?? null
      }
      const args = Array.from(arguments)
      const cbIndex = args.findIndex((a) => typeof a === "function")
      if (cbIndex >= 0) {
        const cb = args[cbIndex] as (err: unknown, res: unknown) => void
        args[cbIndex] = (err: unknown, res: unknown) => {
          done(res)
          cb(err, res)
        }
        return original.apply(this, args)
      }
      const result = original.apply(this, args)
      if (result && typeof result.then === "function") {
        result.then(done, () => done(undefined))
      }
      return result
    }
  }
}

/** Starts recording; answers the list statements are pushed to. */
export function startTrace(): TracedStatement[] {
  install()
  recording = []
  return recording
}

export function stopTrace(): TracedStatement[] {
  const r = recording ?? []
  recording = null
  return r
}

/** Runs `fn` with the trace on; answers its statements and wall time. */
export async function traced<T>(fn: () => Promise<T>): Promise<{ value: T; statements: TracedStatement[]; wallMs: number }> {
  const statements = startTrace()
  const start = performance.now()
  try {
    const value = await fn()
    return { value, statements, wallMs: performance.now() - start }
  } finally {
    stopTrace()
  }
}

export function installSqlTrace() {
  install()
}
