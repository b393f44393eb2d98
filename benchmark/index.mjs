// `npm run bench`: anyfs beside its peers, in one process, on the same workload.
//
// Workload (issue 3): 10k files of 4 KiB in one directory — write, stat, read, readdir, unlink —
// then 1 MiB and 64 MiB whole-file write and read throughput. Each workload runs ROUNDS times,
// the implementations interleaved within a round so drift (GC, CPU frequency) hits all alike; the
// table shows the median round. Results also go to benchmark/results.json.
//
// Why phases, not a micro-benchmark library: a row is a workload over many distinct files (the
// 10k-file lifecycle), which per-call harnesses such as tinybench would turn into repeated
// operations on one warm file.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as path from 'node:path'
import { memfs, nodeTmpfs, zenfs } from './peers.mjs'
import { anyfsMemory } from './anyfs.mjs'

const FILES = Number(process.env.BENCH_FILES ?? 10_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const READDIR_REPEAT = 20
const SMALL = Buffer.alloc(4096, 7)
const MIB = Buffer.alloc(1 << 20, 3)
const MIB64 = Buffer.alloc(64 << 20, 5)

const now = () => Number(process.hrtime.bigint()) / 1e9

/** Runs one lifecycle on one implementation in one mode; returns { row: value }. */
async function lifecycle(impl, mode) {
  const ops = impl[mode]
  const isAsync = mode !== 'sync' && mode !== 'batch'
  const names = Array.from({ length: FILES }, (_, i) => `d/f${i}`)
  const out = {}
  const time = async (row, count, unit, body) => {
    const t0 = now()
    await body()
    const dt = now() - t0
    out[row] = unit === 'MB/s' ? count / dt / (1 << 20) : count / dt
  }
  await ops.mkdir('d')
  if (mode === 'batch') {
    await time('write 4 KiB', FILES, 'ops/s', () => ops.writeMany(names, SMALL))
    await time('stat', FILES, 'ops/s', () => ops.statMany(names))
    await time('read 4 KiB', FILES, 'ops/s', () => ops.readMany(names))
    await time('readdir (10k entries)', READDIR_REPEAT, 'ops/s', () => {
      for (let i = 0; i < READDIR_REPEAT; i++) ops.readdir('d')
    })
    await time('unlink', FILES, 'ops/s', () => ops.unlinkMany(names))
    return out
  }
  if (isAsync) {
    await time('write 4 KiB', FILES, 'ops/s', async () => { for (const n of names) await ops.write(n, SMALL) })
    await time('stat', FILES, 'ops/s', async () => { for (const n of names) await ops.stat(n) })
    await time('read 4 KiB', FILES, 'ops/s', async () => { for (const n of names) await ops.read(n) })
    await time('readdir (10k entries)', READDIR_REPEAT, 'ops/s', async () => {
      for (let i = 0; i < READDIR_REPEAT; i++) await ops.readdir('d')
    })
    await time('unlink', FILES, 'ops/s', async () => { for (const n of names) await ops.unlink(n) })
    await time('write 1 MiB', 64 * MIB.length, 'MB/s', async () => { for (let i = 0; i < 64; i++) await ops.write('big1', MIB) })
    await time('read 1 MiB', 64 * MIB.length, 'MB/s', async () => { for (let i = 0; i < 64; i++) await ops.read('big1') })
    await time('write 64 MiB', 2 * MIB64.length, 'MB/s', async () => { for (let i = 0; i < 2; i++) await ops.write('big64', MIB64) })
    await time('read 64 MiB', 2 * MIB64.length, 'MB/s', async () => { for (let i = 0; i < 2; i++) await ops.read('big64') })
    await ops.unlink('big1')
    await ops.unlink('big64')
    return out
  }
  await time('write 4 KiB', FILES, 'ops/s', () => { for (const n of names) ops.write(n, SMALL) })
  await time('stat', FILES, 'ops/s', () => { for (const n of names) ops.stat(n) })
  await time('read 4 KiB', FILES, 'ops/s', () => { for (const n of names) ops.read(n) })
  await time('readdir (10k entries)', READDIR_REPEAT, 'ops/s', () => {
    for (let i = 0; i < READDIR_REPEAT; i++) ops.readdir('d')
  })
  await time('unlink', FILES, 'ops/s', () => { for (const n of names) ops.unlink(n) })
  await time('write 1 MiB', 64 * MIB.length, 'MB/s', () => { for (let i = 0; i < 64; i++) ops.write('big1', MIB) })
  await time('read 1 MiB', 64 * MIB.length, 'MB/s', () => { for (let i = 0; i < 64; i++) ops.read('big1') })
  await time('write 64 MiB', 2 * MIB64.length, 'MB/s', () => { for (let i = 0; i < 2; i++) ops.write('big64', MIB64) })
  await time('read 64 MiB', 2 * MIB64.length, 'MB/s', () => { for (let i = 0; i < 2; i++) ops.read('big64') })
  ops.unlink('big1')
  ops.unlink('big64')
  return out
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const fmt = (v) => (v === undefined ? '-' : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0))

async function main() {
  const impls = [anyfsMemory(), nodeTmpfs(), memfs(), await zenfs()]
  const modes = ['sync', 'async']
  // samples[implName][mode][row] = [values...]
  const samples = {}
  const record = (name, mode, res) => {
    samples[name] ??= {}
    samples[name][mode] ??= {}
    for (const [row, v] of Object.entries(res)) (samples[name][mode][row] ??= []).push(v)
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const impl of impls) {
      for (const mode of [...modes, 'batch']) {
        if (!impl[mode]) continue
        // A peer whose 10k-file rows take minutes (zenfs: O(n) per op in a large directory) runs once.
        if (impl.slow && r > 0) continue
        if (process.env.BENCH_VERBOSE) process.stderr.write(`  ${impl.name} ${mode}\n`)
        record(impl.name, mode, await lifecycle(impl, mode))
      }
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`)
  }
  for (const impl of impls) impl.teardown()

  const results = { files: FILES, rounds: ROUNDS, node: process.version, date: new Date().toISOString(), rows: [] }
  const anyfsName = impls[0].name
  const peers = impls.slice(1).map((i) => i.name)
  const lines = []
  for (const mode of modes) {
    const rows = Object.keys(samples[anyfsName][mode])
    const head = ['operation', `anyfs ${mode}`, ...(mode === 'sync' ? ['anyfs batch'] : []), ...peers.map((p) => `${p} ${mode}`), 'anyfs / best peer']
    lines.push(`\n### ${mode}\n`, `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`)
    for (const row of rows) {
      const unit = row.startsWith('write 1') || row.startsWith('read 1') || row.includes('64 MiB') ? 'MB/s' : 'ops/s'
      const mine = median(samples[anyfsName][mode][row])
      const batch = mode === 'sync' && samples[anyfsName].batch?.[row] ? median(samples[anyfsName].batch[row]) : undefined
      const peerVals = peers.map((p) => (samples[p]?.[mode]?.[row] ? median(samples[p][mode][row]) : undefined))
      const best = Math.max(...peerVals.filter((v) => v !== undefined))
      const ratio = mine / best
      results.rows.push({ mode, operation: row, unit, anyfs: mine, anyfsBatch: batch, peers: Object.fromEntries(peers.map((p, i) => [p, peerVals[i]])), ratioToBestPeer: ratio })
      lines.push(`| ${row} (${unit}) | ${fmt(mine)} | ${mode === 'sync' ? `${fmt(batch)} | ` : ''}${peerVals.map(fmt).join(' | ')} | ${ratio.toFixed(2)}x |`)
    }
  }
  console.log(`anyfs benchmark: ${FILES} files, median of ${ROUNDS} rounds, Node ${process.version}`)
  console.log(lines.join('\n'))
  const here = path.dirname(fileURLToPath(import.meta.url))
  writeFileSync(path.join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n')
  console.log(`\nwrote ${path.join('benchmark', 'results.json')}`)
}

await main()
