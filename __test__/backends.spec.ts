// One spec, every backend: the same behaviour checked against MemoryBackend, SqliteBackend (a
// database file and an in-memory database), StdFsBackend and VRootFsBackend (fresh temporary
// host directories), each used bare and through FileStorage, each driven sync and async.
// Then what only some backends have: persistence across reopen, the options and open errors
// of SqliteBackend, the host constructors' errors, and the blocking-pool guarantees (the JS
// thread stays free while a blocking backend waits; 200 concurrent async calls complete).

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import * as nodeFs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import test, { type ExecutionContext } from 'ava'

import {
  FileStorage,
  FsError,
  MemoryBackend,
  NativeStack,
  SqliteBackend,
  StdFsBackend,
  VRootFsBackend,
  type FsPosix,
} from '../js/index'
import { nativeOf } from '../js/stack'
import { api, rejectsCode, type Api } from './helpers'

/** A fresh host directory, removed when the test ends. */
function tempDir(t: ExecutionContext, prefix = 'anyfs-backends-'): string {
  const dir = nodeFs.mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => nodeFs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

interface Factory {
  readonly name: string
  /** A fresh, empty backend. */
  make(t: ExecutionContext): NativeStack & FsPosix
  /** A backend stored on the host, and how to reopen its storage as a second backend. */
  readonly host: boolean
  /** Blocking backends send async calls to the pool. */
  readonly blocking: boolean
}

const FACTORIES: readonly Factory[] = [
  { name: 'MemoryBackend', make: () => new MemoryBackend(), host: false, blocking: false },
  {
    name: 'SqliteBackend(file)',
    make: (t) => SqliteBackend.open(join(tempDir(t), 'fs.db')),
    host: false,
    blocking: true,
  },
  { name: 'SqliteBackend(memory)', make: () => SqliteBackend.inMemory(), host: false, blocking: true },
  { name: 'StdFsBackend', make: (t) => new StdFsBackend(tempDir(t)), host: true, blocking: true },
  { name: 'VRootFsBackend', make: (t) => new VRootFsBackend(tempDir(t)), host: true, blocking: true },
]

type Wrap = 'bare' | 'storage'
type Mode = 'sync' | 'async'

interface Subject {
  fs: Api
  raw: NativeStack & FsPosix
  backend: NativeStack & FsPosix
}

function subject(t: ExecutionContext, f: Factory, wrap: Wrap, mode: Mode): Subject {
  const backend = f.make(t)
  const raw = wrap === 'bare' ? backend : (new FileStorage(backend) as unknown as NativeStack & FsPosix)
  return { fs: api(raw, mode), raw, backend }
}

const names = (entries: { name: string }[]): string[] => entries.map((e) => e.name).sort()

for (const f of FACTORIES) {
  for (const wrap of ['bare', 'storage'] as const) {
    for (const mode of ['sync', 'async'] as const) {
      const label = `${f.name} ${wrap} ${mode}`
      const it = (name: string, body: (t: ExecutionContext, s: Subject) => Promise<void>): void => {
        test(`${label}: ${name}`, (t) => body(t, subject(t, f, wrap, mode)))
      }

      it('has every capability up to FsPosix and routes async calls as it should', async (t, { raw, backend }) => {
        t.is(raw.capabilities.length, 11)
        t.deepEqual(raw.capabilities, backend.capabilities)
        t.true(raw instanceof NativeStack)
        // An inline (memory) async call has run by the time it returns a promise; blocking
        // backends run on the pool (checked by the tests at the end of this file).
        t.is(nativeOf(raw)?.blocking, f.blocking)
        if (mode === 'async' && !f.blocking) {
          const pending = raw.write('/probe', 'x')
          t.true(raw.existsSync('/probe'))
          await pending
        }
      })

      it('write, read, readToString, readRange, append, exists', async (t, { fs }) => {
        await fs.write('/a.txt', 'hello')
        t.true(await fs.exists('/a.txt'))
        t.false(await fs.exists('/missing'))
        t.is((await fs.read('/a.txt')).toString(), 'hello')
        t.is(await fs.readToString('/a.txt'), 'hello')
        t.is((await fs.readRange('/a.txt', 1, 3)).toString(), 'ell')
        t.is((await fs.readRange('/a.txt', 3, 100)).toString(), 'lo')
        t.is((await fs.readRange('/a.txt', 100, 5)).length, 0)
        await fs.append('/a.txt', new Uint8Array([33, 33]))
        t.is(await fs.readToString('/a.txt'), 'hello!!')
        await fs.write('/a.txt', 'replaced')
        t.is(await fs.readToString('/a.txt'), 'replaced')
        await fs.append('/new.txt', 'created by append')
        t.is(await fs.readToString('/new.txt'), 'created by append')
        await fs.write('/empty', '')
        t.is((await fs.read('/empty')).length, 0)
      })

      it('binary content larger than a chunk round-trips, ranges included', async (t, { fs }) => {
        const data = Buffer.alloc(300_000)
        for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 9)) & 0xff
        await fs.write('/bin', data)
        t.true((await fs.read('/bin')).equals(data))
        t.true((await fs.readRange('/bin', 65_530, 70_000)).equals(data.subarray(65_530, 135_530)))
        t.is((await fs.metadata('/bin')).size, data.length)
      })

      it('metadata of files and directories', async (t, { fs }) => {
        const before = Date.now() - 5_000
        await fs.write('/f', 'abc')
        await fs.createDir('/d')
        const m = await fs.metadata('/f')
        t.true(m.isFile())
        t.false(m.isDirectory())
        t.is(m.fileType, 'file')
        t.is(m.size, 3)
        t.is(m.nlink, 1)
        t.true(m.inode > 1)
        t.true((m.modifiedMs ?? 0) >= before, `modified ${m.modifiedMs}`)
        const d = await fs.metadata('/d')
        t.true(d.isDirectory())
        t.not(d.inode, m.inode)
        const root = await fs.metadata('/')
        t.true(root.isDirectory())
        t.is(root.inode, 1)
      })

      it('truncate grows with zeros and shrinks', async (t, { fs }) => {
        await fs.write('/t', 'abcdef')
        await fs.truncate('/t', 3)
        t.is(await fs.readToString('/t'), 'abc')
        await fs.truncate('/t', 6)
        t.deepEqual([...(await fs.read('/t'))], [97, 98, 99, 0, 0, 0])
        await fs.truncate('/t', 0)
        t.is((await fs.metadata('/t')).size, 0)
        await rejectsCode(t, fs.truncate('/none', 1), 'ENOENT')
      })

      it('rename and copy of files and directories', async (t, { fs }) => {
        await fs.write('/a', 'A')
        await fs.rename('/a', '/b')
        t.false(await fs.exists('/a'))
        t.is(await fs.readToString('/b'), 'A')
        await fs.write('/c', 'C')
        await fs.rename('/b', '/c') // replaces
        t.is(await fs.readToString('/c'), 'A')
        await fs.copy('/c', '/copy')
        await fs.write('/c', 'changed')
        t.is(await fs.readToString('/copy'), 'A')
        await fs.createDirAll('/dir/sub')
        await fs.write('/dir/sub/x', 'x')
        await fs.rename('/dir', '/moved')
        t.is(await fs.readToString('/moved/sub/x'), 'x')
        await rejectsCode(t, fs.rename('/moved', '/moved/sub/inside'), 'EINVAL')
        await rejectsCode(t, fs.rename('/missing', '/z'), 'ENOENT')
        await rejectsCode(t, fs.copy('/missing', '/z'), 'ENOENT')
        await rejectsCode(t, fs.rename('/', '/root2'), 'EBUSY')
      })

      it('directories: create, list, remove', async (t, { fs }) => {
        await fs.createDir('/d')
        await fs.createDirAll('/d/e/f')
        await fs.createDirAll('/d/e/f') // idempotent
        await fs.write('/d/file', '1')
        await fs.write('/d/e/g', '2')
        const entries = await fs.readDir('/d')
        t.deepEqual(names(entries), ['e', 'file'])
        const e = entries.find((x) => x.name === 'e')
        t.true(e?.isDirectory())
        t.true(entries.find((x) => x.name === 'file')?.isFile())
        t.is(e?.inode, (await fs.metadata('/d/e')).inode)
        t.deepEqual(names(await fs.readDir('/')), ['d'])
        await rejectsCode(t, fs.removeDir('/d'), 'ENOTEMPTY')
        await fs.removeDir('/d/e/f')
        await fs.removeDirAll('/d')
        t.false(await fs.exists('/d'))
        t.deepEqual(await fs.readDir('/'), [])
        await rejectsCode(t, fs.removeDir('/'), 'EBUSY')
      })

      it('removeDirAll of a tree of 300 files', async (t, { fs, raw }) => {
        for (let d = 0; d < 10; d++) {
          raw.createDirAllSync(`/tree/d${d}/sub`)
          for (let i = 0; i < 30; i++) raw.writeSync(`/tree/d${d}/${i % 2 ? 'sub/' : ''}f${i}`, `${d}/${i}`)
        }
        t.is((await fs.readDir('/tree')).length, 10)
        await fs.removeDirAll('/tree')
        t.false(await fs.exists('/tree'))
        t.deepEqual(await fs.readDir('/'), [])
      })

      it('errors carry the POSIX code', async (t, { fs }) => {
        await fs.write('/file', 'x')
        await fs.createDir('/dir')
        await rejectsCode(t, fs.read('/missing'), 'ENOENT')
        await rejectsCode(t, fs.read('/dir'), 'EISDIR')
        await rejectsCode(t, fs.createDir('/dir'), 'EEXIST')
        await rejectsCode(t, fs.createDir('/file'), 'EEXIST')
        await rejectsCode(t, fs.createDir('/no/parent'), 'ENOENT')
        await rejectsCode(t, fs.readDir('/file'), 'ENOTDIR')
        await rejectsCode(t, fs.write('/file/child', 'x'), 'ENOTDIR')
        await rejectsCode(t, fs.removeFile('/dir'), 'EISDIR')
        await rejectsCode(t, fs.removeDir('/file'), 'ENOTDIR')
        await rejectsCode(t, fs.removeFile('/missing'), 'ENOENT')
        await rejectsCode(t, fs.read('relative'), 'EINVAL')
        await rejectsCode(t, fs.read(''), 'EINVAL')
        await rejectsCode(t, fs.read('/nul\0byte'), 'EINVAL')
        await rejectsCode(t, fs.write(`/${'n'.repeat(256)}`, 'x'), 'ENAMETOOLONG')
        const err = await rejectsCode(t, fs.readToString('/missing'), 'ENOENT')
        t.is(err.syscall, 'readToString')
        t.is(err.path, '/missing')
        t.is(err.errno, -2)
        t.is(err.kind, 'NotFound')
        t.is(err.message, "ENOENT: no such file or directory, readToString '/missing'")
      })

      it('bad argument types are TypeErrors, not FsErrors', async (t, { raw }) => {
        const loose = raw as unknown as Record<string, (...a: unknown[]) => unknown>
        const call = mode === 'sync' ? (n: string, ...a: unknown[]) => loose[`${n}Sync`]?.apply(raw, a) : (n: string, ...a: unknown[]) => loose[n]?.apply(raw, a)
        if (mode === 'sync') {
          t.throws(() => call('read', 42), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
          t.throws(() => call('write', '/x', 42), { instanceOf: TypeError })
          t.throws(() => call('readRange', '/x', -1, 1), { instanceOf: RangeError })
        } else {
          await t.throwsAsync(async () => call('read', 42), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
          await t.throwsAsync(async () => call('write', '/x', 42), { instanceOf: TypeError })
          await t.throwsAsync(async () => call('readRange', '/x', -1, 1), { instanceOf: RangeError })
        }
      })

      it('names: unicode, spaces, backslashes, leading dots', async (t, { fs }) => {
        const odd = ['héllo wörld.txt', '日本語', 'a\\b', '.hidden', '..dots', 'emoji-🎉', ' space ']
        for (const n of odd) await fs.write(`/${n}`, n)
        t.deepEqual(names(await fs.readDir('/')), [...odd].sort())
        for (const n of odd) t.is(await fs.readToString(`/${n}`), n)
      })

      it('paths normalise: slashes, dots and .. at the root', async (t, { fs }) => {
        await fs.createDirAll('/a/b')
        await fs.write('/a/b/f', 'F')
        t.is(await fs.readToString('//a///b//f'), 'F')
        t.is(await fs.readToString('/a/./b/f'), 'F')
        t.is(await fs.readToString('/a/b/../b/f'), 'F')
        t.is(await fs.readToString('/../a/b/f'), 'F')
      })

      it('symlinks: create, read through, readLink, symlinkMetadata', async (t, { fs }) => {
        await fs.createDirAll('/docs/2024')
        await fs.write('/docs/2024/notes.txt', 'notes')
        await fs.symlink('/docs/2024', '/latest')
        await fs.symlink('notes.txt', '/docs/2024/rel')
        t.is(await fs.readToString('/latest/notes.txt'), 'notes')
        t.is(await fs.readToString('/docs/2024/rel'), 'notes')
        t.is(await fs.readToString('/latest/rel'), 'notes')
        t.is(await fs.readLink('/latest'), '/docs/2024')
        t.is(await fs.readLink('/docs/2024/rel'), 'notes.txt')
        const lm = await fs.symlinkMetadata('/latest')
        t.true(lm.isSymbolicLink())
        t.is(lm.size, '/docs/2024'.length)
        t.true((await fs.metadata('/latest')).isDirectory())
        t.deepEqual(names(await fs.readDir('/latest')), ['notes.txt', 'rel'])
        await fs.symlink('/nowhere', '/dangling')
        t.false(await fs.exists('/dangling'))
        await rejectsCode(t, fs.read('/dangling'), 'ENOENT')
        await rejectsCode(t, fs.readLink('/docs'), 'EINVAL')
        await rejectsCode(t, fs.symlink('/x', '/latest'), 'EEXIST')
        await fs.symlink('/loop2', '/loop1')
        await fs.symlink('/loop1', '/loop2')
        await rejectsCode(t, fs.read('/loop1'), 'ELOOP')
        await fs.removeFile('/latest')
        t.true(await fs.exists('/docs/2024/notes.txt'))
      })

      it('hard links share content and count links', async (t, { fs }) => {
        await fs.write('/orig', 'same')
        await fs.hardLink('/orig', '/link')
        t.is((await fs.metadata('/orig')).nlink, 2)
        t.is((await fs.metadata('/orig')).inode, (await fs.metadata('/link')).inode)
        await fs.write('/link', 'changed')
        t.is(await fs.readToString('/orig'), 'changed')
        await fs.removeFile('/orig')
        t.is(await fs.readToString('/link'), 'changed')
        t.is((await fs.metadata('/link')).nlink, 1)
        await fs.createDir('/d')
        await rejectsCode(t, fs.hardLink('/d', '/d2'), 'EISDIR')
        await rejectsCode(t, fs.hardLink('/missing', '/x'), 'ENOENT')
      })

      it('permissions, owner and times', async (t, { fs }) => {
        await fs.write('/p', 'x')
        await fs.setPermissions('/p', 0o640)
        t.is((await fs.metadata('/p')).permissions.mode & 0o7777, 0o640)
        await fs.setPermissions('/p', 0o755)
        t.is((await fs.metadata('/p')).mode & 0o777, 0o755)
        const when = new Date('2001-02-03T04:05:06Z')
        await fs.setTimes('/p', when, when)
        t.is((await fs.metadata('/p')).modifiedMs, when.getTime())
        // Changing owners needs privilege on a host filesystem.
        if (!f.host || process.getuid?.() === 0) {
          await fs.setOwner('/p', 1234, 5678)
          const m = await fs.metadata('/p')
          t.is(m.uid, 1234)
          t.is(m.gid, 5678)
        }
        await rejectsCode(t, fs.setPermissions('/missing', 0o600), 'ENOENT')
      })

      it('handles: open, readAt, writeAt, close', async (t, { fs }) => {
        const h = await fs.open('/h', 'w+')
        t.is(await fs.writeAt(h, 'hello world', 0), 11)
        t.is(await fs.writeAt(h, 'H', 0), 1)
        const buf = Buffer.alloc(5)
        t.is(await fs.readAt(h, buf, 0), 5)
        t.is(buf.toString(), 'Hello')
        t.is(await fs.readAt(h, Buffer.alloc(10), 1000), 0)
        await fs.close(h)
        await rejectsCode(t, fs.close(h), 'EBADF')
        t.is(await fs.readToString('/h'), 'Hello world')
        await rejectsCode(t, fs.open('/h', 'wx'), 'EEXIST')
        await rejectsCode(t, fs.open('/nope', 'r'), 'ENOENT')
        const r = await fs.open('/h', 'r')
        await rejectsCode(t, fs.writeAt(r, 'x', 0), 'EBADF')
        await fs.close(r)
      })

      it('a file unlinked while open stays readable through its handle', async (t, { fs }) => {
        await fs.write('/u', 'still here')
        const h = await fs.open('/u', 'r')
        await fs.removeFile('/u')
        t.false(await fs.exists('/u'))
        const buf = Buffer.alloc(10)
        t.is(await fs.readAt(h, buf, 0), 10)
        t.is(buf.toString(), 'still here')
        await fs.close(h)
      })

      it('advisory locks conflict between handles', async (t, { fs }) => {
        await fs.write('/l', '')
        const a = await fs.open('/l', 'r')
        const b = await fs.open('/l', 'r')
        t.true(await fs.tryLock(a, 'exclusive'))
        t.false(await fs.tryLock(b, 'shared'))
        await fs.unlock(a)
        t.true(await fs.tryLock(b, 'shared'))
        t.true(await fs.tryLock(a, 'shared'))
        t.false(await fs.tryLock(a, 'exclusive'))
        await fs.unlock(a)
        await fs.unlock(b)
        await fs.close(a)
        await fs.close(b)
      })

      it('extended attributes', async (t, { fs }) => {
        await fs.write('/x', 'x')
        await fs.setXattr('/x', 'user.color', 'blue')
        await fs.setXattr('/x', 'user.bin', new Uint8Array([0, 1, 2]))
        t.is((await fs.getXattr('/x', 'user.color')).toString(), 'blue')
        t.deepEqual([...(await fs.getXattr('/x', 'user.bin'))], [0, 1, 2])
        const user = async (): Promise<string[]> => (await fs.listXattr('/x')).filter((n) => n.startsWith('user.')).sort()
        t.deepEqual(await user(), ['user.bin', 'user.color'])
        await fs.removeXattr('/x', 'user.color')
        await rejectsCode(t, fs.getXattr('/x', 'user.color'), 'ENODATA')
        t.deepEqual(await user(), ['user.bin'])
      })

      it('inodes: pathToInode, lookup, inodeToPath, metadataByInode', async (t, { fs }) => {
        await fs.createDir('/dir')
        await fs.write('/dir/f', 'abc')
        t.is(await fs.pathToInode('/'), 1)
        t.is(await fs.inodeToPath(1), '/')
        const dir = await fs.pathToInode('/dir')
        const file = await fs.lookup(dir, 'f')
        t.is(file, await fs.pathToInode('/dir/f'))
        t.is(await fs.inodeToPath(file), '/dir/f')
        const m = await fs.metadataByInode(file)
        t.true(m.isFile())
        t.is(m.size, 3)
        await rejectsCode(t, fs.lookup(dir, 'missing'), 'ENOENT')
      })

      it('sync, fsync and statfs', async (t, { fs }) => {
        await fs.write('/s', 'x')
        await fs.fsync('/s')
        await fs.sync()
        await rejectsCode(t, fs.fsync('/missing'), 'ENOENT')
        const s = await fs.statfs()
        t.true(s.blockSize > 0)
        t.true(s.maxNameLength >= 255)
        t.true(s.usedInodes >= 1)
        t.true(s.usedBytes <= s.totalBytes || s.totalBytes === 0)
      })

      it('streams: openWrite piped then openRead', async (t, { fs }) => {
        const parts = Array.from({ length: 20 }, (_, i) => Buffer.alloc(10_000, i))
        await pipeline(Readable.from(parts), await fs.openWrite('/stream.bin'))
        const expected = Buffer.concat(parts)
        t.true((await fs.read('/stream.bin')).equals(expected))
        const chunks: Buffer[] = []
        for await (const c of await fs.openRead('/stream.bin')) chunks.push(c as Buffer)
        t.true(Buffer.concat(chunks).equals(expected))
        await rejectsCode(t, fs.openRead('/missing'), 'ENOENT')
      })

      it('streams: chunks that are views into a larger buffer are written from their own bytes', async (t, { fs }) => {
        // The blocking pool writes straight from the JS buffer: offsets and lengths must hold.
        const backing = new Uint8Array(4096).map((_, i) => i % 251)
        const views = [backing.subarray(7, 1000), Buffer.from(backing.buffer, 1000, 3000), backing.subarray(4000)]
        const out = await fs.openWrite('/views.bin')
        await pipeline(Readable.from(views), out)
        t.deepEqual(new Uint8Array(await fs.read('/views.bin')), backing.subarray(7))
      })

      it('batch: values and errors in order', async (t, { raw }) => {
        const ops = [
          { op: 'createDirAll', path: '/b/c' },
          { op: 'write', path: '/b/f', data: 'hello' },
          { op: 'readToString', path: '/b/f' },
          { op: 'read', path: '/b/missing' },
          { op: 'exists', path: '/b/c' },
        ] as const
        const results = mode === 'sync' ? raw.batchSync(ops) : await raw.batch(ops)
        t.deepEqual(
          results.map((r) => r.ok),
          [true, true, true, false, true],
        )
        const [, , text, missing, exists] = results
        t.is(text.ok && text.value, 'hello')
        t.is(!missing.ok && missing.error.code, 'ENOENT')
        t.true(!missing.ok && missing.error instanceof FsError)
        t.is(exists.ok && exists.value, true)
      })

      if (wrap === 'storage') {
        it('canonicalize through symlinks', async (t, { fs }) => {
          await fs.createDirAll('/real/dir')
          await fs.write('/real/dir/f', 'f')
          await fs.symlink('/real', '/r')
          await fs.symlink('dir/f', '/real/lf')
          t.is(await fs.canonicalize('/r/dir/../lf'), '/real/dir/f')
          t.is(await fs.softCanonicalize('/r/dir/not/yet'), '/real/dir/not/yet')
          await rejectsCode(t, fs.canonicalize('/r/missing'), 'ENOENT')
        })
      }
    }
  }
}

// ---- What only some backends have ----

/** Tests that need a second SQLite client use Python's (the addon's SQLite is not reachable
 * from a child without our own API, which never leaves a transaction open). */
const PYTHON = 'this test needs python3 with its sqlite3 module (a second SQLite client)'

test('the shared spec covers five backends, bare and through FileStorage, sync and async', (t) => {
  t.deepEqual(
    FACTORIES.map((f) => f.name),
    ['MemoryBackend', 'SqliteBackend(file)', 'SqliteBackend(memory)', 'StdFsBackend', 'VRootFsBackend'],
  )
})

test('SqliteBackend: what one backend wrote, a reopened one reads', async (t) => {
  const path = join(tempDir(t), 'persist.db')
  const first = new FileStorage(SqliteBackend.open(path, { synchronous: 'full' }))
  await first.createDirAll('/docs/deep')
  await first.write('/docs/deep/a.txt', 'persisted')
  await first.symlink('/docs/deep/a.txt', '/docs/link')
  await first.setXattr('/docs/deep/a.txt', 'user.k', 'v')
  await first.fsync('/docs/deep/a.txt')
  const inode = await first.pathToInode('/docs/deep/a.txt')
  const second = new FileStorage(SqliteBackend.open(path))
  t.is(await second.readToString('/docs/link'), 'persisted')
  t.is((await second.getXattr('/docs/deep/a.txt', 'user.k')).toString(), 'v')
  t.is(await second.pathToInode('/docs/deep/a.txt'), inode)
  // Both are live on one file: a write through either is seen by the other.
  await second.write('/docs/b.txt', 'from second')
  t.is(await first.readToString('/docs/b.txt'), 'from second')
  t.is(first.backend.path, path)
  t.is(SqliteBackend.inMemory().path, null)
})

test('SqliteBackend: a database written by one process is read by another', async (t) => {
  const path = join(tempDir(t), 'shared.db')
  const db = SqliteBackend.open(path)
  await db.write('/from-parent', 'parent')
  const script = `
    const { SqliteBackend } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))})
    const db = SqliteBackend.open(${JSON.stringify(path)})
    const seen = db.readToStringSync('/from-parent')
    db.writeSync('/from-child', 'child saw ' + seen)
  `
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' })
  const [code] = await once(child, 'exit')
  t.is(code, 0)
  t.is(await db.readToString('/from-child'), 'child saw parent')
})

test('StdFsBackend and VRootFsBackend: the files are plain host files', async (t) => {
  for (const make of [(d: string) => new StdFsBackend(d), (d: string) => new VRootFsBackend(d)]) {
    const dir = tempDir(t)
    const fs = new FileStorage(make(dir))
    t.is(fs.backend.root, nodeFs.realpathSync(dir))
    await fs.createDirAll('/a/b')
    await fs.write('/a/b/c.txt', 'on the host')
    t.is(nodeFs.readFileSync(join(dir, 'a/b/c.txt'), 'utf8'), 'on the host')
    nodeFs.writeFileSync(join(dir, 'from-host'), 'written by node:fs')
    t.is(await fs.readToString('/from-host'), 'written by node:fs')
    // A second backend on the same directory sees the same files.
    t.is(make(dir).readToStringSync('/a/b/c.txt'), 'on the host')
  }
})

test('SqliteBackend.open: option types and ranges are checked before anything opens', (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'o.db')
  const bad: [unknown, new (...a: never[]) => Error, string][] = [
    [42, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [null, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ pageSize: '4096' }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ pageSize: 1000 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ pageSize: 256 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ pageSize: 131072 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ pageSize: 4096.5 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ chunkSize: 100 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ chunkSize: 32 * 1024 * 1024 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ chunkSize: -1 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ synchronous: 'FULL' }, TypeError, 'ERR_INVALID_ARG_VALUE'],
    [{ synchronous: 'sometimes' }, TypeError, 'ERR_INVALID_ARG_VALUE'],
    [{ synchronous: 2 }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ busyTimeoutMs: -1 }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ busyTimeoutMs: Number.POSITIVE_INFINITY }, RangeError, 'ERR_OUT_OF_RANGE'],
    [{ busyTimeoutMs: '5s' }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ synchronus: 'full' }, TypeError, 'ERR_INVALID_ARG_VALUE'],
  ]
  for (const [options, type, code] of bad) {
    t.throws(() => SqliteBackend.open(path, options as never), { instanceOf: type, code }, JSON.stringify(options))
  }
  for (const p of [42, undefined, '', ':memory:', 'a\0b']) {
    t.throws(() => SqliteBackend.open(p as string), { instanceOf: TypeError }, String(p))
  }
  t.throws(() => SqliteBackend.inMemory({ synchronous: 'full' } as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' })
  t.throws(() => SqliteBackend.inMemory({ chunkSize: 1 }), { instanceOf: RangeError })
  t.false(nodeFs.existsSync(path), 'a refused call created the database')
})

