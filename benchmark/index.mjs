// `npm run bench [suite ...]`: anyfs beside its peers, in one process, on the same workloads.
//
// Suites (all by default, in this order): `memory` (FileStorage over MemoryBackend vs node:fs on
// tmpfs, memfs, @zenfs/core), `binding` (what one boundary crossing adds to an engine call),
// `disk` (SqliteBackend vs agentfs-sdk and node:fs; StdFsBackend vs node:fs on the same
// directory), `layers` (each middleware's cost over MemoryBackend).
// Each suite interleaves its implementations within a round so drift (GC, CPU frequency) hits all
// alike, and reports the median round. Everything also goes to benchmark/results.json.
//
// Environment: BENCH_ROUNDS (default 5), BENCH_FILES (memory, 10000), BENCH_DISK_FILES (2000),
// BENCH_DIR (disk suite's directory, default the OS temp dir), BENCH_LAYER_ROUNDS (12),
// BENCH_BINDING_CALLS (200000), BENCH_VERBOSE.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as path from 'node:path'

const SUITES = ['memory', 'binding', 'disk', 'layers']
const asked = process.argv.slice(2)
const unknown = asked.filter((s) => !SUITES.includes(s))
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.map((s) => `'${s}'`).join(', ')}; the suites are ${SUITES.join(', ')}`)
  process.exit(2)
}
const chosen = asked.length > 0 ? asked : SUITES

const files = Number(process.env.BENCH_FILES ?? 10_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const results = { node: process.version, date: new Date().toISOString(), suites: {} }
console.log(`anyfs benchmark, Node ${process.version}, median of each suite's rounds`)
for (const name of chosen) {
  const suite = await import(`./suites/${name}.mjs`)
  const { lines: more, results: res } = await suite.run({ files, rounds })
  results.suites[name] = res
  console.log(more.join('\n'))
}
const here = path.dirname(fileURLToPath(import.meta.url))
writeFileSync(path.join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n')
console.log(`\nwrote ${path.join('benchmark', 'results.json')}`)
