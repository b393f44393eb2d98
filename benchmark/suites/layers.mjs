// Suite `layers` (issue 5): what each native middleware layer costs over MemoryBackend, through
// FileStorage, on small-file sync operations and a 16 MiB read. The stacks and the workload are
// in ../layers-stacks.mjs.
//
// Every measurement runs in a fresh process (../layers-worker.mjs: one stack, BENCH_LAYER_WARMUP
// unrecorded passes, then BENCH_LAYER_REPEATS passes, best kept), the bare baseline exactly like
// the layered stacks. In one shared process a row could pay for the JIT feedback, garbage and
// allocator state other stacks left (a forwarding layer's 4 KiB reads showed +55-58% in one run,
// another row in the next).
//
// The workers' allocator is pinned so a round does not depend on the process's history:
// glibc's thresholds are fixed, mmap at its default 128 KiB (MALLOC_MMAP_THRESHOLD_), so every
// 16 MiB buffer is mapped afresh, and no trimming of the heap (MALLOC_TRIM_THRESHOLD_), so the
// 4 KiB buffers a row frees are reused warm by the next. Left to glibc's sliding thresholds,
// whether the 16 MiB reads reused warm heap memory or faulted in fresh pages depended on what
// the process had freed before: that row jumped between 1.2k and 7k MB/s from one process and
// one stack to the next. V8 keeps its defaults: pinning its collector to the JS thread with a
// fixed 16 MiB young generation (`--single-threaded-gc --{min,max}-semi-space-size=16`) made
// the bare stack's 4 KiB reads a third slower than a stack's with a listener (246k against
// 392k reads/s), an artifact of the collector's schedule rather than of any layer.
//
// Each round runs every stack once, in an order rotated per round so no stack always follows
// the same neighbour or always meets the same phase of a neighbouring process's burst. A cell is
// the mean of its best BENCH_LAYER_TOP rounds (default 3): interference from other processes
// only ever slows a round down, so the best rounds are the least disturbed, and the mean of a
// few of them moves less from run to run than the single best. The overhead is the extra time
// per operation against the bare stack (bare / layered - 1). BENCH_LAYER_CLOCK=cpu ranks the
// rounds by the process's CPU time instead of elapsed time (it includes the V8 and pool threads;
// on this 2-vCPU VM it did not move less under load than elapsed time).
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

import { fmt, progress, table } from '../harness.mjs'
import { ROWS, SMALL_ROWS, STACKS } from '../layers-stacks.mjs'

const WORKER = fileURLToPath(new URL('../layers-worker.mjs', import.meta.url))
/** V8 flags and environment of every worker (see the top of this file). */
const WORKER_ENV = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: String(2 ** 30) }

/** One measurement of stack `index` in a fresh process: { wall: { row: best }, cpu: { row: best }, events }. */
function measure(index, files, repeats, warmup) {
  const run = spawnSync(process.execPath, [WORKER, String(index), String(files), String(repeats), String(warmup)], {
    env: WORKER_ENV,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  })
  if (run.status !== 0) throw new Error(`layers worker for '${STACKS[index].name}' failed (${run.status ?? run.signal}): ${run.stderr}`)
  return JSON.parse(run.stdout)
}

/** The mean of the `k` largest of `xs` (all of them when fewer), or undefined for none. */
function topMean(xs, k) {
  if (xs === undefined || xs.length === 0) return undefined
  const top = [...xs].sort((a, b) => b - a).slice(0, k)
  return top.reduce((s, x) => s + x, 0) / top.length
}

const pct = (x) => (x === undefined || Number.isNaN(x) ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`)

/** Runs the suite; returns { lines, results }. */
export async function run({ files }) {
  const rounds = Number(process.env.BENCH_LAYER_ROUNDS ?? 12)
  const repeats = Number(process.env.BENCH_LAYER_REPEATS ?? 3)
  const warmup = Number(process.env.BENCH_LAYER_WARMUP ?? 3)
  const top = Number(process.env.BENCH_LAYER_TOP ?? 3)
  const clock = process.env.BENCH_LAYER_CLOCK ?? 'wall'
  if (clock !== 'wall' && clock !== 'cpu') throw new Error(`BENCH_LAYER_CLOCK must be wall or cpu, not '${clock}'`)
  const loadBefore = loadavg()
  /** samples[stack][row] = each round's value */
  const samples = {}
  let traced = 0
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < STACKS.length; k++) {
      const index = (k + r) % STACKS.length
      const measured = measure(index, files, repeats, warmup)
      const byRow = (samples[STACKS[index].name] ??= {})
      for (const [row, v] of Object.entries(measured[clock])) (byRow[row] ??= []).push(v)
      traced += measured.events
    }
    if ((r + 1) % 5 === 0 || r + 1 === rounds) progress(`layers: round ${r + 1}/${rounds} done`)
  }
  const loadAfter = loadavg()
  const bare = STACKS[0].name
  const body = []
  const results = []
  for (const { name } of STACKS) {
    const cells = ROWS.map((row) => {
      const v = topMean(samples[name]?.[row], top)
      const b = topMean(samples[bare]?.[row], top)
      return { row, value: v, overhead: v === undefined ? undefined : b / v - 1 }
    })
    const small = cells.filter((c) => SMALL_ROWS.includes(c.row) && c.overhead !== undefined)
    const meanSmall = small.reduce((s, c) => s + c.overhead, 0) / small.length
    results.push({ stack: name, cells, meanSmallFileOverhead: meanSmall })
    body.push([
      name,
      ...cells.map((c) => (name === bare ? fmt(c.value) : `${fmt(c.value)} (${pct(c.overhead)})`)),
      name === bare ? '-' : pct(meanSmall),
    ])
  }
  const head = ['layers over MemoryBackend', ...ROWS.map((r) => `${r} (${r.includes('MiB') ? 'MB/s' : 'ops/s'})`), 'small-file overhead']
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ')
  const title =
    `layers: each middleware's cost, sync, ${files} files, a process per stack per round, mean of the best ${top} of ${rounds} rounds ` +
    `(each the best of ${repeats} passes after ${warmup}, ${clock} clock) ` +
    `(overhead = extra time per op; load average ${load(loadBefore)} before, ${load(loadAfter)} after)`
  return {
    lines: [table(title, head, body)],
    results: {
      files,
      rounds,
      repeats,
      warmup,
      top,
      clock,
      method: `a fresh process per stack per round (MALLOC_MMAP_THRESHOLD_=${WORKER_ENV.MALLOC_MMAP_THRESHOLD_} MALLOC_TRIM_THRESHOLD_=${WORKER_ENV.MALLOC_TRIM_THRESHOLD_}); a cell is the mean of the best \`top\` rounds, each round the best of \`repeats\` passes after \`warmup\``,
      loadavg: { before: loadBefore, after: loadAfter },
      stacks: results,
      traceEvents: traced,
    },
  }
}
