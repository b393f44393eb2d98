// The hazards of JS layers inside native stacks (DESIGN.md section 6), each designed out:
// nested blocking cannot exhaust the pool, a sync call never waits for a promise, a layer's
// failures reach the caller as clear FsErrors, a handler that never settles times out, and
// the process stays healthy (Rust panics and JS exceptions never escape).

import test from 'ava'

import { FileStorage, FsError, JsBackend, MemoryBackend, Middleware, PathFilterLayer, QuotaLayer, type Data, type Fs, type JsFs } from '../js/index'
import { native } from '../js/native'
import { rejectsCode } from './helpers'
import { MapFs } from './js-map-fs'

/** A layer whose writes and reads wait a tick: every async call really goes through a promise. */
class Tick extends Middleware {
  override async write(path: string, data: Data) {
    await new Promise((resolve) => setImmediate(resolve))
    return super.write(path, data)
  }

  override async readToString(path: string) {
    await new Promise((resolve) => setImmediate(resolve))
    return super.readToString(path)
  }
}

/**
 * A layer that forwards what it overrides (so calls really enter JS: what no layer overrides
 * goes straight to the native stack below), counting the calls it sees.
 */
class Touch extends Middleware {
  calls = 0

  override write(path: string, data: Data) {
    this.calls++
    return super.write(path, data)
  }

  override read(path: string) {
    this.calls++
    return super.read(path)
  }

  override readToString(path: string) {
    this.calls++
    return super.readToString(path)
  }

  override removeFile(path: string) {
    this.calls++
    return super.removeFile(path)
  }

  override symlinkMetadata(path: string) {
    this.calls++
    return super.symlinkMetadata(path)
  }
}

/** native -> JS -> native -> JS -> native, with a FileStorage (native) on top. */
function alternating(): { fs: FileStorage<Fs>; bottom: MemoryBackend; outer: Touch; inner: Tick } {
  const bottom = new MemoryBackend()
  const inner = new Tick(bottom)
  const outer = new Touch(inner.layer(new QuotaLayer({ maxTotalSize: 1 << 20 })))
  const stack = outer.layer(PathFilterLayer.builder().allow('/**').build())
  return { fs: new FileStorage(stack), bottom, outer, inner }
}

test('500 concurrent async operations through native / JS / native / JS / native all complete', async (t) => {
  const { fs, bottom, outer } = alternating()
  const n = 500
  await Promise.all(Array.from({ length: n }, (_, i) => fs.write(`/f${i}`, `data ${i}`)))
  t.is(bottom.readDirSync('/').length, n)
  t.true(outer.calls >= n) // every write went through the outer JS layer (and the inner, or it would not be written)
  const texts = await Promise.all(Array.from({ length: n }, (_, i) => fs.readToString(`/f${i}`)))
  t.deepEqual(texts, Array.from({ length: n }, (_, i) => `data ${i}`))
  // Mixed with sync calls on the same stack (the sync ones never wait for the pool).
  const mixed = Promise.all(Array.from({ length: 100 }, (_, i) => fs.removeFile(`/f${i}`)))
  t.is(fs.readSync('/f499').toString(), 'data 499')
  await mixed
  t.is(bottom.readDirSync('/').length, n - 100)
})

test('a sync call that reaches an async handler fails at once with EDEADLK, without running it', async (t) => {
  const bottom = new MemoryBackend()
  const fs = new FileStorage(new Tick(bottom).layer(new QuotaLayer()))
  const err = t.throws(() => fs.writeSync('/a', 'x'), { instanceOf: FsError })
  t.is(err?.code, 'EDEADLK')
  t.is(err?.kind, 'Deadlock')
  t.regex(err?.message ?? '', /Tick\.write is an async function.*synchronous call cannot wait for a promise/)
  // Not run: nothing was written, now or later.
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.false(bottom.existsSync('/a'))
  // Directly on the layer too.
  t.throws(() => new Tick(bottom).writeSync('/a', 'x'), { instanceOf: FsError, code: 'EDEADLK' })
  // The async twin works.
  await fs.write('/a', 'x')
  t.is(bottom.readToStringSync('/a'), 'x')
})

