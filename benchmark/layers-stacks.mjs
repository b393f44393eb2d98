// The stacks of the `layers` suite and the workload each one runs (see suites/layers.mjs, which
// runs every stack in its own process through layers-worker.mjs).
//
// Each layer is configured so it passes every call (limits far away, rules that allow the
// workload's paths), since the question is what it costs to consult it. ReadOnly refuses writes
// and DryRun records them instead: their files are written through the backend underneath and
// only their read rows count. Cache and Overlay do work of their own: every file is read once, so
// every Cache lookup is a miss that fills it (the warm Cache row reads each file once, untimed,
// before its stat and read rows, so every lookup there is a hit; its writes go through it
// untimed); the Overlay's base holds the directory and the big file, its upper layer (a second
// MemoryBackend) receives the small files.
import anyfs from '../dist/index.js'
import { now, unitOf } from './harness.mjs'

const {
  CacheLayer,
  DryRunLayer,
  FileStorage,
  MemoryBackend,
  OverlayLayer,
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
/** The directory every file of the workload lives in (the sandbox's `/workspace`). */
const DIR = '/d'

/** The small-file rows, whose mean overhead the suite reports. */
export const SMALL_ROWS = ['write 4 KiB', 'stat', 'read 4 KiB', 'unlink']
/** Every row, in table order. */
export const ROWS = [...SMALL_ROWS, 'read 16 MiB']

/** Events the listeners of the traced stacks saw (the worker reports it, so none is optimized away). */
export const seen = { events: 0 }

const roomyQuota = () => QuotaLayer.builder().maxTotalSize(64 * 2 ** 30).maxFileSize(2 ** 30).build()
const allowAll = () => PathFilterLayer.builder().allow('/**').build()
/** The seeds' sandbox rules (seed 001), with the workload's directory as the workspace. */
const workspaceOnly = () => PathFilterLayer.builder().allow(`${DIR}/**`).deny('**/.env').deny('**/secrets/**').build()
const restrict = () => RestrictionsLayer.builder().denyPermissions().denySymlinks().denyHardLinks().build()
const manyOps = () => RateLimitLayer.builder().maxOps(4294967295).perSecond().build()
const quietTracing = () => new TracingLayer()
const countEvents = () => TracingLayer.builder().onEvent(() => seen.events++).build()
const countBatches = () => TracingLayer.builder().onBatch((b) => (seen.events += b.length)).build()

/**
 * The stacks: name, the layers over a fresh MemoryBackend (innermost first), whether writes
 * pass (`readOnly`: they are made beneath, untimed) and whether the reads are timed warm (`warm`:
 * writes untimed, every file read once before the stat row). The first one is the baseline
 * every other row is compared with.
 */
export const STACKS = [
  { name: 'none (FileStorage over MemoryBackend)', layers: [] },
  { name: 'Quota', layers: [roomyQuota] },
  { name: 'PathFilter', layers: [allowAll] },
  { name: 'Restrictions', layers: [restrict] },
  { name: 'ReadOnly', layers: [() => new ReadOnlyLayer()], readOnly: true },
  { name: 'RateLimit', layers: [manyOps] },
  { name: 'Tracing (no listener)', layers: [quietTracing] },
  { name: 'Tracing (a JS listener per event)', layers: [countEvents] },
  { name: 'Tracing (a batch listener)', layers: [countBatches] },
  { name: 'DryRun', layers: [() => new DryRunLayer()], readOnly: true },
  { name: 'Cache (every lookup a miss)', layers: [() => new CacheLayer()] },
  { name: 'Cache (warm: every lookup a hit)', layers: [() => new CacheLayer()], warm: true },
  { name: 'Overlay (files in the upper layer)', layers: [() => new OverlayLayer(new MemoryBackend())] },
  { name: 'sandbox (seed 001): Quota + PathFilter + Restrictions + RateLimit + Tracing', layers: [roomyQuota, workspaceOnly, restrict, manyOps, quietTracing] },
  {
    name: 'sandbox + a JS listener per event',
    layers: [roomyQuota, workspaceOnly, restrict, manyOps, countEvents],
  },
]

/** The stack `spec` over a fresh backend, with a FileStorage over it and one over the bare backend. */
export function build(spec) {
  const base = new MemoryBackend()
  const stack = spec.layers.reduce((s, make) => s.layer(make()), base)
  return { ...spec, fs: new FileStorage(stack), setup: new FileStorage(base) }
}

/** CPU seconds this process has used, every thread (user + system). */
const cpuNow = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/**
 * Times rows by both clocks: `await time(row, count, body)` stores count/seconds (MB/s for a
 * MiB row) into `out.wall[row]` (elapsed time) and `out.cpu[row]` (CPU time of the process:
 * what another process's load cannot inflate by taking the core away).
 */
function timer(out) {
  return async (row, count, body) => {
    const w0 = now()
    const c0 = cpuNow()
    await body()
    const c = cpuNow() - c0
    const w = now() - w0
    const rate = (dt) => (unitOf(row) === 'MB/s' ? count / dt / (1 << 20) : count / dt)
    out.wall[row] = rate(w)
    // The CPU clock ticks in microseconds; a span it did not see tick has no CPU figure.
    if (c > 0) out.cpu[row] = rate(c)
  }
}

/** Lets queued work (trace events) reach JS inside the timed span, so its cost is counted. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** One pass of the workload over `impl` (from {@link build}): { wall: { row: ops/s or MB/s }, cpu: { .. } }. */
export async function lifecycle(impl, files) {
  const names = Array.from({ length: files }, (_, i) => `${DIR}/f${i}`)
  const big = `${DIR}/big`
  const out = { wall: {}, cpu: {} }
  const time = timer(out)
  const { fs, setup } = impl
  setup.createDirAllSync(DIR)
  const writer = impl.readOnly ? setup : fs
  const timed = async (row, count, body) => {
    // Untimed, but followed by the same turn of the event loop as a timed row: otherwise the
    // next row pays for the work V8 left to that turn (a read-only stack's stat row read 30-50%
    // slower than the bare stack's while the engine does the same work).
    if ((impl.readOnly || impl.warm) && (row === 'write 4 KiB' || row === 'unlink')) {
      body()
      await settle()
      return
    }
    await time(row, count, async () => {
      body()
      await settle()
    })
  }
  await timed('write 4 KiB', files, () => { for (const n of names) writer.writeSync(n, SMALL) })
  if (impl.warm) {
    for (const n of names) {
      fs.metadataSync(n)
      fs.readSync(n)
    }
    await settle()
  }
  await timed('stat', files, () => { for (const n of names) fs.metadataSync(n) })
  await timed('read 4 KiB', files, () => { for (const n of names) fs.readSync(n) })
  await timed('unlink', files, () => { for (const n of names) writer.removeFileSync(n) })
  setup.writeSync(big, BIG)
  await timed('read 16 MiB', BIG_READS * BIG.length, () => {
    for (let i = 0; i < BIG_READS; i++) fs.readSync(big)
  })
  setup.removeFileSync(big)
  return out
}
