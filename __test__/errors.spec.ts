// FsError's fields and message on every path, the code of each bad input, TypeErrors for bad
// arguments, and panics that become EIO with the process alive.

import test from 'ava'

import { FileStorage, FsError, MemoryBackend } from '../js/index'
import { debugPanic, debugPanicBatch, debugPanicPool } from '../js/testing'
import { MODES, api, rejectsCode, storage } from './helpers'

/** What a caught error looks like, for comparing the sync and async paths. */
function shape(err: unknown) {
  const e = err as FsError
  return {
    ctor: e.constructor.name,
    name: e.name,
    message: e.message,
    code: e.code,
    errno: e.errno,
    syscall: e.syscall,
    kind: e.kind,
    path: e.path,
    dest: e.dest,
    hasDest: 'dest' in e,
    detail: e.detail,
  }
}

test('an FsError reads like node:fs: message, code, errno, syscall, path, kind', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const err = t.throws(() => fs.readSync('/nope'), { instanceOf: FsError }) as FsError
  t.true(err instanceof Error)
  t.is(err.name, 'FsError')
  t.is(err.message, "ENOENT: no such file or directory, read '/nope'")
  t.is(err.code, 'ENOENT')
  t.is(err.errno, -2)
  t.is(err.syscall, 'read')
  t.is(err.path, '/nope')
  t.false('dest' in err)
  t.is(err.kind, 'NotFound')
  t.true(err.detail.includes('/nope'))
  t.true(err.stack?.includes('errors.spec') ?? false, 'the stack points at the caller')
  t.true(err.stack?.startsWith("FsError: ENOENT: no such file or directory, read '/nope'\n") ?? false)
})

test('a thrown FsError has the own fields of one built with new FsError', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const thrown = t.throws(() => fs.renameSync('/a', '/b'), { instanceOf: FsError }) as FsError
  const built = new FsError({ code: 'ENOENT', kind: 'NotFound', syscall: 'rename', path: '/a', dest: '/b' })
  const fields = (e: object) => Object.keys(e).sort()
  t.deepEqual(fields(thrown), fields(built))
  t.is(thrown.constructor, FsError)
  t.is(Object.prototype.toString.call(thrown), '[object Error]')
})

test('two-path operations report dest, as node does', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const err = t.throws(() => fs.renameSync('/a', '/b'), { instanceOf: FsError }) as FsError
  t.is(err.message, "ENOENT: no such file or directory, rename '/a' -> '/b'")
  t.is(err.path, '/a')
  t.is(err.dest, '/b')
})

test('errors are identical on the sync, async and pool paths', async (t) => {
  const shapes = []
  for (const mode of MODES) {
    const { fs } = storage(mode)
    await fs.write('/file', 'x')
    const caught = []
    for (const p of [fs.read('/nope'), fs.readDir('/file'), fs.createDir('/file'), fs.rename('/x', '/y')]) {
      caught.push(shape(await t.throwsAsync(p)))
    }
    shapes.push(caught)
  }
  t.deepEqual(shapes[1], shapes[0])
  t.deepEqual(shapes[2], shapes[0])
  t.is(shapes[0]?.[1]?.code, 'ENOTDIR')
  t.is(shapes[0]?.[2]?.code, 'EEXIST')
  t.is(shapes[0]?.[2]?.message, "EEXIST: file already exists, createDir '/file'")
})

test('new FsError builds the node-style message and errno from its code', (t) => {
  const err = new FsError({ code: 'EACCES', kind: 'AccessDenied', syscall: 'write', path: '/.env' })
  t.is(err.message, "EACCES: permission denied, write '/.env'")
  t.is(err.errno, -13)
  const bare = new FsError({ code: 'ENOSYS', syscall: 'symlink' })
  t.is(bare.message, 'ENOSYS: function not implemented, symlink')
  t.is(bare.kind, 'Io')
})

