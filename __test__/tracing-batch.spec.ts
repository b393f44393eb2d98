// Tracing's batch listener: every delivery's operations as typed-array columns, complete and in
// order, for sync calls, async calls and calls on the blocking pool, beside per-event listeners.

import test from 'ava'

import { MemoryBackend, Tracing, TracingLayer, type TraceBatch, type TraceEvent } from '../js/index'
import { MODES, api, backend, until, warningWith } from './helpers'

/** One row per event of a batch, read from its columns only (not through `event(i)`). */
function rows(b: TraceBatch): unknown[][] {
  const out: unknown[][] = []
  for (let i = 0; i < b.length; i++) {
    const code = b.code[i] as number
    out.push([
      b.operationNames[b.operation[i] as number],
      b.ok[i] === 1,
      code < 0 ? undefined : b.codeNames[code],
      b.path(i),
      b.dest(i),
      b.bytes[i],
    ])
  }
  return out
}

for (const mode of MODES) {
  test(`${mode}: every operation arrives in a batch, in order, with its columns`, async (t) => {
    const batches: TraceBatch[] = []
    const traced = backend(mode).layer(TracingLayer.builder().onBatch((b) => batches.push(b)).build())
    const fs = api(traced, mode)
    await fs.write('/a.txt', 'hello')
    await fs.read('/a.txt')
    await fs.read('/missing').catch(() => {})
    await fs.rename('/a.txt', '/b.txt')
    await fs.createDir('/b.txt').catch(() => {})
    await until(() => batches.reduce((n, b) => n + b.length, 0) >= 5)
    traced.flush()
    t.true(batches.every((b) => b.length > 0), 'no empty batch is delivered')
    t.deepEqual(batches.flatMap(rows), [
      ['write', true, undefined, '/a.txt', undefined, 5],
      ['read', true, undefined, '/a.txt', undefined, 5],
      ['read', false, 'ENOENT', '/missing', undefined, -1],
      ['rename', true, undefined, '/a.txt', '/b.txt', -1],
      ['createDir', false, 'EEXIST', '/b.txt', undefined, -1],
    ])
    for (const b of batches) {
      for (const column of [b.operation, b.ok, b.code, b.pathStart, b.pathEnd, b.destStart, b.destEnd, b.bytes, b.handle, b.inode, b.durationMs]) {
        t.true(column instanceof Float64Array)
        t.is(column.length, b.length)
      }
      for (const ms of b.durationMs) t.true(ms >= 0 && Number.isFinite(ms))
    }
    t.is(traced.dropped, 0)
  })
}

test('a sync call is delivered as one batch on flush(), never inside the call; an empty flush delivers none', (t) => {
  const batches: TraceBatch[] = []
  const traced = new Tracing(new MemoryBackend(), { onBatch: (b) => batches.push(b) })
  traced.writeSync('/a', 'xy')
  traced.createDirAllSync('/d/e')
  traced.metadataSync('/d')
  t.is(batches.length, 0)
  t.is(traced.flush(), 3)
  t.is(batches.length, 1)
  t.deepEqual(rows(batches[0] as TraceBatch), [
    ['write', true, undefined, '/a', undefined, 2],
    ['createDirAll', true, undefined, '/d/e', undefined, -1],
    ['metadata', true, undefined, '/d', undefined, -1],
  ])
  t.is(traced.flush(), 0)
  t.is(batches.length, 1)
})

