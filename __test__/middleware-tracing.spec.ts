// Tracing from TypeScript: events for sync calls, async calls and calls on the blocking pool,
// in order, after the call (never inside it), with failing listeners isolated.

import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

import test from 'ava'

import { FileStorage, MemoryBackend, QuotaLayer, Tracing, TracingLayer, type TraceEvent } from '../js/index'
import { MODES, api, backend, until, warningWith } from './helpers'

/** Resolves with the first `count` events the stack emits. */
function collect(stack: Tracing<MemoryBackend>, count: number): Promise<TraceEvent[]> {
  const seen: TraceEvent[] = []
  return new Promise((resolve) => {
    stack.events.on('event', (e) => {
      seen.push(e)
      if (seen.length === count) resolve(seen)
    })
  })
}

for (const mode of MODES) {
  test(`${mode}: every operation arrives as an event, in order, without flush`, async (t) => {
    const traced = backend(mode).layer(TracingLayer.builder().target('test::fs').level('info').build())
    const events = collect(traced, 4)
    const fs = api(traced, mode)
    await fs.write('/a.txt', 'hello')
    await fs.read('/a.txt')
    await fs.read('/missing').catch(() => {})
    await fs.rename('/a.txt', '/b.txt')
    const seen = await events
    t.deepEqual(
      seen.map((e) => [e.operation, e.ok, e.path, e.dest, e.bytes, e.code]),
      [
        ['write', true, '/a.txt', undefined, 5, undefined],
        ['read', true, '/a.txt', undefined, 5, undefined],
        ['read', false, '/missing', undefined, undefined, 'ENOENT'],
        ['rename', true, '/a.txt', '/b.txt', undefined, undefined],
      ],
    )
    for (const e of seen) t.true(e.durationMs >= 0 && Number.isFinite(e.durationMs))
    t.is(traced.dropped, 0)
  })
}

test('a sync call delivers its event after the call returns, or at once with flush()', (t) => {
  const seen: string[] = []
  const traced = new Tracing(new MemoryBackend(), { onEvent: (e) => seen.push(e.operation) })
  traced.writeSync('/a', 'x')
  // Never inside the call: nothing has been delivered yet on this turn...
  t.deepEqual(seen, [])
  // ...until flushed.
  t.is(traced.flush(), 1)
  t.deepEqual(seen, ['write'])
  t.is(traced.flush(), 0)
  traced.createDirAllSync('/d/e')
  traced.metadataSync('/d')
  traced.flush()
  t.deepEqual(seen, ['write', 'createDirAll', 'metadata'])
})

test('events from the blocking pool arrive in completion order', async (t) => {
  const traced = new Tracing(new MemoryBackend({ offload: true }))
  const events = collect(traced, 20)
  for (let i = 0; i < 20; i++) await traced.write(`/f${i}`, String(i))
  const seen = await events
  t.deepEqual(
    seen.map((e) => e.path),
    Array.from({ length: 20 }, (_, i) => `/f${i}`),
  )
})

test('a listener may call the same stack: delivery is outside the engine, so no deadlock', async (t) => {
  // Quota outside Tracing holds its lock while the traced inner call runs; a listener run
  // inside that call and writing through the quota would deadlock.
  const traced = new MemoryBackend().layer(new TracingLayer())
  const quota = traced.layer(new QuotaLayer({ maxTotalSize: 1024 }))
  let wrote = false
  traced.events.on('event', (e) => {
    if (e.operation === 'write' && e.path === '/trigger' && !wrote) {
      wrote = true
      quota.writeSync('/log', `saw ${e.operation}`)
    }
  })
  const logged = once(traced.events, 'event')
  quota.writeSync('/trigger', 'x')
  await logged
  traced.flush()
  t.is(quota.readToStringSync('/log'), 'saw write')
})

test('a throwing listener is reported as a warning and the others still get events', async (t) => {
  const traced = new Tracing(new MemoryBackend())
  const seen: string[] = []
  traced.events.on('event', () => {
    throw new Error('listener bug')
  })
  traced.events.on('event', (e) => seen.push(e.path ?? ''))
  const warning = once(process, 'warning')
  traced.writeSync('/a', 'x')
  traced.writeSync('/b', 'y')
  t.is(traced.flush(), 2)
  const [w] = (await warning) as [Error]
  t.is(w.message, 'listener bug')
  t.deepEqual(seen, ['/a', '/b'])
  // The stack keeps working.
  t.is(traced.readToStringSync('/b'), 'y')
})