// Bad inputs (the Rust engine's list), each with the code a user would expect, in every mode.
for (const mode of MODES) {
  test(`${mode}: bad paths fail with the expected codes`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/file.txt', 'data')
    await rejectsCode(t, fs.read(''), 'EINVAL')
    await rejectsCode(t, fs.read('relative/path'), 'EINVAL')
    await rejectsCode(t, fs.write('nope.txt', 'x'), 'EINVAL')
    await rejectsCode(t, fs.read('/a\0b'), 'EINVAL')
    await rejectsCode(t, fs.write('/nul\0.txt', 'x'), 'EINVAL')
    await rejectsCode(t, fs.read(`/${'n'.repeat(256)}`), 'ENAMETOOLONG')
    await rejectsCode(t, fs.write(`/${'n'.repeat(256)}`, 'x'), 'ENAMETOOLONG')
    await rejectsCode(t, fs.read(`/${'d/'.repeat(2100)}f`), 'ENAMETOOLONG')
    // A name of exactly 255 bytes is fine.
    await fs.write(`/${'n'.repeat(255)}`, 'ok')
    t.is(await fs.readToString(`/${'n'.repeat(255)}`), 'ok')
  })

  test(`${mode}: '..' above the root stays at the root; doubled slashes collapse`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/file.txt', 'data')
    t.is(await fs.readToString('/../file.txt'), 'data')
    t.is(await fs.readToString('/../../..//file.txt'), 'data')
    t.is(await fs.readToString('//file.txt'), 'data')
    t.is(await fs.readToString('/./file.txt'), 'data')
    t.is(await fs.canonicalize('/../..'), '/')
  })

  test(`${mode}: a trailing slash requires a directory`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/file.txt', 'data')
    await fs.createDir('/dir')
    await rejectsCode(t, fs.read('/file.txt/'), 'ENOTDIR')
    t.true((await fs.metadata('/dir/')).isDirectory())
    t.deepEqual(await fs.readDir('/dir/'), [])
  })

  test(`${mode}: Unicode and spaces are ordinary name characters`, async (t) => {
    const { fs } = storage(mode)
    for (const name of ['/with space.txt', '/ünïcödé', '/日本語/ファイル', '/emoji 😀', '/back\\slash']) {
      const dir = name.includes('/', 1) ? name.slice(0, name.lastIndexOf('/')) : null
      if (dir) await fs.createDirAll(dir)
      await fs.write(name, name)
      t.is(await fs.readToString(name), name)
    }
    t.true((await fs.readDir('/')).some((e) => e.name === 'emoji 😀'))
  })

  test(`${mode}: a lone surrogate is converted to U+FFFD, as N-API converts JS strings`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/\uD800', 'x')
    t.deepEqual((await fs.readDir('/')).map((e) => e.name), ['\uFFFD'])
  })

  test(`${mode}: symlink loops fail with ELOOP`, async (t) => {
    const { fs } = storage(mode)
    await fs.symlink('/b', '/a')
    await fs.symlink('/a', '/b')
    await fs.symlink('/self', '/self')
    await rejectsCode(t, fs.read('/a'), 'ELOOP')
    await rejectsCode(t, fs.metadata('/self'), 'ELOOP')
    await rejectsCode(t, fs.write('/a', 'x'), 'ELOOP')
    await rejectsCode(t, fs.canonicalize('/a/x'), 'ELOOP')
    t.true((await fs.symlinkMetadata('/a')).isSymbolicLink())
  })

  test(`${mode}: operations on the wrong node type`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDirAll('/dir/sub')
    await fs.write('/dir/file', 'x')
    await rejectsCode(t, fs.read('/dir'), 'EISDIR')
    await rejectsCode(t, fs.write('/dir', 'x'), 'EISDIR')
    await rejectsCode(t, fs.readDir('/dir/file'), 'ENOTDIR')
    await rejectsCode(t, fs.read('/dir/file/x'), 'ENOTDIR')
    await rejectsCode(t, fs.removeDir('/dir'), 'ENOTEMPTY')
    await rejectsCode(t, fs.removeDir('/dir/file'), 'ENOTDIR')
    await rejectsCode(t, fs.removeFile('/dir'), 'EISDIR')
    await rejectsCode(t, fs.rename('/dir', '/dir/sub/inside'), 'EINVAL')
    await rejectsCode(t, fs.createDirAll('/dir/file/deeper'), 'ENOTDIR')
  })
}

// Bad arguments never reach native code: node-style TypeErrors, thrown by sync methods and
// rejected by async ones.
const badCalls: [string, (fs: FileStorage<MemoryBackend>) => unknown][] = [
  ['non-string path', (fs) => fs.readSync(42 as never)],
  ['missing path', (fs) => (fs.readSync as () => unknown)()],
  ['null path', (fs) => fs.metadataSync(null as never)],
  ['object path', (fs) => fs.existsSync({} as never)],
  ['number data', (fs) => fs.writeSync('/a', 42 as never)],
  ['missing data', (fs) => (fs.writeSync as (p: string) => unknown)('/a')],
  ['plain array data', (fs) => fs.writeSync('/a', [1, 2] as never)],
  ['non-string second path', (fs) => fs.renameSync('/a', undefined as never)],
  ['string offset', (fs) => fs.readRangeSync('/a', '0' as never, 1)],
  ['non-buffer readAt target', (fs) => fs.readAtSync(1, 'x' as never, 0)],
  ['string handle', (fs) => fs.closeSync('3' as never)],
  ['non-string xattr name', (fs) => fs.getXattrSync('/a', 1 as never)],
  ['non-time setTimes', (fs) => fs.setTimesSync('/a', 'yesterday' as never)],
]

