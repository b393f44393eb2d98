// JS middleware and backends: a Middleware forwards everything, one handler serves both
// twins, layers compose with native ones in any order, and JsBackend turns an object of
// handlers into a stack whose capabilities are what the handlers implement.

import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import test from 'ava'

import {
  FileStorage,
  FsError,
  JsBackend,
  MemoryBackend,
  Middleware,
  PathFilterLayer,
  Quota,
  QuotaLayer,
  ReadOnlyLayer,
  TracingLayer,
  type CapabilityName,
  type Data,
  type DirEntry,
  type Fs,
} from '../js/index'
import { api, MODES, rejectsCode, type Mode } from './helpers'
import { AsyncMapFs, MapFs } from './js-map-fs'

const FS_ONLY: CapabilityName[] = ['FsRead', 'FsWrite', 'FsDir']

/** A pass-through layer that records the operations it serves, into a shared log. */
class Recorder extends Middleware<Fs> {
  constructor(
    inner: Fs,
    readonly label: string,
    readonly log: string[],
  ) {
    super(inner)
  }

  override write(path: string, data: Data) {
    this.log.push(`${this.label} write ${path}`)
    return super.write(path, data)
  }

  override readToString(path: string) {
    this.log.push(`${this.label} readToString ${path}`)
    return super.readToString(path)
  }
}

for (const mode of MODES) {
  test(`a Middleware forwards every operation to its inner (${mode})`, async (t) => {
    const base = new MemoryBackend({ offload: mode === 'offload' })
    const fs = api(new Middleware(base), mode)
    await fs.createDirAll('/d/e')
    await fs.write('/d/a.txt', 'hello')
    await fs.append('/d/a.txt', ' world')
    t.is((await fs.read('/d/a.txt')).toString(), 'hello world')
    t.is(await fs.readToString('/d/a.txt'), 'hello world')
    t.is((await fs.readRange('/d/a.txt', 6, 5)).toString(), 'world')
    t.true(await fs.exists('/d/a.txt'))
    t.is((await fs.metadata('/d/a.txt')).size, 11)
    t.deepEqual((await fs.readDir('/d')).map((e) => e.name).sort(), ['a.txt', 'e'])
    await fs.copy('/d/a.txt', '/d/b.txt')
    await fs.rename('/d/b.txt', '/d/c.txt')
    await fs.truncate('/d/c.txt', 2)
    t.is(base.readToStringSync('/d/c.txt'), 'he')
    await fs.symlink('/d/a.txt', '/d/link')
    t.is(await fs.readLink('/d/link'), '/d/a.txt')
    t.true((await fs.symlinkMetadata('/d/link')).isSymbolicLink())
    await fs.hardLink('/d/a.txt', '/d/hard')
    await fs.setPermissions('/d/a.txt', 0o600)
    t.is((await fs.metadata('/d/a.txt')).permissions.mode, 0o600)
    await fs.setTimes('/d/a.txt', null, new Date(1_000_000))
    t.is((await fs.metadata('/d/a.txt')).modifiedMs, 1_000_000)
    t.true((await fs.statfs()).usedInodes > 0)
    const ino = await fs.pathToInode('/d/a.txt')
    t.is(await fs.inodeToPath(await fs.lookup(await fs.pathToInode('/d'), 'e')), '/d/e')
    t.is((await fs.metadataByInode(ino)).size, 11)
    const h = await fs.open('/d/a.txt', 'r+')
    t.is(await fs.writeAt(h, 'H', 0), 1)
    const buf = Buffer.alloc(5)
    t.is(await fs.readAt(h, buf, 0), 5)
    t.is(buf.toString(), 'Hello')
    t.true(await fs.tryLock(h, 'exclusive'))
    await fs.unlock(h)
    await fs.close(h)
    await fs.setXattr('/d/a.txt', 'user.tag', 'blue')
    t.is((await fs.getXattr('/d/a.txt', 'user.tag')).toString(), 'blue')
    t.deepEqual(await fs.listXattr('/d/a.txt'), ['user.tag'])
    await fs.removeXattr('/d/a.txt', 'user.tag')
    await fs.sync()
    await fs.fsync('/d/a.txt')
    await fs.removeFile('/d/c.txt')
    await rejectsCode(t, fs.read('/d/c.txt'), 'ENOENT')
    await fs.removeDirAll('/d')
    t.false(base.existsSync('/d'))
  })
}

