// Suite `layers` (issue 5): what each native middleware layer costs over MemoryBackend, through
// FileStorage, on small-file sync operations and a 16 MiB read. Every stack is measured in the
// same rounds as the bare baseline, interleaved, and the overhead is the extra time per operation
// (bare / layered - 1) on the best of the rounds: a layer's cost is a few hundred nanoseconds,
// which a neighbouring process's burst can hide in a median but never makes faster.
//
// Each layer is configured so it passes every call (limits far away, `allow('/**')`), since the
// question is what it costs to consult it. ReadOnly refuses writes by design: its files are
// written through the backend underneath and only its read rows count.
import anyfs from '../../dist/index.js'
import { Samples, fmt, progress, rowTimer, table } from '../harness.mjs'

const {
  FileStorage,
  MemoryBackend,
  PathFilterLayer,
  QuotaLayer,
  RateLimitLayer,
  ReadOnlyLayer,
  RestrictionsLayer,
  TracingLayer,
} = anyfs

const SMALL = Buffer.alloc(4096, 1)
const BIG = Buffer.alloc(16 << 20, 2)
const BIG_READS = 16
const SMALL_ROWS = ['write 4 KiB', 'stat', 'read 4 KiB', 'unlink']

const roomyQuota = () => QuotaLayer.builder().maxTotalSize(64 * 2 ** 30).maxFileSize(2 ** 30).build()
const allowAll = () => PathFilterLayer.builder().allow('/**').build()
const manyOps = () => RateLimitLayer.builder().maxOps(4294967295).perSecond().build()
let traced = 0
const countEvents = () => TracingLayer.builder().onEvent(() => traced++).build()

/** The stacks: name, the layers over a fresh MemoryBackend, and whether writes pass. */
const STACKS = [
  { name: 'none (FileStorage over MemoryBackend)', layers: [] },
  { name: 'Quota', layers: [roomyQuota] },
  { name: 'PathFilter', layers: [allowAll] },
  { name: 'Restrictions', layers: [() => RestrictionsLayer.builder().denyPermissions().denySymlinks().denyHardLinks().build()] },
  { name: 'ReadOnly', layers: [() => new ReadOnlyLayer()], readOnly: true },
  { name: 'RateLimit', layers: [manyOps] },
  { name: 'Tracing (no listener)', layers: [() => new TracingLayer()] },
  { name: 'Tracing (a JS listener per event)', layers: [countEvents] },
  { name: 'sandbox: Quota + PathFilter + RateLimit + Tracing', layers: [roomyQuota, allowAll, manyOps, countEvents] },
]

function build(spec) {
  const base = new MemoryBackend()
  const stack = spec.layers.reduce((s, make) => s.layer(make()), base)
  return { ...spec, fs: new FileStorage(stack), setup: new FileStorage(base) }
}

/** Lets queued work (trace events) reach JS inside the timed span, so its cost is counted. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

async function lifecycle(impl, files) {
  const names = Array.from({ length: files }, (_, i) => `/d/f${i}`)
  const out = {}
  const time = rowTimer(out)
  const { fs, setup } = impl
  setup.createDirAllSync('/d')
  const writer = impl.readOnly ? setup : fs
  const timed = async (row, count, body) => {
    if (impl.readOnly && (row === 'write 4 KiB' || row === 'unlink')) return body()
    await time(row, count, async () => {
      body()
      await settle()
    })
  }
  await timed('write 4 KiB', files, () => { for (const n of names) writer.writeSync(n, SMALL) })
  await timed('stat', files, () => { for (const n of names) fs.metadataSync(n) })
  await timed('read 4 KiB', files, () => { for (const n of names) fs.readSync(n) })
  await timed('unlink', files, () => { for (const n of names) writer.removeFileSync(n) })
  setup.writeSync('/big', BIG)
  await timed('read 16 MiB', BIG_READS * BIG.length, () => {
    for (let i = 0; i < BIG_READS; i++) fs.readSync('/big')
  })
  setup.removeFileSync('/big')
  return out
}

const pct = (x) => (x === undefined || Number.isNaN(x) ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`)

/** Runs the suite; returns { lines, results }. */
export async function run({ files }) {
  const rounds = Number(process.env.BENCH_LAYER_ROUNDS ?? 15)
  const impls = STACKS.map(build)
  const samples = new Samples()
  // One warm-up round (JIT, allocator, CPU frequency) that is not recorded.
  for (const impl of impls) await lifecycle(impl, files)
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no stack always runs right after the same neighbour.
    for (let k = 0; k < impls.length; k++) {
      const impl = impls[(k + r) % impls.length]
      samples.record(impl.name, 'sync', await lifecycle(impl, files))
    }
    if ((r + 1) % 5 === 0 || r + 1 === rounds) progress(`layers: round ${r + 1}/${rounds} done`)
  }
  const bare = impls[0].name
  const rows = [...SMALL_ROWS, 'read 16 MiB']
  const body = []
  const results = []
  for (const impl of impls) {
    const cells = rows.map((row) => {
      const v = samples.best(impl.name, 'sync', row)
      const b = samples.best(bare, 'sync', row)
      return { row, value: v, overhead: v === undefined ? undefined : b / v - 1 }
    })
    const small = cells.filter((c) => SMALL_ROWS.includes(c.row) && c.overhead !== undefined)
    const meanSmall = small.reduce((s, c) => s + c.overhead, 0) / small.length
    results.push({ stack: impl.name, cells, meanSmallFileOverhead: meanSmall })
    body.push([
      impl.name,
      ...cells.map((c) => (impl.name === bare ? fmt(c.value) : `${fmt(c.value)} (${pct(c.overhead)})`)),
      impl.name === bare ? '-' : pct(meanSmall),
    ])
  }
  const head = ['layers over MemoryBackend', ...rows.map((r) => `${r} (${r.includes('MiB') ? 'MB/s' : 'ops/s'})`), 'small-file overhead']
  const title = `layers: each middleware's cost, sync, ${files} files, best of ${rounds} rounds (overhead = extra time per op)`
  return { lines: [table(title, head, body)], results: { files, rounds, stacks: results, traceEvents: traced } }
}