for (const [what, call] of badCalls) {
  test(`TypeError ERR_INVALID_ARG_TYPE for a ${what}`, (t) => {
    const fs = new FileStorage(new MemoryBackend())
    const err = t.throws(() => call(fs), { instanceOf: TypeError })
    t.is((err as TypeError & { code: string }).code, 'ERR_INVALID_ARG_TYPE')
    t.regex(err?.message ?? '', /^The "\w+" argument must be/)
  })
}

test('async methods reject (never throw) for bad arguments', async (t) => {
  for (const mode of ['async', 'offload'] as const) {
    const fs = new FileStorage(new MemoryBackend({ offload: mode === 'offload' }))
    let promise: Promise<unknown> | undefined
    t.notThrows(() => {
      promise = fs.read(42 as never)
    })
    const err = await t.throwsAsync(promise as Promise<unknown>, { instanceOf: TypeError })
    t.is((err as TypeError & { code: string }).code, 'ERR_INVALID_ARG_TYPE')
  }
})

test('the node-style message names what was received', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  t.throws(() => fs.readSync(42 as never), {
    message: 'The "path" argument must be of type string. Received type number (42)',
  })
  t.throws(() => fs.readSync(undefined as never), {
    message: 'The "path" argument must be of type string. Received undefined',
  })
  t.throws(() => fs.writeSync('/a', new Map() as never), {
    message: 'The "data" argument must be of type string or an instance of Buffer or Uint8Array. Received an instance of Map',
  })
})

test('out-of-range numbers are RangeErrors with ERR_OUT_OF_RANGE', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
    const err = t.throws(() => fs.truncateSync('/a', bad), { instanceOf: RangeError })
    t.is((err as RangeError & { code: string }).code, 'ERR_OUT_OF_RANGE')
  }
})

test('invalid flag and lock values are TypeErrors with ERR_INVALID_ARG_VALUE', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  for (const call of [() => fs.openSync('/a', 'rw' as never), () => fs.openSync('/a', 64), () => fs.tryLockSync(1, 'mine' as never)]) {
    const err = t.throws(call, { instanceOf: TypeError })
    t.is((err as TypeError & { code: string }).code, 'ERR_INVALID_ARG_VALUE')
  }
})

test('FileStorage refuses a backend that is not a native stack', (t) => {
  const err = t.throws(() => new FileStorage({} as never), { instanceOf: TypeError })
  t.is((err as TypeError & { code: string }).code, 'ERR_INVALID_ARG_TYPE')
})

test('a Rust panic becomes an EIO FsError and the process lives (sync)', (t) => {
  const backend = new MemoryBackend()
  for (let i = 0; i < 3; i++) {
    const err = t.throws(() => debugPanic(backend), { instanceOf: FsError }) as FsError
    t.is(err.code, 'EIO')
    t.is(err.errno, -5)
    t.is(err.kind, 'Backend')
    t.regex(err.detail, /panic/)
  }
  backend.writeSync('/after', 'still alive')
  t.is(backend.readToStringSync('/after'), 'still alive')
})

test('a Rust panic on the pool rejects with EIO and the process lives', async (t) => {
  const backend = new MemoryBackend({ offload: true })
  const err = await t.throwsAsync(debugPanicPool(backend), { instanceOf: FsError })
  t.is(err?.code, 'EIO')
  await backend.write('/after', 'ok')
  t.is(await backend.readToString('/after'), 'ok')
})

test('a Rust panic inside a batch fails only its own op', (t) => {
  const backend = new MemoryBackend()
  const results = debugPanicBatch(backend)
  t.true(results[0]?.ok)
  t.false(results[1]?.ok)
  t.is(results[1]?.ok === false ? results[1].error.code : '', 'EIO')
  t.true(results[2]?.ok)
})

test('api adapter sanity: sync twins exist for every async op', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(fs)) as object
  const names = Object.getOwnPropertyNames(proto).filter((n) => !n.endsWith('Sync') && n !== 'constructor')
  for (const n of names) {
    if (['capabilities', 'layer', 'batch'].includes(n)) continue
    t.is(typeof (fs as unknown as Record<string, unknown>)[`${n}Sync`], 'function', n)
  }
  t.truthy(api)
})
