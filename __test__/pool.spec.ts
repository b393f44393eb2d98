// The blocking pool's promises: every one settles with its own result, however many are in
// flight; pending calls keep the process alive and an idle addon does not.

import { spawn } from 'node:child_process'
import * as nodeFs from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import test, { type ExecutionContext } from 'ava'

import { FileStorage, FsError, SqliteBackend, StdFsBackend } from '../js/index'

const DIST = JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))

function tempDir(t: ExecutionContext): string {
  const dir = nodeFs.mkdtempSync(join(tmpdir(), 'anyfs-pool-'))
  t.teardown(() => nodeFs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Runs a script in a child node; resolves with its exit code and standard output. */
async function runChild(script: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  // 'close', not 'exit': only 'close' waits for the child's stdout to be read to the end.
  const [code] = (await once(child, 'close')) as [number | null]
  clearTimeout(timer)
  return { code, out }
}

test('2000 concurrent pooled calls each settle with their own result or error', async (t) => {
  const fs = new FileStorage(SqliteBackend.inMemory())
  await fs.createDir('/d')
  const n = 2000
  const writes = await Promise.all(Array.from({ length: n }, (_, i) => fs.write(`/d/f${i}`, `content ${i}`)))
  t.is(writes.length, n)
  const reads = await Promise.all(Array.from({ length: n }, (_, i) => fs.readToString(`/d/f${i}`)))
  t.deepEqual(reads, Array.from({ length: n }, (_, i) => `content ${i}`))
  // Successes and failures interleaved in one burst: each promise gets its own outcome.
  const mixed = await Promise.allSettled(Array.from({ length: n }, (_, i) => fs.metadata(i % 2 === 0 ? `/d/f${i}` : `/missing${i}`)))
  mixed.forEach((r, i) => {
    if (i % 2 === 0) {
      t.is(r.status, 'fulfilled')
    } else {
      t.is(r.status, 'rejected')
      const err = (r as PromiseRejectedResult).reason as FsError
      t.true(err instanceof FsError)
      t.is(err.code, 'ENOENT')
      t.is(err.path, `/missing${i}`)
    }
  })
})

test('pending pooled calls keep the process alive; once settled, the process exits', async (t) => {
  const dir = tempDir(t)
  const { code, out } = await runChild(`
    const { FileStorage, StdFsBackend } = require(${DIST})
    const fs = new FileStorage(new StdFsBackend(${JSON.stringify(dir)}))
    // Nothing else holds the event loop: only the pending promises do.
    Promise.all(Array.from({ length: 200 }, (_, i) => fs.write('/f' + i, 'x'.repeat(i))))
      .then(() => fs.readDir('/'))
      .then((entries) => console.log('settled', entries.length))
  `)
  t.is(code, 0)
  t.is(out.trim(), 'settled 200')
})

test('an idle backend does not hold the process open', async (t) => {
  const dir = tempDir(t)
  const started = Date.now()
  const { code, out } = await runChild(`
    const { FileStorage, StdFsBackend } = require(${DIST})
    const fs = new FileStorage(new StdFsBackend(${JSON.stringify(dir)}))
    fs.write('/a', 'x').then(() => console.log('written'))
    globalThis.keep = fs
  `)
  t.is(code, 0)
  t.is(out.trim(), 'written')
  t.true(Date.now() - started < 50_000, 'the child exited by itself, not by the kill timer')
})

test('pooled calls from worker threads settle on their own thread', async (t) => {
  const dir = tempDir(t)
  const { code, out } = await runChild(`
    const { Worker } = require('node:worker_threads')
    const body = \`
      const { parentPort, workerData } = require('node:worker_threads')
      const { FileStorage, StdFsBackend } = require(${DIST.replace(/\\/g, '\\\\')})
      const fs = new FileStorage(new StdFsBackend(workerData.dir))
      Promise.all(Array.from({ length: 50 }, (_, i) => fs.write('/w' + workerData.id + '-' + i, 'y')))
        .then(() => parentPort.postMessage('ok ' + workerData.id))
    \`
    let n = 0
    for (const id of [1, 2]) {
      const w = new Worker(body, { eval: true, workerData: { dir: ${JSON.stringify(dir)}, id } })
      w.on('message', (m) => { console.log(m); if (++n === 2) console.log('both') })
      w.on('error', (e) => { console.error(e); process.exitCode = 1 })
    }
  `)
  t.is(code, 0)
  t.deepEqual(out.trim().split('\n').sort(), ['both', 'ok 1', 'ok 2'])
  t.is(nodeFs.readdirSync(dir).length, 100)
})

test('StdFsBackend async errors keep their code through the pool', async (t) => {
  const fs = new FileStorage(new StdFsBackend(tempDir(t)))
  const err = await t.throwsAsync(fs.read('/nope'), { instanceOf: FsError })
  t.is(err?.code, 'ENOENT')
  t.is(err?.syscall, 'read')
})