test('SqliteBackend.open: every valid option is taken, and layout options are kept by the file', async (t) => {
  const dir = tempDir(t)
  for (const synchronous of ['off', 'normal', 'full', 'extra'] as const) {
    const path = join(dir, `${synchronous}.db`)
    const db = SqliteBackend.open(path, { pageSize: 8192, chunkSize: 1024, synchronous, busyTimeoutMs: 100 })
    const data = Buffer.alloc(5000, 7)
    await db.write('/f', data)
    t.true((await db.read('/f')).equals(data))
    // The SQLite header stores the page size (big-endian u16 at offset 16).
    const header = Buffer.alloc(18)
    const fd = nodeFs.openSync(path, 'r')
    nodeFs.readSync(fd, header, 0, 18, 0)
    nodeFs.closeSync(fd)
    t.is(header.readUInt16BE(16), 8192, synchronous)
  }
  // Reopening with other layout options keeps the database's own.
  const again = SqliteBackend.open(join(dir, 'full.db'), { pageSize: 512, chunkSize: 65536 })
  t.is((await again.read('/f')).length, 5000)
  const mem = SqliteBackend.inMemory({ pageSize: 1024, chunkSize: 512 })
  await mem.write('/m', Buffer.alloc(2000, 1))
  t.is((await mem.readRange('/m', 500, 20)).length, 20)
})

