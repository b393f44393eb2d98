/**
 * {@link FileStorage}: the node:fs-shaped API over any backend, with symlink-aware path
 * resolution, whose methods are exactly what its backend's type supports.
 *
 * @module
 */

import type { BatchOp, BatchResults } from './batch'
import type {
  Fs,
  FsCanonicalize,
  FsHandles,
  FsInode,
  FsLink,
  FsLock,
  FsPermissions,
  FsPosix,
  FsStats,
  FsSync,
  FsXattr,
} from './capabilities'
import { invalidArgType, toFsError } from './errors'
import type { Layer, TransparentLayer } from './layer'
import { NativeStack, nativeOf, pooled, type CapabilityName } from './stack'
import { checkPath } from './validate'

/**
 * What every {@link FileStorage} has, whatever its backend: the {@link Fs} operations, the
 * backend itself, batches and layering.
 *
 * @typeParam B - the backend's type.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FileStorageBase } from 'anyfs'
 * const fs: FileStorageBase<MemoryBackend> = new FileStorage(new MemoryBackend())
 * fs.backend instanceof MemoryBackend // true
 * ```
 */
export interface FileStorageBase<B extends Fs> extends Fs {
  /** The backend this storage resolves paths over (shared, not copied). */
  readonly backend: B
  /** The capability interfaces of the backend. */
  readonly capabilities: readonly CapabilityName[]
  /** Runs many operations in one crossing; see {@link NativeStack.batch}. */
  batch<const Ops extends readonly BatchOp[]>(ops: Ops): Promise<BatchResults<Ops>>
  /** Synchronous {@link FileStorageBase.batch}. */
  batchSync<const Ops extends readonly BatchOp[]>(ops: Ops): BatchResults<Ops>
  /** Wraps the storage in a layer: `layer.wrap(this)`. */
  layer(layer: TransparentLayer): this
  /** Wraps the storage in a layer: `layer.wrap(this)`. */
  layer<Out>(layer: Layer<this, Out>): Out
}

/**
 * The operations a backend of type `B` adds beyond {@link Fs}: one capability interface per
 * trait `B` implements, and the canonicalization family when it has {@link FsLink}.
 *
 * @example
 * ```ts
 * import type { Capabilities, Fs, FsLink } from 'anyfs'
 * type WithLinks = Capabilities<Fs & FsLink> // FsLink & FsCanonicalize
 * ```
 */
export type Capabilities<B> = (B extends FsLink ? FsLink & FsCanonicalize : unknown) &
  (B extends FsPermissions ? FsPermissions : unknown) &
  (B extends FsSync ? FsSync : unknown) &
  (B extends FsStats ? FsStats : unknown) &
  (B extends FsInode ? FsInode : unknown) &
  (B extends FsHandles ? FsHandles : unknown) &
  (B extends FsLock ? FsLock : unknown) &
  (B extends FsXattr ? FsXattr : unknown)

/**
 * The node:fs-shaped filesystem API over a backend, with symlink-aware path resolution
 * (component by component, `..` through symlink targets, loops end in `ELOOP`) and the
 * canonicalization family. Its type has exactly the operations its backend's type supports:
 * over a backend typed as plain {@link Fs} there is no `symlink()` — calling it is a compile
 * error, as a missing trait bound is in Rust.
 *
 * Every operation is async (a Promise) with a `*Sync` twin. The storage shares its backend: a
 * write through one is visible through the other.
 *
 * @typeParam B - the backend's type.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type Fs } from 'anyfs'
 *
 * const fs = new FileStorage(new MemoryBackend())
 * await fs.createDirAll('/docs/2024')
 * await fs.write('/docs/2024/notes.txt', 'hello')
 * await fs.symlink('/docs/2024', '/docs/latest')
 * await fs.readToString('/docs/latest/notes.txt') // 'hello'
 *
 * function basic(backend: Fs) {
 *   const plain = new FileStorage(backend)
 *   // plain.symlink('/a', '/b') // compile error: the backend type has no FsLink
 * }
 * ```
 */
export type FileStorage<B extends Fs = FsPosix> = FileStorageBase<B> & Capabilities<B>

/**
 * The constructor of {@link FileStorage}.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FileStorageConstructor } from 'anyfs'
 * const make: FileStorageConstructor = FileStorage
 * const fs = new make(new MemoryBackend())
 * ```
 */
export interface FileStorageConstructor {
  /**
   * A storage over `backend`: a native backend or stack (such as {@link MemoryBackend}), a
   * {@link Middleware}, or a {@link JsBackend} (JS code may also pass an object of handlers,
   * see {@link JsFs}); JS ones are reached through a native adapter.
   */
  new <B extends Fs>(backend: B): FileStorage<B>
  /** The prototype shared by every storage. */
  readonly prototype: FileStorage
}

/** The runtime class: every operation, typed down by {@link FileStorage}. */
const FileStorageImpl = class FileStorage extends NativeStack {
  readonly backend: unknown

  constructor(backend: unknown) {
    const handle = nativeOf(backend)
    if (handle === undefined) {
      throw invalidArgType('backend', 'a filesystem: a backend or stack such as MemoryBackend, a Middleware or a JsBackend', backend)
    }
    super(handle.storage())
    this.backend = backend
  }

  canonicalizeSync(path: string): string {
    checkPath(path)
    try {
      return (nativeOf(this) as NonNullable<ReturnType<typeof nativeOf>>).canonicalize(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async canonicalize(path: string): Promise<string> {
    const n = nativeOf(this) as NonNullable<ReturnType<typeof nativeOf>>
    if (!n.blocking) return this.canonicalizeSync(path)
    checkPath(path)
    return pooled(n, 'canonicalize', [path], [], []) as Promise<string>
  }

  softCanonicalizeSync(path: string): string {
    checkPath(path)
    try {
      return (nativeOf(this) as NonNullable<ReturnType<typeof nativeOf>>).softCanonicalize(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async softCanonicalize(path: string): Promise<string> {
    const n = nativeOf(this) as NonNullable<ReturnType<typeof nativeOf>>
    if (!n.blocking) return this.softCanonicalizeSync(path)
    checkPath(path)
    return pooled(n, 'softCanonicalize', [path], [], []) as Promise<string>
  }

  anchoredCanonicalizeSync(path: string, anchor: string): string {
    checkPath(path)
    checkPath(anchor, 'anchor')
    try {
      return (nativeOf(this) as NonNullable<ReturnType<typeof nativeOf>>).anchoredCanonicalize(path, anchor)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async anchoredCanonicalize(path: string, anchor: string): Promise<string> {
    const n = nativeOf(this) as NonNullable<ReturnType<typeof nativeOf>>
    if (!n.blocking) return this.anchoredCanonicalizeSync(path, anchor)
    checkPath(path)
    checkPath(anchor, 'anchor')
    return pooled(n, 'anchoredCanonicalize', [path, anchor], [], []) as Promise<string>
  }
}

/**
 * Creates a {@link FileStorage} over a backend: `new FileStorage(backend)`.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * fs.writeSync('/hello.txt', 'hi')
 * fs.readToStringSync('/hello.txt') // 'hi'
 * ```
 */
export const FileStorage: FileStorageConstructor = FileStorageImpl as unknown as FileStorageConstructor