test('one handler serves both twins, directly and through native layers above', async (t) => {
  const log: string[] = []
  const rec = new Recorder(new MemoryBackend(), 'rec', log)
  rec.writeSync('/a', '1')
  await rec.write('/b', '2')
  const fs = new FileStorage(rec.layer(new QuotaLayer({ maxTotalSize: 100 })))
  fs.writeSync('/c', '3')
  await fs.write('/d', '4')
  t.is(fs.readToStringSync('/a'), '1')
  t.is(await fs.readToString('/b'), '2')
  t.deepEqual(log, ['rec write /a', 'rec write /b', 'rec write /c', 'rec write /d', 'rec readToString /a', 'rec readToString /b'])
})

test('overriding a *Sync twin is refused: the policy could be bypassed through the other twin', (t) => {
  class Leaky extends Middleware {
    override writeSync(path: string, data: Data): void {
      return super.writeSync(path, data)
    }
  }
  const err = t.throws(() => new Leaky(new MemoryBackend()), { instanceOf: TypeError })
  t.is((err as TypeError & { code: string }).code, 'ERR_INVALID_ARG_VALUE')
  t.regex(err?.message ?? '', /overrides writeSync: override write instead/)
})

test('reply() and after() answer in the caller\'s mode', async (t) => {
  class Virtual extends Middleware {
    override readToString(path: string) {
      return path === '/VERSION' ? this.reply('1.0.0') : super.readToString(path)
    }

    override readDir(path: string) {
      return this.after(super.readDir(path), (entries: DirEntry[]) => entries.filter((e) => !e.name.startsWith('.')))
    }
  }
  const base = new MemoryBackend()
  base.writeSync('/.hidden', 'x')
  base.writeSync('/shown', 'y')
  const v = new Virtual(base)
  t.is(v.readToStringSync('/VERSION'), '1.0.0')
  t.is(await v.readToString('/VERSION'), '1.0.0')
  t.is(await v.readToString('/shown'), 'y')
  t.deepEqual(v.readDirSync('/').map((e) => e.name), ['shown'])
  t.deepEqual((await v.readDir('/')).map((e) => e.name), ['shown'])
  // Through a native layer and FileStorage too, sync and async.
  const fs = new FileStorage(v.layer(new ReadOnlyLayer()))
  t.is(fs.readToStringSync('/VERSION'), '1.0.0')
  t.deepEqual((await fs.readDir('/')).map((e) => e.name), ['shown'])
})

test('a handler calling this.op() inside a sync call stays synchronous', (t) => {
  class CopyByHand extends Middleware {
    override copy(from: string, to: string) {
      return this.after(this.read(from), (data: Buffer) => this.write(to, data))
    }

    override read(path: string) {
      return super.read(path)
    }
  }
  const base = new MemoryBackend()
  base.writeSync('/a', 'abc')
  new CopyByHand(base).copySync('/a', '/b')
  t.is(base.readToStringSync('/b'), 'abc')
})

test('layers compose in any order: native / JS / native / JS / native, and each sees its calls in order', async (t) => {
  const log: string[] = []
  const bottom = new MemoryBackend()
  const inner = new Recorder(bottom, 'inner', log)
  const quota = inner.layer(new QuotaLayer({ maxTotalSize: 1024 }))
  const outer = new Recorder(quota, 'outer', log)
  const fs = new FileStorage(outer.layer(PathFilterLayer.builder().allow('/ws/**').build()))
  bottom.createDirSync('/ws')
  fs.writeSync('/ws/a', 'sync')
  await fs.write('/ws/b', 'async')
  t.deepEqual(log, ['outer write /ws/a', 'inner write /ws/a', 'outer write /ws/b', 'inner write /ws/b'])
  t.is(bottom.readToStringSync('/ws/b'), 'async')
  t.deepEqual(quota.usage(), { totalSize: 9, nodeCount: 2 }) // '/ws' was made below the quota
  // The filter on top refuses before any JS layer runs.
  await rejectsCode(t, fs.write('/etc/passwd', 'x'), 'EACCES')
  t.is(log.length, 4)
  // JS over native over JS over native, without FileStorage, both modes.
  const top = new Recorder(new Quota(new Recorder(new MemoryBackend(), 'b', log)), 'a', log)
  top.writeSync('/x', '1')
  await top.write('/y', '2')
  t.deepEqual(log.slice(4), ['a write /x', 'b write /x', 'a write /y', 'b write /y'])
})