test('SqliteBackend.open: a file that is not an AnyFS database is refused and left untouched', (t) => {
  const dir = tempDir(t)
  const cases: [string, Buffer][] = [
    ['text.db', Buffer.from('just some text, not a database\n'.repeat(100))],
    ['zeros.db', Buffer.alloc(8192)],
  ]
  for (const [name, content] of cases) {
    const path = join(dir, name)
    nodeFs.writeFileSync(path, content)
    const before = nodeFs.statSync(path)
    const err = t.throws(() => SqliteBackend.open(path), { instanceOf: FsError })
    t.is(err?.code, 'EIO', name)
    t.is(err?.kind, 'Backend')
    t.is(err?.syscall, 'open')
    t.is(err?.path, path)
    t.regex(err?.message ?? '', /not an AnyFS database/, name)
    t.regex(err?.stack ?? '', /not an AnyFS database/)
    t.true(nodeFs.readFileSync(path).equals(content), `${name} changed`)
    t.is(nodeFs.statSync(path).mtimeMs, before.mtimeMs)
    t.deepEqual(nodeFs.readdirSync(dir).filter((n) => n.startsWith(name)), [name], 'no -wal/-shm left behind')
  }
})

test('SqliteBackend.open: a SQLite database of another program is refused and left untouched', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'other.db')
  const py = spawn('python3', [
    '-c',
    `import sqlite3; c = sqlite3.connect(${JSON.stringify(path)}); c.execute('create table t(x)'); c.execute('insert into t values (1)'); c.commit(); c.close()`,
  ])
  const code = await Promise.race([once(py, 'exit').then(([c]) => c), once(py, 'error').then(() => -1)])
  if (code !== 0) return t.fail(PYTHON)
  const content = nodeFs.readFileSync(path)
  const err = t.throws(() => SqliteBackend.open(path), { instanceOf: FsError })
  t.is(err?.code, 'EIO')
  t.regex(err?.message ?? '', /not an AnyFS database/)
  t.true(nodeFs.readFileSync(path).equals(content))
})

