// Type test, checked by `tsc -p tsconfig.test.json` (part of `npm test`), never run: a
// FileStorage has exactly the operations its backend's type supports.

import {
  FileStorage,
  MemoryBackend,
  type BatchResult,
  type Fs,
  type FsFull,
  type FsLink,
  type FsPosix,
  type Layer,
  type Metadata,
} from '../js/index'

declare const plain: Fs
declare const full: FsFull
declare const withLinks: Fs & FsLink

export async function capabilities(): Promise<void> {
  const basic = new FileStorage(plain)
  await basic.write('/a', 'x')
  basic.readSync('/a')
  // @ts-expect-error a plain Fs backend has no FsLink, so its storage has no symlink()
  await basic.symlink('/a', '/b')
  // @ts-expect-error ...nor the canonicalization that needs links
  basic.canonicalizeSync('/a')
  // @ts-expect-error ...nor handles
  basic.openSync('/a')

  const linked = new FileStorage(withLinks)
  await linked.symlink('/a', '/b')
  linked.canonicalizeSync('/b')
  // @ts-expect-error links only: no permissions
  linked.setPermissionsSync('/a', 0o600)

  const f = new FileStorage(full)
  f.setPermissionsSync('/a', 0o600)
  f.statfsSync()
  // @ts-expect-error FsFull stops before inodes
  f.pathToInodeSync('/a')

  const mem = new FileStorage(new MemoryBackend())
  mem.pathToInodeSync('/')
  mem.getXattrSync('/', 'user.x')
  const posix: FsPosix = mem
  void posix

  // The backend type is kept.
  const b: MemoryBackend = mem.backend
  void b

  // A bare MemoryBackend is every capability, but canonicalization is FileStorage's.
  const raw = new MemoryBackend()
  raw.symlinkSync('/a', '/b')
  // @ts-expect-error canonicalize is a FileStorage method
  raw.canonicalizeSync('/b')

  // Batch results are typed position by position.
  const [m, e] = mem.batchSync([
    { op: 'metadata', path: '/' },
    { op: 'exists', path: '/' },
  ])
  const mr: BatchResult<Metadata> = m
  const er: BatchResult<boolean> = e
  void mr
  void er
  // @ts-expect-error 'nope' is not an operation
  mem.batchSync([{ op: 'nope', path: '/' }])

  // A generic layer keeps the stack's type (and so its capabilities).
  const keep = { wrap: <B extends Fs>(inner: B): B => inner }
  const layered = raw.layer(keep)
  const stillMemory: MemoryBackend = layered
  void stillMemory
  // A layer that narrows to Fs narrows the storage too.
  const narrow: Layer<MemoryBackend, Fs> = { wrap: (inner) => inner }
  const narrowed = new FileStorage(raw.layer(narrow))
  // @ts-expect-error narrowed to Fs: no links
  narrowed.symlinkSync('/a', '/b')

  // Data is string | Uint8Array, nothing else.
  // @ts-expect-error numbers are not data
  mem.writeSync('/a', 42)
}