test('a Middleware has its inner\'s capabilities, and native layers over it report them', (t) => {
  const over = new Middleware(new MemoryBackend())
  t.is(over.capabilities.length, 11)
  t.deepEqual(over.layer(new QuotaLayer()).capabilities, over.capabilities)
  const limited = new Middleware(new JsBackend(new MapFs()))
  t.deepEqual(limited.capabilities, FS_ONLY)
  t.deepEqual(limited.layer(new QuotaLayer()).capabilities, FS_ONLY)
  t.deepEqual(new FileStorage(limited).capabilities, FS_ONLY)
  // What the inner lacks fails with ENOSYS at run time.
  t.throws(() => limited.symlinkSync('/a', '/b'), { instanceOf: FsError, code: 'ENOSYS' })
})

test('a Middleware works under tracing: native layers above see its calls as their inner\'s', (t) => {
  const stack = new Middleware(new MemoryBackend()).layer(new TracingLayer())
  const seen: unknown[] = []
  stack.events.on('event', (e) => seen.push([e.operation, e.path, e.ok]))
  stack.writeSync('/a', 'x')
  t.throws(() => stack.readSync('/missing'), { code: 'ENOENT' })
  stack.flush()
  t.deepEqual(seen, [
    ['write', '/a', true],
    ['read', '/missing', false],
  ])
})

for (const mode of ['sync', 'async'] as const satisfies readonly Mode[]) {
  for (const [name, make] of [
    ['sync handlers', () => new MapFs()],
    ['async handlers', () => new AsyncMapFs()],
  ] as const) {
    test(`JsBackend over a Map (${name}) serves FileStorage and native layers (${mode})`, async (t) => {
      const handlers = make()
      const backend = new JsBackend(handlers)
      t.deepEqual(backend.capabilities, FS_ONLY)
      if (mode === 'sync' && name === 'async handlers') {
        // A sync call cannot wait for a promise: refused at once, whatever the layer.
        t.throws(() => backend.writeSync('/a', 'x'), { instanceOf: FsError, code: 'EDEADLK' })
        return
      }
      // Quota measures its inner when built, synchronously: over handlers that only answer
      // with promises that cannot work, so those get a path filter instead.
      const limited = name === 'sync handlers' ? backend.layer(new QuotaLayer({ maxTotalSize: 64 })) : backend.layer(PathFilterLayer.builder().allow('/**').deny('/big').build())
      const fs = api(new FileStorage(limited), mode)
      await fs.createDirAll('/a/b')
      await fs.write('/a/b/c.txt', 'hello')
      await fs.append('/a/b/c.txt', '!')
      t.is(await fs.readToString('/a/b/c.txt'), 'hello!')
      t.is((await fs.readRange('/a/b/c.txt', 1, 3)).toString(), 'ell')
      t.true(await fs.exists('/a/b/c.txt'))
      t.false(await fs.exists('/a/nope'))
      t.true((await fs.metadata('/a/b')).isDirectory())
      t.deepEqual((await fs.readDir('/a/b')).map((e) => [e.name, e.fileType]), [['c.txt', 'file']])
      await fs.copy('/a/b/c.txt', '/a/d.txt')
      await fs.rename('/a/d.txt', '/a/e.txt')
      await fs.truncate('/a/e.txt', 2)
      t.is(await fs.readToString('/a/e.txt'), 'he')
      await rejectsCode(t, fs.write('/big', 'x'.repeat(100)), name === 'sync handlers' ? 'ENOSPC' : 'EACCES')
      await rejectsCode(t, fs.read('/missing'), 'ENOENT')
      await rejectsCode(t, fs.createDir('/a'), 'EEXIST')
      await rejectsCode(t, fs.removeDir('/a'), 'ENOTEMPTY')
      await fs.removeDirAll('/a')
      t.false(await fs.exists('/a'))
      const inner = handlers instanceof MapFs ? handlers : handlers.inner
      t.deepEqual([...inner.files.keys()], [])
      t.deepEqual([...inner.dirs], ['/'])
    })
  }
}