test('SqliteBackend.open: an AnyFS database of a newer schema version is refused and left untouched', async (t) => {
  const path = join(tempDir(t), 'future.db')
  // Made by another process, so no connection of this one stays open on it.
  const make = spawn(process.execPath, [
    '-e',
    `require(${JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))}).SqliteBackend.open(${JSON.stringify(path)}).writeSync('/f', 'x')`,
  ], { stdio: 'inherit' })
  t.is((await once(make, 'exit'))[0], 0)
  const py = spawn('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(path)}); c.execute('PRAGMA user_version = 999'); c.close()`])
  const code = await Promise.race([once(py, 'exit').then(([c]) => c), once(py, 'error').then(() => -1)])
  if (code !== 0) return t.fail(PYTHON)
  const content = nodeFs.readFileSync(path)
  const err = t.throws(() => SqliteBackend.open(path), { instanceOf: FsError })
  t.is(err?.code, 'EIO')
  t.is(err?.kind, 'Backend')
  t.regex(err?.message ?? '', /schema version 999 is newer/)
  t.true(nodeFs.readFileSync(path).equals(content))
})

test('SqliteBackend.open: host errors carry their codes', (t) => {
  const dir = tempDir(t)
  nodeFs.mkdirSync(join(dir, 'a-dir'))
  for (const path of [join(dir, 'missing-parent', 'x.db'), join(dir, 'a-dir')]) {
    const err = t.throws(() => SqliteBackend.open(path), { instanceOf: FsError })
    t.is(err?.syscall, 'open')
    t.is(err?.path, path)
    t.truthy(err?.code)
  }
})

test('host backends: constructor errors are FsErrors with the host code', (t) => {
  const dir = tempDir(t)
  nodeFs.writeFileSync(join(dir, 'file'), '')
  for (const make of [(r: string) => new StdFsBackend(r), (r: string) => new VRootFsBackend(r)]) {
    const missing = t.throws(() => make(join(dir, 'missing')), { instanceOf: FsError })
    t.is(missing?.code, 'ENOENT')
    t.is(missing?.syscall, 'open')
    t.is(missing?.path, join(dir, 'missing'))
    t.is(t.throws(() => make(join(dir, 'file')), { instanceOf: FsError })?.code, 'ENOTDIR')
    t.throws(() => make(42 as unknown as string), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  }
})

// ---- The blocking pool ----

/** A Python child that holds SQLite's write lock on `path` until `release()`. */
interface LockHolder {
  /** Lets the lock go; resolves when the child has exited (with its exit code). */
  release(): Promise<number | null>
}

async function lockHolder(path: string): Promise<LockHolder | undefined> {
  const script = [
    'import sqlite3, sys',
    `c = sqlite3.connect(${JSON.stringify(path)}, isolation_level=None)`,
    "c.execute('BEGIN IMMEDIATE')",
    "print('locked', flush=True)",
    'sys.stdin.readline()',
    "c.execute('COMMIT')",
  ].join('\n')
  const child = spawn('python3', ['-c', script])
  // Listened to from the start: the child may exit before anyone awaits it.
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code))
    child.on('error', () => resolve(-1))
  })
  const ready = await Promise.race([once(child.stdout, 'data').then(() => true), exited.then(() => false)])
  if (!ready) return undefined
  return {
    release: () => {
      child.stdin.end('\n')
      return exited
    },
  }
}

