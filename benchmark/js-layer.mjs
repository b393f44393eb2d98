// The cost of one JS layer inside a native stack (issue 6): FileStorage over MemoryBackend ->
// Quota, without and with a JS `Middleware` between the backend and the quota, on small-file
// operations (write, stat, read, unlink of 4 KiB files), sync and async.
//
// The layer has a pass-through handler (`return super.op(...)`) for each measured operation, so
// every one of them really crosses native -> JS -> native (operations a layer does not override
// go straight to the native stack below it and cost nothing). A sync call calls the layer
// directly on the JS thread; an async call runs on the blocking pool and waits for the JS thread
// to answer (the stack becomes a blocking stack), so async rows measure the thread hops — unless
// `synchronous: true` is passed, which builds the layer with that option (handlers promise to
// answer synchronously) and serves async calls on the JS thread too. Both stacks are timed in
// the same rounds, interleaved, and each cell is the best round (interference only ever slows a
// round down).
//
// The lead calls `jsLayerRows({ files })`; `node benchmark/js-layer.mjs [files] [--synchronous]`
// prints the rows.
import anyfs from '../dist/index.js'
import { now } from './harness.mjs'

const { FileStorage, MemoryBackend, Middleware, QuotaLayer } = anyfs

const SMALL = Buffer.alloc(4096, 1)
const OPERATIONS = ['write 4 KiB', 'stat', 'read 4 KiB', 'unlink']

/** A layer with a pass-through handler on each measured operation. */
class PassThrough extends Middleware {
  write(path, data) {
    return super.write(path, data)
  }

  metadata(path) {
    return super.metadata(path)
  }

  read(path) {
    return super.read(path)
  }

  removeFile(path) {
    return super.removeFile(path)
  }
}

const roomyQuota = () => QuotaLayer.builder().maxTotalSize(64 * 2 ** 30).maxFileSize(2 ** 30).build()

/** The two stacks: MemoryBackend -> Quota, and MemoryBackend -> PassThrough -> Quota. */
function stacks(synchronous) {
  return {
    without: new FileStorage(new MemoryBackend().layer(roomyQuota())),
    with: new FileStorage(new PassThrough(new MemoryBackend(), { synchronous }).layer(roomyQuota())),
  }
}

/** One round on `fs` in `mode`: ops/s per operation. */
async function round(fs, mode, files) {
  const names = Array.from({ length: files }, (_, i) => `/d/f${i}`)
  fs.createDirAllSync('/d')
  const ops =
    mode === 'sync'
      ? {
          'write 4 KiB': (n) => fs.writeSync(n, SMALL),
          stat: (n) => fs.metadataSync(n),
          'read 4 KiB': (n) => fs.readSync(n),
          unlink: (n) => fs.removeFileSync(n),
        }
      : {
          'write 4 KiB': (n) => fs.write(n, SMALL),
          stat: (n) => fs.metadata(n),
          'read 4 KiB': (n) => fs.read(n),
          unlink: (n) => fs.removeFile(n),
        }
  const out = {}
  for (const operation of OPERATIONS) {
    const op = ops[operation]
    const t0 = now()
    if (mode === 'sync') for (const n of names) op(n)
    else for (const n of names) await op(n)
    out[operation] = files / (now() - t0)
  }
  return out
}

/**
 * Rows `{ operation, mode, without, with }` in ops/s: the native stack without and with one
 * pass-through JS layer, best of `rounds` interleaved rounds (after one warm-up round).
 * `synchronous`: build the layer with `{ synchronous: true }`.
 */
export async function jsLayerRows({ files = 10_000, rounds = 5, synchronous = false } = {}) {
  const impls = stacks(synchronous)
  const best = {}
  for (const mode of ['sync', 'async']) {
    for (let r = -1; r < rounds; r++) {
      // Alternate which stack goes first, so neither always runs after the other.
      const order = r % 2 === 0 ? ['without', 'with'] : ['with', 'without']
      for (const name of order) {
        const res = await round(impls[name], mode, files)
        if (r < 0) continue // warm-up
        for (const [operation, v] of Object.entries(res)) {
          const key = `${mode} ${operation}`
          best[key] ??= {}
          best[key][name] = Math.max(best[key][name] ?? 0, v)
        }
      }
    }
  }
  return ['sync', 'async'].flatMap((mode) =>
    OPERATIONS.map((operation) => ({ operation, mode, without: best[`${mode} ${operation}`].without, with: best[`${mode} ${operation}`].with })),
  )
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const files = Number(args.find((a) => !a.startsWith('--')) ?? 10_000)
  const synchronous = args.includes('--synchronous')
  for (const row of await jsLayerRows({ files, rounds: Number(process.env.BENCH_ROUNDS ?? 5), synchronous })) {
    const ratio = row.with / row.without
    console.log(`${row.mode.padEnd(5)} ${row.operation.padEnd(12)} without ${row.without.toFixed(0).padStart(9)} ops/s  with ${row.with.toFixed(0).padStart(9)} ops/s  (${(ratio * 100).toFixed(1)}%)`)
  }
}
