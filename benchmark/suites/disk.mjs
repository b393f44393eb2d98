// Suite `disk` (issue 4): the persistent and host backends on the disk.
// - SqliteBackend (default `synchronous: 'normal'`, and `'full'`) beside agentfs-sdk (SQLite in
//   Turso's engine) and node:fs on the same disk;
// - StdFsBackend beside node:fs on the same directory.
// Rows: small-file write/stat/read/readdir/unlink (BENCH_DISK_FILES, default 2000 files of 4 KiB),
// and a 64 MiB file streamed in 1 MiB pieces, written then read.
import * as nodeFs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import anyfs from '../../dist/index.js'
import { storageAdapter } from '../anyfs.mjs'
import { agentfs, nodeDisk } from '../peers-disk.mjs'
import { Samples, fmt, progress, rowTimer, table, unitOf } from '../harness.mjs'
import { lifecycle } from './memory.mjs'

const { FileStorage, SqliteBackend, StdFsBackend } = anyfs
const MIB = Buffer.alloc(1 << 20, 9)
const STREAMED = 64 << 20

async function streamed(impl) {
  const out = {}
  const time = rowTimer(out)
  await time('stream write 64 MiB', STREAMED, () => impl.async.streamWrite('big64', MIB, STREAMED))
  await time('stream read 64 MiB', STREAMED, async () => {
    const n = await impl.async.streamRead('big64')
    if (n !== STREAMED) throw new Error(`${impl.name} streamed back ${n} bytes, not ${STREAMED}`)
  })
  await impl.async.unlink('big64')
  return out
}

const mkdtemp = (base, tag) => nodeFs.mkdtempSync(path.join(base, `anyfs-bench-${tag}-`))

/** Runs the suite; returns { lines, results }. */
export async function run({ rounds }) {
  const files = Number(process.env.BENCH_DISK_FILES ?? 2000)
  const base = process.env.BENCH_DIR ?? os.tmpdir()
  const sqliteDir = mkdtemp(base, 'sqlite')
  const sqlite = (name, synchronous) => {
    const file = path.join(sqliteDir, `${synchronous}.db`)
    return storageAdapter(name, new FileStorage(SqliteBackend.open(file, { synchronous })))
  }
  const shared = mkdtemp(base, 'stdfs')
  const sqliteImpls = [
    sqlite('anyfs SqliteBackend', 'normal'),
    sqlite("anyfs SqliteBackend (synchronous 'full')", 'full'),
    await agentfs(mkdtemp(base, 'agentfs')),
    nodeDisk(mkdtemp(base, 'node')),
  ]
  // The same directory for both, so the comparison is of the code paths, not of the directories.
  const stdImpls = [
    storageAdapter('anyfs StdFsBackend', new FileStorage(new StdFsBackend(shared))),
    nodeDisk(shared, { name: 'node:fs (same directory)', own: false }),
  ]
  const samples = new Samples()
  for (let r = 0; r < rounds; r++) {
    for (const impl of [...sqliteImpls, ...stdImpls]) {
      if (impl.slow && r > 0) continue
      for (const mode of ['sync', 'async']) {
        if (!impl[mode]) continue
        if (process.env.BENCH_VERBOSE) progress(`  ${impl.name} ${mode}`)
        samples.record(impl.name, mode, await lifecycle(impl, mode, files, { bigFiles: false }))
      }
      samples.record(impl.name, 'async', await streamed(impl))
    }
    progress(`disk: round ${r + 1}/${rounds} done`)
  }
  for (const impl of [...sqliteImpls, ...stdImpls]) await impl.teardown()
  nodeFs.rmSync(sqliteDir, { recursive: true, force: true })
  nodeFs.rmSync(shared, { recursive: true, force: true })

  const rows = []
  const lines = []
  // SqliteBackend against agentfs-sdk: agentfs is async only, so the ratio compares async rows.
  {
    const [normal, full, agent, node] = sqliteImpls.map((i) => i.name)
    const head = ['operation', 'anyfs SqliteBackend sync', 'anyfs SqliteBackend async', "anyfs 'full' async", 'agentfs-sdk', 'node:fs (disk) async', 'SqliteBackend / agentfs-sdk', "'full' / agentfs-sdk"]
    const body = []
    for (const row of samples.rows(normal, 'async')) {
      const v = {
        sync: samples.get(normal, 'sync', row),
        async: samples.get(normal, 'async', row),
        full: samples.get(full, 'async', row),
        agentfs: samples.get(agent, 'async', row),
        node: samples.get(node, 'async', row),
      }
      rows.push({ table: 'sqlite', operation: row, unit: unitOf(row), ...v, ratio: v.async / v.agentfs, ratioFull: v.full / v.agentfs })
      body.push([`${row} (${unitOf(row)})`, fmt(v.sync), fmt(v.async), fmt(v.full), fmt(v.agentfs), fmt(v.node), `${(v.async / v.agentfs).toFixed(1)}x`, `${(v.full / v.agentfs).toFixed(1)}x`])
    }
    lines.push(table(`disk: SqliteBackend vs agentfs-sdk and node:fs (${files} files)`, head, body))
  }
  {
    const [mine, node] = stdImpls.map((i) => i.name)
    const head = ['operation', 'StdFsBackend sync', 'node:fs sync', 'sync ratio', 'StdFsBackend async', 'node:fs async', 'async ratio']
    const body = []
    for (const row of samples.rows(mine, 'async')) {
      const v = {
        sync: samples.get(mine, 'sync', row),
        nodeSync: samples.get(node, 'sync', row),
        async: samples.get(mine, 'async', row),
        nodeAsync: samples.get(node, 'async', row),
      }
      const ratio = (a, b) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`)
      rows.push({ table: 'stdfs', operation: row, unit: unitOf(row), ...v, ratioSync: v.sync / v.nodeSync, ratioAsync: v.async / v.nodeAsync })
      body.push([`${row} (${unitOf(row)})`, fmt(v.sync), fmt(v.nodeSync), ratio(v.sync, v.nodeSync), fmt(v.async), fmt(v.nodeAsync), ratio(v.async, v.nodeAsync)])
    }
    lines.push(table(`disk: StdFsBackend vs node:fs on the same directory (${files} files)`, head, body))
  }
  return { lines, results: { files, rounds, dir: base, rows } }
}