test('SqliteBackend: an async call waiting on another process leaves the JS thread free', async (t) => {
  const path = join(tempDir(t), 'busy.db')
  const db = SqliteBackend.open(path, { busyTimeoutMs: 30_000 })
  db.writeSync('/before', 'x')
  const holder = await lockHolder(path)
  if (holder === undefined) return t.fail(PYTHON)
  const events: string[] = []
  // The write waits for the other process's lock. Were it run on the JS thread, the timer that
  // releases the lock could never fire and the write would time out after 30 s.
  const write = db.write('/during', 'y').then(() => events.push('write done'))
  await new Promise((resolve) => setTimeout(resolve, 50))
  events.push('timer fired')
  t.false(db.existsSync('/during'), 'the write went through while the lock was held')
  const released = holder.release()
  await write
  t.deepEqual(events, ['timer fired', 'write done'])
  t.is(db.readToStringSync('/during'), 'y')
  t.is(await released, 0)
})

test('SqliteBackend: past busyTimeoutMs a write fails with EBUSY and changes nothing', async (t) => {
  const path = join(tempDir(t), 'timeout.db')
  const db = SqliteBackend.open(path, { busyTimeoutMs: 50 })
  db.writeSync('/f', 'old')
  const holder = await lockHolder(path)
  if (holder === undefined) return t.fail(PYTHON)
  await rejectsCode(t, db.write('/f', 'new'), 'EBUSY')
  t.throws(() => db.writeSync('/g', 'new'), { instanceOf: FsError, code: 'EBUSY' })
  t.is(await holder.release(), 0)
  t.is(db.readToStringSync('/f'), 'old')
  t.false(db.existsSync('/g'))
})

