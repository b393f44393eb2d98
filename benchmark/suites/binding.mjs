// Suite `binding` (issue 3): the binding's own cost per call. The same calls on the same
// FileStorage over MemoryBackend are timed twice: through the public JS API (one boundary
// crossing per call) and in a Rust loop over that very native stack (`engineLoop`, a hidden
// test hook, no crossing). The difference is what the binding adds: the napi call, argument and
// result conversion and the TypeScript wrapper. Target: under 100 ns a call.
//
// Each cell is the fastest of the rounds (interference only ever slows a round down), rounds
// alternating JS and engine so drift hits both alike.
import anyfs from '../../dist/index.js'
import { engineLoop } from '../../dist/testing.js'
import { fmt, now, table } from '../harness.mjs'

const { FileStorage, MemoryBackend } = anyfs
const FILES = 1000
const DATA = Buffer.alloc(4096, 7)

/** The rows: the public call, the engine op it reaches, and the paths it cycles through. */
function rows(fs) {
  const existing = Array.from({ length: FILES }, (_, i) => `/d/f${i}`)
  const missing = Array.from({ length: FILES }, (_, i) => `/d/missing${i}`)
  return [
    { name: 'exists (missing file)', op: 'exists', paths: missing, call: (p) => fs.existsSync(p) },
    { name: 'metadata', op: 'metadata', paths: existing, call: (p) => fs.metadataSync(p) },
    { name: 'read 4 KiB', op: 'read', paths: existing, call: (p) => fs.readSync(p) },
    { name: 'write 4 KiB', op: 'write', paths: existing, call: (p) => fs.writeSync(p, DATA) },
  ]
}

/** Mean ns per call of `calls` JS calls cycling through `paths`. */
function jsLoop(call, paths, calls) {
  const n = paths.length
  const t0 = now()
  for (let i = 0; i < calls; i++) call(paths[i % n])
  return ((now() - t0) * 1e9) / calls
}

/** Runs the suite; returns { lines, results }. */
export async function run({ rounds }) {
  const fs = new FileStorage(new MemoryBackend())
  fs.createDirAllSync('/d')
  for (let i = 0; i < FILES; i++) fs.writeSync(`/d/f${i}`, DATA)
  const calls = Number(process.env.BENCH_BINDING_CALLS ?? 200_000)
  const timed = Math.max(rounds, 3)
  const out = []
  const body = []
  for (const row of rows(fs)) {
    let js = Infinity
    let engine = Infinity
    // One warm-up round each (JIT, caches), then the timed rounds.
    jsLoop(row.call, row.paths, calls)
    engineLoop(fs, row.op, row.paths, calls, DATA)
    for (let r = 0; r < timed; r++) {
      js = Math.min(js, jsLoop(row.call, row.paths, calls))
      engine = Math.min(engine, engineLoop(fs, row.op, row.paths, calls, DATA))
    }
    const binding = js - engine
    out.push({ operation: row.name, jsNs: js, engineNs: engine, bindingNs: binding, opsPerSecond: 1e9 / js })
    body.push([row.name, js.toFixed(0), engine.toFixed(0), binding.toFixed(0), fmt(1e9 / js)])
  }
  const head = ['call (sync, FileStorage over MemoryBackend)', 'through JS (ns)', 'engine alone (ns)', 'binding (ns)', 'JS calls/s']
  return { lines: [table(`binding: what one boundary crossing adds (fastest of ${timed} rounds of ${calls} calls)`, head, body)], results: { calls, rows: out } }
}