test('events beyond maxPending are dropped and counted, not buffered without bound', (t) => {
  let seen = 0
  const traced = new MemoryBackend().layer(TracingLayer.builder().maxPending(3).onEvent(() => seen++).build())
  for (let i = 0; i < 10; i++) traced.existsSync('/')
  t.is(traced.dropped, 7)
  t.is(traced.flush(), 3)
  t.is(seen, 3)
})

test('events are made only while an event listener is attached', (t) => {
  const traced = new Tracing(new MemoryBackend())
  traced.writeSync('/unheard', 'x')
  t.is(traced.flush(), 0)
  const seen: string[] = []
  const listener = (e: TraceEvent): void => void seen.push(e.path ?? '')
  traced.events.on('event', listener)
  traced.writeSync('/heard', 'x')
  t.is(traced.flush(), 1)
  t.deepEqual(seen, ['/heard'])
  traced.events.off('event', listener)
  traced.writeSync('/unheard-again', 'x')
  t.is(traced.flush(), 0)
  t.is(traced.dropped, 0)
  // A second listener added and one of two removed: still listening.
  const other = (): void => undefined
  traced.events.on('event', listener)
  traced.events.on('event', other)
  traced.events.off('event', other)
  traced.writeSync('/heard-again', 'x')
  t.is(traced.flush(), 1)
  t.deepEqual(seen, ['/heard', '/heard-again'])
})

test('a FileStorage over a traced stack reports its calls', (t) => {
  const seen: TraceEvent[] = []
  const traced = new MemoryBackend().layer(new TracingLayer({ onEvent: (e) => seen.push(e) }))
  const fs = new FileStorage(traced)
  fs.writeSync('/x', 'abc')
  fs.readRangeSync('/x', 1, 5)
  traced.flush()
  t.deepEqual(
    seen.map((e) => [e.operation, e.bytes]),
    [
      ['write', 3],
      ['readRange', 2],
    ],
  )
})