test('host backends: an async read blocked on a FIFO leaves the JS thread free', async (t) => {
  for (const make of [(d: string) => new StdFsBackend(d), (d: string) => new VRootFsBackend(d)]) {
    const dir = tempDir(t)
    const mk = spawn('mkfifo', [join(dir, 'fifo')])
    const code = await Promise.race([once(mk, 'exit').then(([c]) => c), once(mk, 'error').then(() => -1)])
    if (code !== 0) return t.fail('this test needs mkfifo (coreutils)')
    const fs = make(dir)
    const events: string[] = []
    // Opening a FIFO for reading blocks until a writer opens it: only this thread can be that
    // writer, so the read completes only if it is not running here.
    const read = fs.read('/fifo').then((data) => {
      events.push('read done')
      return data
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    events.push('timer fired')
    nodeFs.writeFileSync(join(dir, 'fifo'), 'through the pipe')
    t.is((await read).toString(), 'through the pipe')
    t.deepEqual(events, ['timer fired', 'read done'])
  }
})

test('SqliteBackend: 200 concurrent async operations all complete correctly', async (t) => {
  for (const db of [SqliteBackend.open(join(tempDir(t), 'many.db')), SqliteBackend.inMemory()]) {
    const fs = new FileStorage(db)
    await fs.createDir('/many')
    const writes = Array.from({ length: 200 }, (_, i) => fs.write(`/many/f${i}`, `content ${i}`))
    await Promise.all(writes)
    const mixed = Array.from({ length: 200 }, (_, i) => {
      switch (i % 4) {
        case 0:
          return fs.readToString(`/many/f${i}`)
        case 1:
          return fs.append(`/many/f${i}`, '+').then(() => fs.readToString(`/many/f${i}`))
        case 2:
          return fs.metadata(`/many/f${i}`).then((m) => `size ${m.size}`)
        default:
          return fs.readDir('/many').then((es) => `entries ${es.length}`)
      }
    })
    const results = await Promise.all(mixed)
    results.forEach((r, i) => {
      const expected = [`content ${i}`, `content ${i}+`, `size ${`content ${i}`.length}`, 'entries 200'][i % 4] ?? ''
      t.is(r, expected, `op ${i}`)
    })
    t.is((await fs.readDir('/many')).length, 200)
  }
})