test('streams through the adapter use the layer\'s read, write and append handlers', async (t) => {
  const handlers = new MapFs()
  const fs = new FileStorage(new JsBackend(handlers))
  await pipeline(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), await fs.openWrite('/s'))
  t.is(fs.readToStringSync('/s'), 'abcd')
  t.true((handlers.calls.get('append') ?? 0) >= 1)
  const chunks: Buffer[] = []
  for await (const chunk of fs.openReadSync('/s')) chunks.push(chunk as Buffer)
  t.is(Buffer.concat(chunks).toString(), 'abcd')
})

test('JsBackend composes optional handlers it lacks from the ones it has', (t) => {
  const handlers = new MapFs()
  const backend = new JsBackend(handlers)
  backend.createDirAllSync('/x/y/z') // metadata + createDir per component
  t.true(handlers.dirs.has('/x/y/z'))
  backend.writeSync('/x/y/z/f', 'data')
  t.is(backend.readToStringSync('/x/y/z/f'), 'data') // read + UTF-8 check
  t.true(backend.existsSync('/x/y')) // metadata
  t.false(backend.existsSync('/x/none'))
  backend.copySync('/x/y/z/f', '/x/g') // read + write
  t.is(handlers.files.get('/x/g')?.toString(), 'data')
  backend.removeDirAllSync('/x') // a walk
  t.deepEqual([...handlers.dirs], ['/'])
  t.throws(() => backend.setTimesSync('/', null, 0), { instanceOf: FsError, code: 'ENOSYS' })
  handlers.files.set('/bad', Buffer.from([0xff, 0xfe]))
  t.throws(() => backend.readToStringSync('/bad'), { instanceOf: FsError, code: 'EINVAL' })
})

test('a JsBackend implementing more handler groups has those capabilities', (t) => {
  class Linked extends MapFs {
    readonly links = new Map<string, string>()
    symlink(original: string, link: string) {
      this.links.set(link, original)
    }
    hardLink() {
      throw Object.assign(new Error('no hard links here'), { code: 'EPERM' })
    }
    readLink(path: string) {
      const target = this.links.get(path)
      if (target === undefined) throw Object.assign(new Error(`not a link: ${path}`), { code: 'EINVAL' })
      return target
    }
    symlinkMetadata(path: string) {
      return this.links.has(path) ? { fileType: 'symlink' as const, size: this.links.get(path)?.length ?? 0 } : this.metadata(path)
    }
  }
  const backend = new JsBackend(new Linked())
  t.deepEqual(backend.capabilities, [...FS_ONLY, 'FsLink'])
  backend.symlinkSync('/target', '/link')
  t.is(backend.readLinkSync('/link'), '/target')
  t.true(backend.symlinkMetadataSync('/link').isSymbolicLink())
  const err = t.throws(() => backend.hardLinkSync('/a', '/b'), { instanceOf: FsError })
  t.is(err?.code, 'EPERM')
  t.is(err?.message, 'no hard links here')
})