test('both listener kinds at once get the same events in the same order, each batch before its events', async (t) => {
  const log: string[] = []
  const fromBatches: TraceEvent[] = []
  const fromEvents: TraceEvent[] = []
  const traced = new Tracing(new MemoryBackend({ offload: true }))
  traced.events.on('batch', (b) => {
    log.push(`batch ${b.length}`)
    for (let i = 0; i < b.length; i++) fromBatches.push(b.event(i))
  })
  traced.events.on('event', (e) => {
    log.push(`event ${e.path}`)
    fromEvents.push(e)
  })
  traced.writeSync('/s1', 'x')
  traced.writeSync('/s2', 'x')
  await traced.write('/a1', 'xyz')
  await traced.read('/nope').catch(() => {})
  await until(() => fromEvents.length >= 4)
  traced.flush()
  t.is(fromEvents.length, 4)
  t.deepEqual(fromBatches, fromEvents)
  t.deepEqual(
    fromEvents.map((e) => [e.operation, e.path, e.ok, e.code]),
    [
      ['write', '/s1', true, undefined],
      ['write', '/s2', true, undefined],
      ['write', '/a1', true, undefined],
      ['read', '/nope', false, 'ENOENT'],
    ],
  )
  // Every batch is announced before its own events, and its size matches them.
  let expected = 0
  for (const entry of log) {
    if (entry.startsWith('batch ')) {
      t.is(expected, 0, `a batch came before the previous one's events: ${log.join(', ')}`)
      expected = Number(entry.slice(6))
    } else {
      expected--
    }
  }
  t.is(expected, 0)
})