test('a sync call that reaches a handler returning a promise fails at once, and the promise is let go', async (t) => {
  class Later extends Middleware {
    override write(path: string, data: Data): Promise<void> {
      return new Promise<void>((_, reject) => setImmediate(() => reject(new Error('rejected after the sync call gave up'))))
    }
  }
  const start = Date.now()
  for (const target of [new Later(new MemoryBackend()), new FileStorage(new Later(new MemoryBackend()))]) {
    const err = t.throws(() => target.writeSync('/a', 'x'), { instanceOf: FsError })
    t.is(err?.code, 'EDEADLK')
    t.regex(err?.message ?? '', /Later\.write returned a Promise/)
  }
  t.true(Date.now() - start < 1000)
  // The abandoned promise's rejection is swallowed: no unhandled rejection fails this test.
  await new Promise((resolve) => setTimeout(resolve, 20))
  // A JS backend whose handler returns a promise: the same.
  const backend = new JsBackend({ ...handlersOf(new MapFs()), write: () => Promise.resolve() })
  t.throws(() => backend.writeSync('/a', 'x'), { instanceOf: FsError, code: 'EDEADLK' })
})

/** A handler object's methods, bound, as a plain object (to override one of them). */
function handlersOf(fs: MapFs): JsFs {
  const out: Record<string, (...args: never[]) => unknown> = {}
  for (const name of ['read', 'readRange', 'metadata', 'write', 'append', 'removeFile', 'rename', 'truncate', 'readDir', 'createDir', 'removeDir'] as const) {
    out[name] = (fs[name] as (...args: never[]) => unknown).bind(fs)
  }
  return out as unknown as JsFs
}

/** A layer failing in every way there is, one operation each. */
class Failing extends Middleware {
  override write(path: string): Promise<void> {
    throw Object.assign(new Error(`no writes to ${path} today`), { code: 'EPERM' })
  }

  override append(path: string): Promise<void> {
    throw new Error('plain failure')
  }

  override readToString(): Promise<string> {
    return 42 as unknown as Promise<string>
  }

  override async listXattr(): Promise<never> {
    return new Promise<never>(() => {})
  }

  override removeFile(path: string): Promise<void> {
    throw new FsError({ code: 'ENOENT', kind: 'NotFound', syscall: 'removeFile', path, message: `custom: ${path} is gone` })
  }

  override truncate(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw 'a string'
  }
}

/**
 * The layer alone, under a native layer, and under native layers with FileStorage on top.
 * `timeout` counts from the call, so it must leave room for a JS thread busy with other tests.
 */
function targets(timeout = 30_000): Array<[string, Record<string, (...args: unknown[]) => unknown>]> {
  const layer = () => new Failing(new MemoryBackend(), { timeout })
  return [
    ['the layer', layer() as never],
    ['under Quota', layer().layer(new QuotaLayer()) as never],
    ['under PathFilter and FileStorage', new FileStorage(layer().layer(PathFilterLayer.builder().allow('/**').build())) as never],
  ]
}

/** Calls `op` on `target` in `mode` and returns the FsError it fails with. */
async function failure(t: import('ava').ExecutionContext, target: Record<string, (...args: unknown[]) => unknown>, mode: 'sync' | 'async', op: string, ...args: unknown[]): Promise<FsError> {
  if (mode === 'sync') {
    const err = t.throws(() => (target[`${op}Sync`] as (...a: unknown[]) => unknown).apply(target, args), { instanceOf: FsError })
    return err as FsError
  }
  const promise = (target[op] as (...a: unknown[]) => unknown).apply(target, args) as Promise<unknown>
  t.true(promise instanceof Promise)
  return (await t.throwsAsync(promise, { instanceOf: FsError })) as FsError
}

for (const mode of ['sync', 'async'] as const) {
  test(`a layer that throws keeps its code and message, whatever sits above it (${mode})`, async (t) => {
    for (const [where, target] of targets()) {
      const coded = await failure(t, target, mode, 'write', '/a', 'x')
      t.is(coded.code, 'EPERM', where)
      t.is(coded.message, 'no writes to /a today', where)
      t.true(coded.cause instanceof Error, where)
      const own = await failure(t, target, mode, 'removeFile', '/gone')
      t.is(own.code, 'ENOENT', where)
      t.is(own.kind, 'NotFound', where)
      t.is(own.message, 'custom: /gone is gone', where)
    }
  })

  test(`a layer that throws a plain Error gives an EIO FsError carrying its message (${mode})`, async (t) => {
    for (const [where, target] of targets()) {
      const plain = await failure(t, target, mode, 'append', '/a', 'x')
      t.is(plain.code, 'EIO', where)
      t.is(plain.kind, 'Backend', where)
      t.is(plain.message, 'plain failure', where)
      const odd = await failure(t, target, mode, 'truncate', '/a', 0)
      t.is(odd.code, 'EIO', where)
      t.regex(odd.message, /Failing\.truncate threw a non-Error value: 'a string'/, where)
    }
  })

  test(`a layer that answers with the wrong type gives a clear error (${mode})`, async (t) => {
    for (const [where, target] of targets()) {
      const wrong = await failure(t, target, mode, 'readToString', '/a')
      t.is(wrong.code, 'EIO', where)
      t.is(wrong.message, 'readToString: the JS layer Failing.readToString returned number 42; expected a string', where)
    }
  })
}

