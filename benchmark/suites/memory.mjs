// Suite `memory` (issue 3): anyfs FileStorage over MemoryBackend beside node:fs on tmpfs, memfs and
// @zenfs/core. 10k files of 4 KiB in one directory — write, stat, read, readdir, unlink — then 1 MiB
// and 64 MiB whole-file write and read throughput, sync and async (plus anyfs's batch calls).
//
// Why phases, not a micro-benchmark library: a row is a workload over many distinct files (the
// 10k-file lifecycle), which per-call harnesses such as tinybench would turn into repeated
// operations on one warm file.
import { memfs, nodeTmpfs, zenfs } from '../peers.mjs'
import { anyfsMemory } from '../anyfs.mjs'
import { Samples, fmt, progress, rowTimer, table, unitOf } from '../harness.mjs'

const READDIR_REPEAT = 20
const SMALL = Buffer.alloc(4096, 7)
const MIB = Buffer.alloc(1 << 20, 3)
const MIB64 = Buffer.alloc(64 << 20, 5)

/** Runs one lifecycle on one implementation in one mode; returns { row: value }. */
export async function lifecycle(impl, mode, files, { bigFiles = true } = {}) {
  const ops = impl[mode]
  const names = Array.from({ length: files }, (_, i) => `d/f${i}`)
  const out = {}
  const time = rowTimer(out)
  const readdirRow = `readdir (${files >= 1000 ? `${files / 1000}k` : files} entries)`
  await ops.mkdir('d')
  if (mode === 'batch') {
    await time('write 4 KiB', files, () => ops.writeMany(names, SMALL))
    await time('stat', files, () => ops.statMany(names))
    await time('read 4 KiB', files, () => ops.readMany(names))
    await time(readdirRow, READDIR_REPEAT, () => {
      for (let i = 0; i < READDIR_REPEAT; i++) ops.readdir('d')
    })
    await time('unlink', files, () => ops.unlinkMany(names))
    return out
  }
  // Awaiting a sync call's result costs a microtask per call: sync rows call without `await`.
  const each = mode === 'sync'
    ? (f) => () => { for (const n of names) f(n) }
    : (f) => async () => { for (const n of names) await f(n) }
  const repeat = mode === 'sync'
    ? (k, f) => () => { for (let i = 0; i < k; i++) f() }
    : (k, f) => async () => { for (let i = 0; i < k; i++) await f() }
  await time('write 4 KiB', files, each((n) => ops.write(n, SMALL)))
  await time('stat', files, each((n) => ops.stat(n)))
  await time('read 4 KiB', files, each((n) => ops.read(n)))
  await time(readdirRow, READDIR_REPEAT, repeat(READDIR_REPEAT, () => ops.readdir('d')))
  await time('unlink', files, each((n) => ops.unlink(n)))
  if (!bigFiles) return out
  await time('write 1 MiB', 64 * MIB.length, repeat(64, () => ops.write('big1', MIB)))
  await time('read 1 MiB', 64 * MIB.length, repeat(64, () => ops.read('big1')))
  await time('write 64 MiB', 2 * MIB64.length, repeat(2, () => ops.write('big64', MIB64)))
  await time('read 64 MiB', 2 * MIB64.length, repeat(2, () => ops.read('big64')))
  await ops.unlink('big1')
  await ops.unlink('big64')
  return out
}

/** Runs the suite; returns { lines, results }. */
export async function run({ files, rounds }) {
  const impls = [anyfsMemory(), nodeTmpfs(), memfs(), await zenfs()]
  const modes = ['sync', 'async']
  const samples = new Samples()
  for (let r = 0; r < rounds; r++) {
    for (const impl of impls) {
      for (const mode of [...modes, 'batch']) {
        if (!impl[mode]) continue
        // A peer whose 10k-file rows take minutes (zenfs: O(n) per op in a large directory) runs once.
        if (impl.slow && r > 0) continue
        if (process.env.BENCH_VERBOSE) progress(`  ${impl.name} ${mode}`)
        samples.record(impl.name, mode, await lifecycle(impl, mode, files))
      }
    }
    progress(`memory: round ${r + 1}/${rounds} done`)
  }
  for (const impl of impls) impl.teardown()

  const anyfsName = impls[0].name
  const peers = impls.slice(1).map((i) => i.name)
  const rows = []
  const out = []
  for (const mode of modes) {
    const head = ['operation', `anyfs ${mode}`, ...(mode === 'sync' ? ['anyfs batch'] : []), ...peers.map((p) => `${p} ${mode}`), 'anyfs / best peer']
    const body = []
    for (const row of samples.rows(anyfsName, mode)) {
      const mine = samples.get(anyfsName, mode, row)
      const batch = mode === 'sync' ? samples.get(anyfsName, 'batch', row) : undefined
      const peerVals = peers.map((p) => samples.get(p, mode, row))
      const ratio = mine / Math.max(...peerVals.filter((v) => v !== undefined))
      rows.push({ mode, operation: row, unit: unitOf(row), anyfs: mine, anyfsBatch: batch, peers: Object.fromEntries(peers.map((p, i) => [p, peerVals[i]])), ratioToBestPeer: ratio })
      body.push([`${row} (${unitOf(row)})`, fmt(mine), ...(mode === 'sync' ? [fmt(batch)] : []), ...peerVals.map(fmt), `${ratio.toFixed(2)}x`])
    }
    out.push(table(`memory, ${mode}: FileStorage over MemoryBackend vs in-memory peers (${files} files)`, head, body))
  }
  return { lines: out, results: { files, rounds, rows } }
}