test('tracing options are validated', (t) => {
  t.throws(() => TracingLayer.builder().level('loud' as 'info'), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' })
  t.throws(() => TracingLayer.builder().target(''), { instanceOf: TypeError })
  t.throws(() => TracingLayer.builder().onEvent('log' as unknown as () => void), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  t.throws(() => TracingLayer.builder().maxPending(0), { instanceOf: RangeError })
  t.throws(() => new Tracing(new MemoryBackend(), { sink: () => {} } as unknown as undefined), { instanceOf: TypeError })
  const layer = TracingLayer.builder().target('a::b').level('warn').build()
  const traced = new MemoryBackend().layer(layer)
  t.is(traced.target, 'a::b')
  t.is(traced.level, 'warn')
})

/** V8's collector, for the lifetime tests. */
function collector(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

test('an idle traced stack is collected even when its listener refers to it', async (t) => {
  const gc = collector()
  let ref: WeakRef<object> | undefined
  ;(() => {
    const traced = new Tracing(new MemoryBackend())
    // The listener refers to the stack (calling it would trace that call too, forever).
    traced.events.on('event', () => void traced.target)
    traced.writeSync('/a', 'x')
    traced.flush()
    ref = new WeakRef(traced)
  })()
  for (let i = 0; i < 10 && ref?.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
  }
  t.is(ref?.deref(), undefined)
})

test('events waiting for delivery keep their emitter, even when nothing else refers to the stack', async (t) => {
  const gc = collector()
  const arrived = (() => {
    const traced = new Tracing(new MemoryBackend())
    const got = once(traced.events, 'event')
    traced.writeSync('/a', 'x')
    return got
  })()
  gc()
  const [e] = (await arrived) as [TraceEvent]
  t.is(e.operation, 'write')
})

test('events still waiting when the process exits are delivered on the way out', (t) => {
  const entry = join(__dirname, '..', 'js', 'index.ts')
  const script = `
    const { MemoryBackend, Tracing } = require(${JSON.stringify(entry)})
    const traced = new Tracing(new MemoryBackend(), { onEvent: (e) => console.log(e.operation + ' ' + e.path) })
    traced.writeSync('/last-words', 'x')
    process.exit(0)
  `
  const run = spawnSync(process.execPath, ['--import=tsx', '-e', script], { encoding: 'utf8' })
  t.is(run.status, 0, run.stderr)
  t.is(run.stdout.trim(), 'write /last-words')
})

// ---- Batched delivery: the native side buffers events as columns and JS builds the objects ----

test('events keep their exact fields: present ones only, in the same order', async (t) => {
  const seen: TraceEvent[] = []
  const traced = new Tracing(new MemoryBackend(), { onEvent: (e) => seen.push(e) })
  traced.writeSync('/a', 'abc')
  traced.renameSync('/a', '/b')
  t.throws(() => traced.readSync('/a'))
  const h = traced.openSync('/b', 'r')
  traced.closeSync(h)
  const ino = traced.pathToInodeSync('/b')
  traced.metadataByInodeSync(ino)
  traced.syncSync()
  t.is(traced.flush(), 8)
  t.deepEqual(
    seen.map((e) => Object.keys(e)),
    [
      ['operation', 'path', 'bytes', 'ok', 'durationMs'],
      ['operation', 'path', 'dest', 'ok', 'durationMs'],
      ['operation', 'path', 'ok', 'code', 'durationMs'],
      ['operation', 'path', 'handle', 'ok', 'durationMs'],
      ['operation', 'handle', 'ok', 'durationMs'],
      ['operation', 'path', 'inode', 'ok', 'durationMs'],
      ['operation', 'inode', 'ok', 'durationMs'],
      ['operation', 'ok', 'durationMs'],
    ],
  )
  const [write, rename, failed, open, close, toInode, byInode, sync] = seen
  t.like(write, { operation: 'write', path: '/a', bytes: 3, ok: true })
  t.like(rename, { operation: 'rename', path: '/a', dest: '/b', ok: true })
  t.like(failed, { operation: 'read', path: '/a', ok: false, code: 'ENOENT' })
  t.like(open, { operation: 'open', path: '/b', handle: h })
  t.like(close, { operation: 'close', handle: h })
  t.like(toInode, { operation: 'pathToInode', path: '/b', inode: ino })
  t.like(byInode, { operation: 'metadataByInode', inode: ino })
  t.like(sync, { operation: 'sync', ok: true })
  for (const e of seen) t.true(typeof e.durationMs === 'number' && e.durationMs >= 0)
})

test('paths with non-ASCII characters are cut where they end', (t) => {
  const names = ['/é', '/日本語.txt', '/emoji-😀-x', '/plain', '/𝄞𝄞']
  const seen: string[] = []
  const traced = new Tracing(new MemoryBackend(), { onEvent: (e) => seen.push(`${e.path}>${e.dest ?? ''}`) })
  for (const n of names) traced.writeSync(n, 'x')
  traced.renameSync('/é', '/ü-😀')
  traced.writeSync('/after', 'x')
  t.is(traced.flush(), names.length + 2)
  t.deepEqual(seen, [...names.map((n) => `${n}>`), '/é>/ü-😀', '/after>'])
})

test('every event arrives, in order, across many batches and name tables', async (t) => {
  const seen: TraceEvent[] = []
  const traced = new Tracing(new MemoryBackend(), { onEvent: (e) => seen.push(e) })
  const expected: string[] = []
  // Batch 1: a long synchronous loop, delivered on the next turn.
  for (let i = 0; i < 5000; i++) {
    traced.writeSync(`/f${i}`, 'x')
    expected.push(`write /f${i} ok`)
  }
  await until(() => seen.length >= 5000)
  t.is(seen.length, 5000)
  // Later batches use operations and error codes not seen before (their names arrive then).
  for (let round = 0; round < 5; round++) {
    traced.createDirSync(`/d${round}`)
    expected.push(`createDir /d${round} ok`)
    t.throws(() => traced.createDirSync(`/d${round}`))
    expected.push(`createDir /d${round} EEXIST`)
    t.throws(() => traced.readSync(`/d${round}`))
    expected.push(`read /d${round} EISDIR`)
    if (round % 2 === 0) traced.flush()
    else await until(() => seen.length === expected.length)
  }
  t.deepEqual(
    seen.map((e) => `${e.operation} ${e.path} ${e.ok ? 'ok' : e.code}`),
    expected,
  )
  t.is(traced.dropped, 0)
})

test('concurrent async calls on the blocking pool each arrive exactly once', async (t) => {
  const seen: string[] = []
  const traced = new Tracing(new MemoryBackend({ offload: true }), { onEvent: (e) => seen.push(e.path ?? '') })
  const paths = Array.from({ length: 300 }, (_, i) => `/p${i}`)
  await Promise.all(paths.map((p) => traced.write(p, p)))
  await until(() => seen.length >= paths.length)
  traced.flush()
  t.deepEqual([...seen].sort(), [...paths].sort())
})

test('a throwing listener during event-loop delivery is a warning, not a crash', async (t) => {
  const traced = new Tracing(new MemoryBackend())
  const seen: string[] = []
  traced.events.on('event', (e) => {
    if (e.path === '/b') throw new Error('in the middle of a batch')
  })
  traced.events.on('event', (e) => seen.push(e.path ?? ''))
  const warning = warningWith('in the middle of a batch')
  traced.writeSync('/a', 'x')
  traced.writeSync('/b', 'x')
  traced.writeSync('/c', 'x')
  // The very error the listener threw, as a process warning.
  t.is((await warning).message, 'in the middle of a batch')
  await until(() => seen.length >= 3)
  t.deepEqual(seen, ['/a', '/b', '/c'])
  // Later calls still report.
  traced.writeSync('/d', 'x')
  traced.flush()
  t.deepEqual(seen, ['/a', '/b', '/c', '/d'])
})

test('listeners added or removed inside a batch apply from the next event, like emit', (t) => {
  const traced = new Tracing(new MemoryBackend())
  const first: string[] = []
  const late: string[] = []
  const lateListener = (e: TraceEvent): void => void late.push(e.path ?? '')
  const firstListener = (e: TraceEvent): void => {
    first.push(e.path ?? '')
    if (e.path === '/2') {
      traced.events.off('event', firstListener)
      traced.events.on('event', lateListener)
    }
  }
  traced.events.on('event', firstListener)
  traced.events.once('event', (e) => late.push(`once ${e.path}`))
  for (const p of ['/1', '/2', '/3', '/4']) traced.writeSync(p, 'x')
  t.is(traced.flush(), 4)
  t.deepEqual(first, ['/1', '/2'])
  t.deepEqual(late, ['once /1', '/3', '/4'])
})

test('a traced stack in a worker thread delivers its events on that thread', async (t) => {
  const { Worker } = await import('node:worker_threads')
  const dist = join(__dirname, '..', 'dist', 'index.js')
  const body = `
    const { parentPort, isMainThread } = require('node:worker_threads')
    const { MemoryBackend, Tracing } = require(${JSON.stringify(dist)})
    const seen = []
    const traced = new Tracing(new MemoryBackend(), {
      onEvent: (e) => {
        seen.push(e.operation + ' ' + e.path + (isMainThread ? ' on the main thread' : ''))
        if (seen.length === 3) parentPort.postMessage(seen)
      },
    })
    traced.writeSync('/w', 'x')
    traced.write('/v', 'y').then(() => traced.readSync('/w'))
  `
  const worker = new Worker(body, { eval: true })
  const [got] = (await once(worker, 'message')) as [string[]]
  await worker.terminate()
  t.deepEqual(got, ['write /w', 'write /v', 'read /w'])
})

test("a listener's flush() cannot put its own events before the rest of the batch", (t) => {
  const seen: string[] = []
  const traced = new Tracing(new MemoryBackend())
  traced.events.on('event', (e) => {
    seen.push(`${e.operation} ${e.path}`)
    if (e.path === '/a') {
      traced.existsSync('/from-listener')
      traced.flush()
    }
  })
  traced.writeSync('/a', 'x')
  traced.writeSync('/b', 'x')
  t.is(traced.flush(), 2)
  t.deepEqual(seen, ['write /a', 'write /b', 'exists /from-listener'])
})