test('a JS backend must implement Fs and whole capabilities: TypeErrors name what is missing', (t) => {
  const partial = { read: () => Buffer.alloc(0) }
  const err = t.throws(() => new JsBackend(partial as never), { instanceOf: TypeError })
  t.regex(err?.message ?? '', /is not a complete filesystem: it lacks readRange, metadata/)
  class HalfLinks extends MapFs {
    symlink() {}
  }
  t.throws(() => new JsBackend(new HalfLinks()), { instanceOf: TypeError, message: /HalfLinks is not a complete FsLink: it lacks hardLink, readLink, symlinkMetadata/ })
  t.throws(() => new JsBackend(null as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' } as never)
  t.throws(() => new JsBackend(new MemoryBackend() as never), { instanceOf: TypeError })
  t.throws(() => new JsBackend(new MapFs(), { timeout: -1 }), { instanceOf: RangeError })
  t.throws(() => new JsBackend(new MapFs(), { timeout: '1' as never }), { instanceOf: TypeError })
  t.throws(() => new Middleware(new MemoryBackend(), { timeout: 0 }), { instanceOf: RangeError })
  t.throws(() => new Middleware(42 as never), { instanceOf: TypeError, message: /"inner" argument must be a filesystem/ })
  t.throws(() => new FileStorage({} as never), { instanceOf: TypeError, message: /"backend" argument must be a filesystem/ })
  t.throws(() => new Quota('x' as never), { instanceOf: TypeError })
})

test('plain handler objects are accepted where a filesystem is expected (JS callers)', (t) => {
  const handlers = new MapFs()
  const fs = new FileStorage(handlers as unknown as Fs)
  fs.writeSync('/a', 'x')
  t.is(handlers.files.get('/a')?.toString(), 'x')
  const q = new Quota(handlers as unknown as Fs, { maxNodeCount: 1 })
  t.throws(() => q.writeSync('/b', 'y'), { instanceOf: FsError, code: 'ENOSPC' })
  const layer = new Middleware(handlers as unknown as Fs)
  t.true(layer.inner instanceof JsBackend)
  t.is(layer.readToStringSync('/a'), 'x')
})

test('a layer declared synchronous serves async calls through native layers on the JS thread, with no hop', async (t) => {
  const log: string[] = []
  const hop = new Recorder(new MemoryBackend(), 'hop', log).layer(new QuotaLayer())
  const direct = new (class extends Middleware<Fs> {
    override write(path: string, data: Data) {
      log.push(`direct write ${path}`)
      return super.write(path, data)
    }
  })(new MemoryBackend(), { synchronous: true }).layer(new QuotaLayer())
  // Over the pool, the handler runs after the call returned its promise...
  const pooled = hop.write('/a', 'x')
  t.deepEqual(log, [])
  await pooled
  t.deepEqual(log, ['hop write /a'])
  // ...a synchronous layer over a non-blocking stack runs within the call.
  const inline = direct.write('/a', 'x')
  t.deepEqual(log, ['hop write /a', 'direct write /a'])
  await inline
  // Over a blocking stack, even a synchronous layer needs the pool.
  const overBlocking = new (class extends Middleware<Fs> {
    override write(path: string, data: Data) {
      log.push(`blocking write ${path}`)
      return super.write(path, data)
    }
  })(new MemoryBackend({ offload: true }), { synchronous: true }).layer(new QuotaLayer())
  const later = overBlocking.write('/b', 'y')
  t.is(log.length, 2)
  await later
  t.is(log.at(-1), 'blocking write /b')
  // JsBackend too: a synchronous Map backend answers async calls in the call.
  const handlers = new MapFs()
  const backend = new JsBackend(handlers, { synchronous: true })
  const write = backend.write('/m', 'z')
  t.is(handlers.files.get('/m')?.toString(), 'z')
  await write
})

test('a synchronous layer refuses async handlers, and a promise it returns anyway is EDEADLK', async (t) => {
  class Async extends Middleware<Fs> {
    override async write(path: string, data: Data) {
      return super.write(path, data)
    }
  }
  t.throws(() => new Async(new MemoryBackend(), { synchronous: true }), { instanceOf: TypeError, message: /promised by Async, but its write handler is an async function/ })
  t.throws(() => new JsBackend(new AsyncMapFs(), { synchronous: 1 as never }), { instanceOf: TypeError })
  const lying = { ...Object.fromEntries(['read', 'readRange', 'metadata', 'write', 'append', 'removeFile', 'rename', 'truncate', 'readDir', 'createDir', 'removeDir'].map((n) => [n, () => Promise.resolve()])) }
  const backend = new JsBackend(lying as unknown as MapFs, { synchronous: true })
  await rejectsCode(t, backend.write('/a', 'x'), 'EDEADLK')
})

test('operations no JS layer overrides skip JS under native layers; an override deeper down still runs', (t) => {
  const log: string[] = []
  const base = new MemoryBackend()
  base.writeSync('/a', 'x')
  const inner = new Recorder(base, 'inner', log)
  const outer = new Middleware<Fs>(inner)
  // Were the adapter to call into JS for reads, these twins would throw.
  for (const twin of ['readSync', 'metadataSync', 'existsSync']) {
    Object.defineProperty(outer, twin, { value: () => t.fail(`${twin} entered JS`) })
  }
  const fs = new FileStorage(outer.layer(new QuotaLayer()))
  t.is(fs.readSync('/a').toString(), 'x')
  t.true(fs.metadataSync('/a').isFile())
  t.true(fs.existsSync('/a'))
  // readToString is overridden by the inner layer: that one goes through JS, both layers.
  t.is(fs.readToStringSync('/a'), 'x')
  fs.writeSync('/b', 'y')
  t.deepEqual(log, ['inner readToString /a', 'inner write /b'])
})
