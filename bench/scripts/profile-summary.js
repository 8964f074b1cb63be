#!/usr/bin/env node
/**
 * Prints bench/results/profile.json (written by bench/scripts/profile.ts) as plain text:
 * `node bench/scripts/profile-summary.js [file] [--sql]` (--sql: each figure's SQL statements of
 * its median call).
 */
const fs = require("fs")
const path = require("path")

const file = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? path.join(__dirname, "../results/profile.json")
const withSql = process.argv.includes("--sql")
const d = JSON.parse(fs.readFileSync(file, "utf-8"))
const pad = (s, n) => String(s).padEnd(n)
const num = (x) => (x === undefined ? "-" : String(x)).padStart(8)

function row(label, x) {
  const extra = Object.entries(x).filter(([k]) => !["example", "steps", "ms", "statements", "sql_ms", "total_ms", "cpu_ms", "skipped"].includes(k))
  console.log(
    `  ${pad(label, 58)} ${num(x.ms ?? x.total_ms)} ms ${num(x.cpu_ms)} cpu ms ${num(x.statements)} SQL ${num(x.sql_ms)} SQL ms` +
      (extra.length ? `  ${extra.map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`).join(" ")}` : "")
  )
  if (withSql && x.example) {
    for (const q of x.example) {
      console.log(`      ${q.ms.toFixed(2).padStart(7)} ms  rows=${q.rows}  ${q.sql}`)
    }
  }
}

console.log(`median per call over ${d.reps} calls (interleaved where several are compared); cpu = this process's CPU`)
for (const section of ["record_batch_1", "record_batch_50", "order_read", "engine", "routes"]) {
  if (!d[section]) continue
  console.log(section)
  for (const [k, v] of Object.entries(d[section])) {
    if (k === "fit") console.log(`  engine fit: ${v.fixed_ms} ms per run + ${v.ms_per_step} ms per step`)
    else row(k, v)
  }
}
for (const [size, figures] of Object.entries(d.core_sync ?? {})) {
  console.log(`core_sync ${size}`)
  for (const [k, v] of Object.entries(figures)) row(k, v)
}
for (const t of ["timeline_1", "timeline_50"]) {
  if (!d[t]) continue
  const x = d[t]
  console.log(`${t}: ${x.total_ms} ms, ${x.statements} SQL (${x.sql_ms} ms), in steps ${x.in_steps_ms} ms, outside steps ${x.outside_steps_ms} ms`)
  for (const [k, v] of Object.entries(x.steps)) console.log(`    ${pad(k, 36)} ${num(v.ms)} ms ${num(v.sql)} SQL ${num(v.sql_ms)} SQL ms`)
  if (withSql) for (const q of x.example) console.log(`      ${q.ms.toFixed(2).padStart(7)} ms  rows=${q.rows}  ${q.sql}`)
}
for (const [k, v] of Object.entries(d.cpu ?? {})) {
  console.log(`cpu ${k}: ${v.wall_ms_per_call} ms wall, ${v.process_cpu_ms_per_call} ms CPU per call (under the profiler)`)
  console.log(`    ${v.by_package.map((p) => `${p.where} ${p.ms_per_call}`).join(", ")}`)
}
