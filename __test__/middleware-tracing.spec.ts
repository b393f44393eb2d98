// Tracing from TypeScript: events for sync calls, async calls and calls on the blocking pool,
// in order, after the call (never inside it), with failing listeners isolated.

import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

import test from 'ava'

import { FileStorage, MemoryBackend, QuotaLayer, Tracing, TracingLayer, type TraceEvent } from '../js/index'
import { MODES, api, backend } from './helpers'

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