// Serial (AVA runs serial tests first, alone): the short timeout measures the layer, not a JS
// thread kept busy by other tests.
test.serial('a handler that never settles times out with ETIMEDOUT, through native layers too', async (t) => {
  for (const [where, target] of targets(100)) {
    const start = Date.now()
    const err = await failure(t, target, 'async', 'listXattr', '/')
    t.is(err.code, 'ETIMEDOUT', where)
    t.is(err.kind, 'Timeout', where)
    t.regex(err.message, /Failing\.listXattr did not settle within 100 ms/, where)
    t.true(Date.now() - start >= 90, where)
  }
  // A JS backend's handler: its own timeout.
  const backend = new JsBackend({ ...handlersOf(new MapFs()), readDir: () => new Promise<never>(() => {}) }, { timeout: 50 })
  await rejectsCode(t, new FileStorage(backend).readDir('/'), 'ETIMEDOUT')
})

test.serial('after all of that the process is healthy and the next operation works', async (t) => {
  for (const [, target] of targets(100)) {
    await failure(t, target, 'async', 'listXattr', '/')
    await failure(t, target, 'sync', 'write', '/a', 'x')
  }
  const { fs } = alternating()
  await fs.write('/next', 'works')
  t.is(fs.readSync('/next').toString(), 'works')
  t.is(await fs.readToString('/next'), 'works')
})

// Serial: the panic hook is process-wide, so no other test may make the call that takes it.
test.serial('a Rust panic in the adapter, on either path, is an EIO error and the process lives', async (t) => {
  const fs = new FileStorage(new Touch(new MemoryBackend()).layer(new QuotaLayer()))
  native.__debugJsPanic(1) // the next adapter call panics (here: a sync call on the JS thread)
  const sync = t.throws(() => fs.writeSync('/a', 'x'), { instanceOf: FsError })
  t.is(sync?.code, 'EIO')
  t.regex(sync?.detail ?? '', /panic/)
  native.__debugJsPanic(2) // the next queued call panics on the JS thread
  await rejectsCode(t, fs.write('/b', 'x'), 'EIO')
  native.__debugJsPanic(1) // ...or on the pool thread
  await rejectsCode(t, fs.write('/c', 'x'), 'EIO')
  await fs.write('/d', 'ok')
  t.is(fs.readToStringSync('/d'), 'ok')
})

test('a dispatcher that throws past its own guard is an error, not a crash', async (t) => {
  const throwing = native.NativeFs.fromJs(
    () => {
      throw new Error('dispatcher exploded')
    },
    { caps: 0b111, handlers: [0, 4, 6], timeoutMs: 100, name: 'Broken', blocking: true, belowOps: [] },
    null,
  )
  const err = t.throws(() => throwing.readToString('/a'))
  t.regex(err?.message ?? '', /Broken threw past its dispatcher: dispatcher exploded/)
  const garbage = native.NativeFs.fromJs(() => ({ not: 'bytes' }), { caps: 0b111, handlers: [0], timeoutMs: 100, name: 'Garbage', blocking: true, belowOps: [] }, null)
  t.regex(t.throws(() => garbage.read('/a'))?.message ?? '', /wrong kind/)
  t.throws(() => native.NativeFs.fromJs('nope' as never, { caps: 0, handlers: [], timeoutMs: 1, name: 'x', blocking: true, belowOps: [] }, null), { message: /dispatch must be a function/ })
  // A late or unknown answer is ignored.
  native.jsSettle(123456789, 'late')
  native.jsSettle(-1, undefined)
  t.pass()
})