test('errors carry their code, through name tables that grow across batches', (t) => {
  const batches: TraceBatch[] = []
  const traced = new Tracing(new MemoryBackend(), { onBatch: (b) => batches.push(b) })
  traced.createDirSync('/d')
  t.throws(() => traced.readSync('/missing'))
  traced.flush()
  // A later batch with new codes (and an old one) indexes the same, grown table.
  t.throws(() => traced.createDirSync('/d'))
  t.throws(() => traced.readSync('/d'))
  t.throws(() => traced.readSync('/gone'))
  t.throws(() => traced.readSync('/d/x/y'))
  traced.flush()
  const codes = batches.flatMap((b) => Array.from(b.code, (c) => (c < 0 ? 'ok' : b.codeNames[c])))
  t.deepEqual(codes, ['ok', 'ENOENT', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOENT'])
  const oks = batches.flatMap((b) => Array.from(b.ok))
  t.deepEqual(oks, [1, 0, 0, 0, 0, 0])
  // An earlier batch still reads right after the tables grew.
  t.deepEqual(rows(batches[0] as TraceBatch), [
    ['createDir', true, undefined, '/d', undefined, -1],
    ['read', false, 'ENOENT', '/missing', undefined, -1],
  ])
})

test('handles, inodes and absent fields: -1 in the columns, left out of event(i)', (t) => {
  let batch: TraceBatch | undefined
  const traced = new Tracing(new MemoryBackend(), { onBatch: (b) => (batch = b) })
  traced.writeSync('/f', 'abc')
  const h = traced.openSync('/f', 'r')
  traced.closeSync(h)
  const ino = traced.pathToInodeSync('/f')
  traced.metadataByInodeSync(ino)
  traced.syncSync()
  t.is(traced.flush(), 6)
  const b = batch as TraceBatch
  t.deepEqual(Array.from(b.handle), [-1, h, h, -1, -1, -1])
  t.deepEqual(Array.from(b.inode), [-1, -1, -1, ino, ino, -1])
  t.deepEqual(Array.from(b.pathStart).map((s) => s >= 0), [true, true, false, true, false, false])
  t.is(b.path(2), undefined)
  t.deepEqual(b.event(2), { operation: 'close', handle: h, ok: true, durationMs: b.durationMs[2] })
  t.deepEqual(Object.keys(b.event(5)), ['operation', 'ok', 'durationMs'])
})

test('paths with non-ASCII characters are cut where they end', (t) => {
  const names = ['/é', '/日本語.txt', '/emoji-😀-x', '/plain', '/𝄞𝄞']
  let batch: TraceBatch | undefined
  const traced = new Tracing(new MemoryBackend(), { onBatch: (b) => (batch = b) })
  for (const n of names) traced.writeSync(n, 'x')
  traced.renameSync('/é', '/ü-😀')
  t.is(traced.flush(), names.length + 1)
  const b = batch as TraceBatch
  t.deepEqual(
    Array.from({ length: b.length }, (_, i) => `${b.path(i)}>${b.dest(i) ?? ''}`),
    [...names.map((n) => `${n}>`), '/é>/ü-😀'],
  )
  t.is(b.text, [...names, '/é', '/ü-😀'].join(''))
})

test('a long synchronous loop arrives complete and in order; a kept batch is not overwritten by later ones', async (t) => {
  const batches: TraceBatch[] = []
  const traced = new Tracing(new MemoryBackend(), { onBatch: (b) => batches.push(b) })
  for (let i = 0; i < 5000; i++) traced.writeSync(`/f${i}`, 'x'.repeat(i % 7))
  await until(() => batches.length >= 1)
  for (let i = 0; i < 10; i++) traced.removeFileSync(`/f${i}`)
  traced.flush()
  t.is(batches.length, 2)
  const [first, second] = batches as [TraceBatch, TraceBatch]
  t.is(first.length, 5000)
  t.deepEqual(
    Array.from({ length: first.length }, (_, i) => `${first.path(i)} ${first.bytes[i]}`),
    Array.from({ length: 5000 }, (_, i) => `/f${i} ${i % 7}`),
  )
  t.deepEqual(
    Array.from({ length: second.length }, (_, i) => `${second.operationNames[second.operation[i] as number]} ${second.path(i)}`),
    Array.from({ length: 10 }, (_, i) => `removeFile /f${i}`),
  )
  t.not(first.operation.buffer, second.operation.buffer)
  t.is(traced.dropped, 0)
})

test('a batch listener alone turns event making on, and removing it turns it off', (t) => {
  const traced = new Tracing(new MemoryBackend())
  traced.writeSync('/unheard', 'x')
  t.is(traced.flush(), 0)
  const lengths: number[] = []
  const listener = (b: TraceBatch): void => void lengths.push(b.length)
  traced.events.on('batch', listener)
  traced.writeSync('/heard', 'x')
  t.is(traced.flush(), 1)
  traced.events.off('batch', listener)
  traced.writeSync('/unheard-again', 'x')
  t.is(traced.flush(), 0)
  // With an event listener still attached, removing the batch listener keeps events coming.
  const events: string[] = []
  traced.events.on('batch', listener)
  traced.events.on('event', (e) => events.push(e.path ?? ''))
  traced.events.off('batch', listener)
  traced.writeSync('/evented', 'x')
  t.is(traced.flush(), 1)
  t.deepEqual(lengths, [1])
  t.deepEqual(events, ['/evented'])
})

test('a throwing batch listener is a warning; the other listeners and later batches still arrive', async (t) => {
  const traced = new Tracing(new MemoryBackend())
  const batchPaths: string[] = []
  const eventPaths: string[] = []
  traced.events.on('batch', () => {
    throw new Error('exporter bug')
  })
  traced.events.on('batch', (b) => {
    for (let i = 0; i < b.length; i++) batchPaths.push(b.path(i) ?? '')
  })
  traced.events.on('event', (e) => eventPaths.push(e.path ?? ''))
  const warning = warningWith('exporter bug')
  traced.writeSync('/a', 'x')
  traced.writeSync('/b', 'x')
  t.is((await warning).message, 'exporter bug')
  await until(() => eventPaths.length >= 2)
  traced.writeSync('/c', 'x')
  traced.flush()
  t.deepEqual(batchPaths, ['/a', '/b', '/c'])
  t.deepEqual(eventPaths, ['/a', '/b', '/c'])
})

test('batch options and accessors are validated', (t) => {
  t.throws(() => TracingLayer.builder().onBatch('export' as unknown as () => void), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  t.throws(() => new Tracing(new MemoryBackend(), { onBatch: 1 as unknown as () => void }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  let batch: TraceBatch | undefined
  const layer = new TracingLayer({ onBatch: (b) => (batch = b) })
  t.is(typeof layer.options.onBatch, 'function')
  const traced = new MemoryBackend().layer(layer)
  traced.writeSync('/a', 'x')
  traced.flush()
  const b = batch as TraceBatch
  t.is(b.length, 1)
  for (const bad of [1, -1, 0.5]) {
    t.throws(() => b.event(bad), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' })
    t.throws(() => b.path(bad), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' })
    t.throws(() => b.dest(bad), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' })
  }
  t.throws(() => b.event('0' as unknown as number), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
})
