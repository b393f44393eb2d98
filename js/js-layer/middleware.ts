/**
 * {@link Middleware}: the base class of middleware written in JavaScript.
 *
 * @module
 */

import type { Readable, Writable } from 'node:stream'

import type { Data, Fs, FsPosix } from '../capabilities'
import { invalidArgType, invalidArgValue } from '../errors'
import type { Layer, TransparentLayer } from '../layer'
import type { KindedLayer, LayerKind, Wrapped } from '../middleware/common'
import { NativeStack, nativeOf, type CapabilityName } from '../stack'
import type { DirEntry, Handle, LockType, Metadata, OpenFlagsInput, Permissions, StatFs, TimeInput } from '../types'
import { checkAnswer } from './answers'
import { layerError } from './failure'
import { abandon, inSync, isAsyncFunction, isThenable, promiseInSyncCall, asSync, withTimeout } from './mode'
import { BY_NAME, OPS } from './ops'
import { checkTimeout, layerName } from './options'

/**
 * Options of a {@link Middleware} (and of a {@link JsBackend}).
 *
 * @example
 * ```ts
 * import { MemoryBackend, Middleware, type MiddlewareOptions } from 'anyfs'
 * const options: MiddlewareOptions = { timeout: 5_000, name: 'audit' }
 * const layer = new Middleware(new MemoryBackend(), options)
 * ```
 */
export interface MiddlewareOptions {
  /**
   * Milliseconds an async operation of this layer may take before it fails with `ETIMEDOUT`
   * (kind `Timeout`); `Infinity` waits for ever. Default 30 000. A handler that never settles
   * then costs its caller this long, never a stuck process.
   */
  timeout?: number
  /** The layer's name in error messages (default: its class name). */
  name?: string
  /**
   * Promises that every handler answers synchronously (with a value, never a promise). Native
   * layers over such a layer then serve async calls on the JS thread, like sync ones, instead
   * of on the blocking pool — no thread hop — as long as nothing below it blocks either. An
   * `async` handler is refused at construction; a handler that returns a promise anyway fails
   * with `EDEADLK`. Default `false`.
   */
  synchronous?: boolean
}

/** Whether a layer's async calls need the pool (read from its private state). @internal */
export let blockingOf: (layer: Middleware<Fs>) => boolean

/** The operations a layer's class overrides (read from its private state). @internal */
export let overriddenBy: (layer: Middleware<Fs>) => string[]

/** The handlers a subclass overrides, by operation name. */
type Overrides = Partial<Record<string, (...args: unknown[]) => unknown>>

/**
 * The base class of middleware written in JavaScript: it wraps an inner filesystem — a native
 * backend or stack, another `Middleware`, a {@link JsBackend} — and forwards every operation
 * to it. A subclass overrides only what it needs.
 *
 * **One handler per operation.** Override the async-named method (`write`); it serves both
 * `write()` and `writeSync()`, so a policy cannot be bypassed through the other twin. Inside,
 * call `super.write(...)` to go on to the inner filesystem: it runs synchronously when the
 * caller was `writeSync` and asynchronously otherwise. A handler may return a value or a
 * promise:
 *
 * - a plain (non-`async`) handler that returns `super.op(...)` or {@link Middleware.reply}
 *   serves both twins;
 * - an `async` handler (or one returning a promise) serves async calls only: a `*Sync` call
 *   that reaches it fails at once with `EDEADLK`, without running it.
 *
 * Overriding a `*Sync` twin is refused at construction (`TypeError`).
 *
 * **Errors.** What a handler throws reaches the caller as an {@link FsError}: an `FsError` as
 * is; an error with a string `code` (`Object.assign(new Error('no'), { code: 'EPERM' })`) keeps
 * its code and message; any other error becomes `EIO` carrying its message. The same holds
 * through native layers above. A handler that answers with the wrong type gets an `EIO` error
 * naming the layer and what it returned; an async handler that does not settle within
 * `timeout` fails with `ETIMEDOUT`.
 *
 * **Composition.** Layers compose in any order with native ones: a native layer (or a
 * {@link FileStorage}) over a `Middleware` calls it through a native adapter — directly for
 * sync calls, from the blocking pool for async ones (which makes that stack a blocking stack:
 * its async calls cost a thread hop, unless the layer is built with `synchronous: true`).
 * Operations the layer does not override never enter JS there: the adapter sends them straight
 * to the native stack below. Native layers above stream through the layer's `read`, `write`
 * and `append` handlers; its `openRead`/`openWrite` handlers serve JS callers. A JS layer must
 * not call into a stack *above* itself: native layers may hold a lock while they call down.
 *
 * **Types.** A `Middleware`'s type has every operation of {@link FsPosix}; at run time it has its
 * inner's capabilities ({@link Middleware.capabilities}), and the rest fail with `ENOSYS`.
 *
 * @typeParam I - the inner filesystem's type.
 *
 * @example
 * ```ts
 * import { FileStorage, FsError, MemoryBackend, Middleware, QuotaLayer, type Data } from 'anyfs'
 *
 * class NoSecrets extends Middleware {
 *   override write(path: string, data: Data) {
 *     if (String(data).includes('SECRET')) {
 *       throw Object.assign(new Error(`refusing to store a secret in ${path}`), { code: 'EACCES' })
 *     }
 *     return super.write(path, data)
 *   }
 * }
 *
 * const stack = new NoSecrets(new MemoryBackend()).layer(new QuotaLayer({ maxTotalSize: 1 << 20 }))
 * const fs = new FileStorage(stack)
 * fs.writeSync('/ok.txt', 'hello')
 * try {
 *   await fs.write('/key.txt', 'SECRET=1')
 * } catch (err) {
 *   (err as FsError).code // 'EACCES'
 * }
 * ```
 */
export class Middleware<I extends Fs = FsPosix> implements FsPosix {
  /** The filesystem this layer wraps (shared, not copied). */
  readonly inner: I
  /** Milliseconds an async operation may take (see {@link MiddlewareOptions.timeout}). */
  readonly timeout: number
  /** The layer's name in error messages. */
  readonly name: string
  /** The inner filesystem, with every operation (what it lacks fails natively with `ENOSYS`). */
  readonly #in: FsPosix
  /** The handlers this layer's class overrides. */
  readonly #over: Overrides
  /** Whether async calls through a native adapter must run on the blocking pool. */
  readonly #blocking: boolean

  static {
    blockingOf = (layer) => layer.#blocking
    overriddenBy = (layer) => Object.keys(layer.#over)
  }

  /**
   * A layer over `inner`. `inner` may also be a plain object of handlers (see {@link JsFs}),
   * which is wrapped in a {@link JsBackend} first.
   *
   * @example
   * ```ts
   * import { MemoryBackend, Middleware } from 'anyfs'
   * const passThrough = new Middleware(new MemoryBackend(), { timeout: 1_000 })
   * passThrough.writeSync('/a', 'x')
   * ```
   */
  constructor(inner: I, options: MiddlewareOptions = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const wrapped = innerOf(inner)
    this.inner = wrapped as I
    this.#in = wrapped as unknown as FsPosix
    this.timeout = checkTimeout(options.timeout)
    this.name = layerName(options.name, this)
    this.#over = overrides(this)
    if (options.synchronous !== undefined && typeof options.synchronous !== 'boolean') {
      throw invalidArgType('options.synchronous', 'of type boolean', options.synchronous)
    }
    this.#blocking = options.synchronous === true ? synchronousOver(this.name, this.#over, wrapped) : true
    for (const name of Object.keys(this.#over)) {
      Object.defineProperty(this, name, { value: this.#entry(name), writable: true, configurable: true })
    }
  }

  /**
   * The capability interfaces this layer has at run time: its inner's.
   *
   * @example
   * ```ts
   * import { MemoryBackend, Middleware } from 'anyfs'
   * new Middleware(new MemoryBackend()).capabilities.includes('FsLink') // true
   * ```
   */
  get capabilities(): readonly CapabilityName[] {
    return (this.#in as unknown as { capabilities: readonly CapabilityName[] }).capabilities
  }

  /**
   * Wraps this layer in another, native or JS: `stack.layer(l)` is `l.wrap(stack)`, so the
   * last layer added is the outermost.
   *
   * @example
   * ```ts
   * import { MemoryBackend, Middleware, QuotaLayer } from 'anyfs'
   * const quota = new Middleware(new MemoryBackend()).layer(new QuotaLayer({ maxNodeCount: 10 }))
   * quota.usage().nodeCount // 0
   * ```
   */
  layer<K extends LayerKind>(layer: KindedLayer<K, this>): Wrapped<K, this>
  layer(layer: TransparentLayer): this
  layer<Out>(layer: Layer<this, Out>): Out
  layer(layer: Layer<this, unknown>): unknown {
    return layer.wrap(this)
  }

  /**
   * `value` as this call's answer: the value itself in a synchronous call, a resolved promise
   * in an async one. For handlers that answer without the inner filesystem and should serve
   * both twins.
   *
   * @example
   * ```ts
   * import { MemoryBackend, Middleware } from 'anyfs'
   * class Version extends Middleware {
   *   override readToString(path: string) {
   *     return path === '/VERSION' ? this.reply('1.0.0') : super.readToString(path)
   *   }
   * }
   * new Version(new MemoryBackend()).readToStringSync('/VERSION') // '1.0.0'
   * ```
   */
  protected reply<T>(value: T): Promise<T> {
    return (inSync() ? value : Promise.resolve(value)) as Promise<T>
  }

  /**
   * Applies `fn` to the answer of a forwarded call, in both modes: at once in a synchronous
   * call, after the promise settles in an async one. For handlers that change what the inner
   * filesystem answered and should serve both twins.
   *
   * @example
   * ```ts
   * import { MemoryBackend, Middleware, type DirEntry } from 'anyfs'
   * class HideDotFiles extends Middleware {
   *   override readDir(path: string) {
   *     return this.after(super.readDir(path), (entries: DirEntry[]) => entries.filter((e) => !e.name.startsWith('.')))
   *   }
   * }
   * ```
   */
  protected after<T, U>(answer: Promise<T>, fn: (value: T) => U | PromiseLike<U>): Promise<U> {
    return (inSync() ? fn(answer as unknown as T) : answer.then(fn)) as Promise<U>
  }

  /** Runs handler `h` of `op` in a synchronous call, checking what it answers. */
  #sync(h: (...args: unknown[]) => unknown, op: string, args: unknown[]): unknown {
    const spec = BY_NAME.get(op)
    const at = spec?.pathArg === undefined ? undefined : args[spec.pathArg]
    const path = typeof at === 'string' ? at : undefined
    if (isAsyncFunction(h)) throw promiseInSyncCall(this.name, op, path, false)
    let answer: unknown
    try {
      answer = asSync(() => h.apply(this, args))
    } catch (err) {
      throw layerError(err, this.name, op, path)
    }
    if (isThenable(answer)) {
      abandon(answer)
      throw promiseInSyncCall(this.name, op, path, true)
    }
    if (spec === undefined || spec.kind === 'unit') return undefined
    return checkAnswer(spec.kind, answer, { layer: this.name, op, path })
  }

  /** The async entry point of an overridden handler (installed over it on the instance). */
  #entry(op: string): (...args: unknown[]) => unknown {
    const h = this.#over[op] as (...args: unknown[]) => unknown
    const spec = BY_NAME.get(op)
    const kind = spec?.kind ?? 'unit'
    return (...args: unknown[]) => {
      // Called from inside a synchronous call (a handler calling `this.op()`): stay synchronous.
      if (inSync()) return this.#sync(h, op, args)
      const at = spec?.pathArg === undefined ? undefined : args[spec.pathArg]
      const path = typeof at === 'string' ? at : undefined
      const from = { layer: this.name, op, path }
      const done = (value: unknown) => (kind === 'unit' ? undefined : checkAnswer(kind, value, from))
      let answer: unknown
      try {
        answer = h.apply(this, args)
        if (!isThenable(answer)) return Promise.resolve(done(answer))
      } catch (err) {
        return Promise.reject(layerError(err, this.name, op, path))
      }
      return withTimeout(answer, this.timeout, this.name, op, path).then(done, (err: unknown) => {
        throw layerError(err, this.name, op, path)
      })
    }
  }

  // ---- FsRead ----

  read(path: string): Promise<Buffer> {
    return (inSync() ? this.#in.readSync(path) : this.#in.read(path)) as Promise<Buffer>
  }

  readSync(path: string): Buffer {
    const h = this.#over.read
    return h === undefined ? this.#in.readSync(path) : (this.#sync(h, 'read', [path]) as Buffer)
  }

  readToString(path: string): Promise<string> {
    return (inSync() ? this.#in.readToStringSync(path) : this.#in.readToString(path)) as Promise<string>
  }

  readToStringSync(path: string): string {
    const h = this.#over.readToString
    return h === undefined ? this.#in.readToStringSync(path) : (this.#sync(h, 'readToString', [path]) as string)
  }

  readRange(path: string, offset: number, length: number): Promise<Buffer> {
    return (inSync() ? this.#in.readRangeSync(path, offset, length) : this.#in.readRange(path, offset, length)) as Promise<Buffer>
  }

  readRangeSync(path: string, offset: number, length: number): Buffer {
    const h = this.#over.readRange
    return h === undefined ? this.#in.readRangeSync(path, offset, length) : (this.#sync(h, 'readRange', [path, offset, length]) as Buffer)
  }

  exists(path: string): Promise<boolean> {
    return (inSync() ? this.#in.existsSync(path) : this.#in.exists(path)) as Promise<boolean>
  }

  existsSync(path: string): boolean {
    const h = this.#over.exists
    return h === undefined ? this.#in.existsSync(path) : (this.#sync(h, 'exists', [path]) as boolean)
  }

  metadata(path: string): Promise<Metadata> {
    return (inSync() ? this.#in.metadataSync(path) : this.#in.metadata(path)) as Promise<Metadata>
  }

  metadataSync(path: string): Metadata {
    const h = this.#over.metadata
    return h === undefined ? this.#in.metadataSync(path) : (this.#sync(h, 'metadata', [path]) as Metadata)
  }

  openRead(path: string): Promise<Readable> {
    return (inSync() ? this.#in.openReadSync(path) : this.#in.openRead(path)) as Promise<Readable>
  }

  openReadSync(path: string): Readable {
    const h = this.#over.openRead
    return h === undefined ? this.#in.openReadSync(path) : (this.#sync(h, 'openRead', [path]) as Readable)
  }

  // ---- FsWrite ----

  write(path: string, data: Data): Promise<void> {
    return (inSync() ? this.#in.writeSync(path, data) : this.#in.write(path, data)) as Promise<void>
  }

  writeSync(path: string, data: Data): void {
    const h = this.#over.write
    return h === undefined ? this.#in.writeSync(path, data) : (this.#sync(h, 'write', [path, data]) as void)
  }

  append(path: string, data: Data): Promise<void> {
    return (inSync() ? this.#in.appendSync(path, data) : this.#in.append(path, data)) as Promise<void>
  }

  appendSync(path: string, data: Data): void {
    const h = this.#over.append
    return h === undefined ? this.#in.appendSync(path, data) : (this.#sync(h, 'append', [path, data]) as void)
  }

  removeFile(path: string): Promise<void> {
    return (inSync() ? this.#in.removeFileSync(path) : this.#in.removeFile(path)) as Promise<void>
  }

  removeFileSync(path: string): void {
    const h = this.#over.removeFile
    return h === undefined ? this.#in.removeFileSync(path) : (this.#sync(h, 'removeFile', [path]) as void)
  }

  rename(from: string, to: string): Promise<void> {
    return (inSync() ? this.#in.renameSync(from, to) : this.#in.rename(from, to)) as Promise<void>
  }

  renameSync(from: string, to: string): void {
    const h = this.#over.rename
    return h === undefined ? this.#in.renameSync(from, to) : (this.#sync(h, 'rename', [from, to]) as void)
  }

  copy(from: string, to: string): Promise<void> {
    return (inSync() ? this.#in.copySync(from, to) : this.#in.copy(from, to)) as Promise<void>
  }

  copySync(from: string, to: string): void {
    const h = this.#over.copy
    return h === undefined ? this.#in.copySync(from, to) : (this.#sync(h, 'copy', [from, to]) as void)
  }

  truncate(path: string, size: number): Promise<void> {
    return (inSync() ? this.#in.truncateSync(path, size) : this.#in.truncate(path, size)) as Promise<void>
  }

  truncateSync(path: string, size: number): void {
    const h = this.#over.truncate
    return h === undefined ? this.#in.truncateSync(path, size) : (this.#sync(h, 'truncate', [path, size]) as void)
  }

  openWrite(path: string): Promise<Writable> {
    return (inSync() ? this.#in.openWriteSync(path) : this.#in.openWrite(path)) as Promise<Writable>
  }

  openWriteSync(path: string): Writable {
    const h = this.#over.openWrite
    return h === undefined ? this.#in.openWriteSync(path) : (this.#sync(h, 'openWrite', [path]) as Writable)
  }

  setTimes(path: string, accessed?: TimeInput, modified?: TimeInput): Promise<void> {
    return (inSync() ? this.#in.setTimesSync(path, accessed, modified) : this.#in.setTimes(path, accessed, modified)) as Promise<void>
  }

  setTimesSync(path: string, accessed?: TimeInput, modified?: TimeInput): void {
    const h = this.#over.setTimes
    return h === undefined ? this.#in.setTimesSync(path, accessed, modified) : (this.#sync(h, 'setTimes', [path, accessed, modified]) as void)
  }

  // ---- FsDir ----

  readDir(path: string): Promise<DirEntry[]> {
    return (inSync() ? this.#in.readDirSync(path) : this.#in.readDir(path)) as Promise<DirEntry[]>
  }

  readDirSync(path: string): DirEntry[] {
    const h = this.#over.readDir
    return h === undefined ? this.#in.readDirSync(path) : (this.#sync(h, 'readDir', [path]) as DirEntry[])
  }

  createDir(path: string): Promise<void> {
    return (inSync() ? this.#in.createDirSync(path) : this.#in.createDir(path)) as Promise<void>
  }

  createDirSync(path: string): void {
    const h = this.#over.createDir
    return h === undefined ? this.#in.createDirSync(path) : (this.#sync(h, 'createDir', [path]) as void)
  }

  createDirAll(path: string): Promise<void> {
    return (inSync() ? this.#in.createDirAllSync(path) : this.#in.createDirAll(path)) as Promise<void>
  }

  createDirAllSync(path: string): void {
    const h = this.#over.createDirAll
    return h === undefined ? this.#in.createDirAllSync(path) : (this.#sync(h, 'createDirAll', [path]) as void)
  }

  removeDir(path: string): Promise<void> {
    return (inSync() ? this.#in.removeDirSync(path) : this.#in.removeDir(path)) as Promise<void>
  }

  removeDirSync(path: string): void {
    const h = this.#over.removeDir
    return h === undefined ? this.#in.removeDirSync(path) : (this.#sync(h, 'removeDir', [path]) as void)
  }

  removeDirAll(path: string): Promise<void> {
    return (inSync() ? this.#in.removeDirAllSync(path) : this.#in.removeDirAll(path)) as Promise<void>
  }

  removeDirAllSync(path: string): void {
    const h = this.#over.removeDirAll
    return h === undefined ? this.#in.removeDirAllSync(path) : (this.#sync(h, 'removeDirAll', [path]) as void)
  }

  // ---- FsLink ----

  symlink(original: string, link: string): Promise<void> {
    return (inSync() ? this.#in.symlinkSync(original, link) : this.#in.symlink(original, link)) as Promise<void>
  }

  symlinkSync(original: string, link: string): void {
    const h = this.#over.symlink
    return h === undefined ? this.#in.symlinkSync(original, link) : (this.#sync(h, 'symlink', [original, link]) as void)
  }

  hardLink(original: string, link: string): Promise<void> {
    return (inSync() ? this.#in.hardLinkSync(original, link) : this.#in.hardLink(original, link)) as Promise<void>
  }

  hardLinkSync(original: string, link: string): void {
    const h = this.#over.hardLink
    return h === undefined ? this.#in.hardLinkSync(original, link) : (this.#sync(h, 'hardLink', [original, link]) as void)
  }

  readLink(path: string): Promise<string> {
    return (inSync() ? this.#in.readLinkSync(path) : this.#in.readLink(path)) as Promise<string>
  }

  readLinkSync(path: string): string {
    const h = this.#over.readLink
    return h === undefined ? this.#in.readLinkSync(path) : (this.#sync(h, 'readLink', [path]) as string)
  }

  symlinkMetadata(path: string): Promise<Metadata> {
    return (inSync() ? this.#in.symlinkMetadataSync(path) : this.#in.symlinkMetadata(path)) as Promise<Metadata>
  }

  symlinkMetadataSync(path: string): Metadata {
    const h = this.#over.symlinkMetadata
    return h === undefined ? this.#in.symlinkMetadataSync(path) : (this.#sync(h, 'symlinkMetadata', [path]) as Metadata)
  }

  // ---- FsPermissions ----

  setPermissions(path: string, mode: number | Permissions): Promise<void> {
    return (inSync() ? this.#in.setPermissionsSync(path, mode) : this.#in.setPermissions(path, mode)) as Promise<void>
  }

  setPermissionsSync(path: string, mode: number | Permissions): void {
    const h = this.#over.setPermissions
    return h === undefined ? this.#in.setPermissionsSync(path, mode) : (this.#sync(h, 'setPermissions', [path, mode]) as void)
  }

  setOwner(path: string, uid?: number | null, gid?: number | null): Promise<void> {
    return (inSync() ? this.#in.setOwnerSync(path, uid, gid) : this.#in.setOwner(path, uid, gid)) as Promise<void>
  }

  setOwnerSync(path: string, uid?: number | null, gid?: number | null): void {
    const h = this.#over.setOwner
    return h === undefined ? this.#in.setOwnerSync(path, uid, gid) : (this.#sync(h, 'setOwner', [path, uid, gid]) as void)
  }

  // ---- FsSync ----

  sync(): Promise<void> {
    return (inSync() ? this.#in.syncSync() : this.#in.sync()) as Promise<void>
  }

  syncSync(): void {
    const h = this.#over.sync
    return h === undefined ? this.#in.syncSync() : (this.#sync(h, 'sync', []) as void)
  }

  fsync(path: string): Promise<void> {
    return (inSync() ? this.#in.fsyncSync(path) : this.#in.fsync(path)) as Promise<void>
  }

  fsyncSync(path: string): void {
    const h = this.#over.fsync
    return h === undefined ? this.#in.fsyncSync(path) : (this.#sync(h, 'fsync', [path]) as void)
  }

  // ---- FsStats ----

  statfs(): Promise<StatFs> {
    return (inSync() ? this.#in.statfsSync() : this.#in.statfs()) as Promise<StatFs>
  }

  statfsSync(): StatFs {
    const h = this.#over.statfs
    return h === undefined ? this.#in.statfsSync() : (this.#sync(h, 'statfs', []) as StatFs)
  }

  // ---- FsInode ----

  pathToInode(path: string): Promise<number> {
    return (inSync() ? this.#in.pathToInodeSync(path) : this.#in.pathToInode(path)) as Promise<number>
  }

  pathToInodeSync(path: string): number {
    const h = this.#over.pathToInode
    return h === undefined ? this.#in.pathToInodeSync(path) : (this.#sync(h, 'pathToInode', [path]) as number)
  }

  inodeToPath(inode: number): Promise<string> {
    return (inSync() ? this.#in.inodeToPathSync(inode) : this.#in.inodeToPath(inode)) as Promise<string>
  }

  inodeToPathSync(inode: number): string {
    const h = this.#over.inodeToPath
    return h === undefined ? this.#in.inodeToPathSync(inode) : (this.#sync(h, 'inodeToPath', [inode]) as string)
  }

  lookup(parentInode: number, name: string): Promise<number> {
    return (inSync() ? this.#in.lookupSync(parentInode, name) : this.#in.lookup(parentInode, name)) as Promise<number>
  }

  lookupSync(parentInode: number, name: string): number {
    const h = this.#over.lookup
    return h === undefined ? this.#in.lookupSync(parentInode, name) : (this.#sync(h, 'lookup', [parentInode, name]) as number)
  }

  metadataByInode(inode: number): Promise<Metadata> {
    return (inSync() ? this.#in.metadataByInodeSync(inode) : this.#in.metadataByInode(inode)) as Promise<Metadata>
  }

  metadataByInodeSync(inode: number): Metadata {
    const h = this.#over.metadataByInode
    return h === undefined ? this.#in.metadataByInodeSync(inode) : (this.#sync(h, 'metadataByInode', [inode]) as Metadata)
  }

  // ---- FsHandles ----

  open(path: string, flags?: OpenFlagsInput): Promise<Handle> {
    return (inSync() ? this.#in.openSync(path, flags) : this.#in.open(path, flags)) as Promise<Handle>
  }

  openSync(path: string, flags?: OpenFlagsInput): Handle {
    const h = this.#over.open
    return h === undefined ? this.#in.openSync(path, flags) : (this.#sync(h, 'open', [path, flags]) as Handle)
  }

  readAt(handle: Handle, buffer: Uint8Array, position: number): Promise<number> {
    return (inSync() ? this.#in.readAtSync(handle, buffer, position) : this.#in.readAt(handle, buffer, position)) as Promise<number>
  }

  readAtSync(handle: Handle, buffer: Uint8Array, position: number): number {
    const h = this.#over.readAt
    return h === undefined ? this.#in.readAtSync(handle, buffer, position) : (this.#sync(h, 'readAt', [handle, buffer, position]) as number)
  }

  writeAt(handle: Handle, data: Data, position: number): Promise<number> {
    return (inSync() ? this.#in.writeAtSync(handle, data, position) : this.#in.writeAt(handle, data, position)) as Promise<number>
  }

  writeAtSync(handle: Handle, data: Data, position: number): number {
    const h = this.#over.writeAt
    return h === undefined ? this.#in.writeAtSync(handle, data, position) : (this.#sync(h, 'writeAt', [handle, data, position]) as number)
  }

  close(handle: Handle): Promise<void> {
    return (inSync() ? this.#in.closeSync(handle) : this.#in.close(handle)) as Promise<void>
  }

  closeSync(handle: Handle): void {
    const h = this.#over.close
    return h === undefined ? this.#in.closeSync(handle) : (this.#sync(h, 'close', [handle]) as void)
  }

  // ---- FsLock ----

  lock(handle: Handle, type: LockType): Promise<void> {
    return (inSync() ? this.#in.lockSync(handle, type) : this.#in.lock(handle, type)) as Promise<void>
  }

  lockSync(handle: Handle, type: LockType): void {
    const h = this.#over.lock
    return h === undefined ? this.#in.lockSync(handle, type) : (this.#sync(h, 'lock', [handle, type]) as void)
  }

  tryLock(handle: Handle, type: LockType): Promise<boolean> {
    return (inSync() ? this.#in.tryLockSync(handle, type) : this.#in.tryLock(handle, type)) as Promise<boolean>
  }

  tryLockSync(handle: Handle, type: LockType): boolean {
    const h = this.#over.tryLock
    return h === undefined ? this.#in.tryLockSync(handle, type) : (this.#sync(h, 'tryLock', [handle, type]) as boolean)
  }

  unlock(handle: Handle): Promise<void> {
    return (inSync() ? this.#in.unlockSync(handle) : this.#in.unlock(handle)) as Promise<void>
  }

  unlockSync(handle: Handle): void {
    const h = this.#over.unlock
    return h === undefined ? this.#in.unlockSync(handle) : (this.#sync(h, 'unlock', [handle]) as void)
  }

  // ---- FsXattr ----

  getXattr(path: string, name: string): Promise<Buffer> {
    return (inSync() ? this.#in.getXattrSync(path, name) : this.#in.getXattr(path, name)) as Promise<Buffer>
  }

  getXattrSync(path: string, name: string): Buffer {
    const h = this.#over.getXattr
    return h === undefined ? this.#in.getXattrSync(path, name) : (this.#sync(h, 'getXattr', [path, name]) as Buffer)
  }

  setXattr(path: string, name: string, value: Data): Promise<void> {
    return (inSync() ? this.#in.setXattrSync(path, name, value) : this.#in.setXattr(path, name, value)) as Promise<void>
  }

  setXattrSync(path: string, name: string, value: Data): void {
    const h = this.#over.setXattr
    return h === undefined ? this.#in.setXattrSync(path, name, value) : (this.#sync(h, 'setXattr', [path, name, value]) as void)
  }

  removeXattr(path: string, name: string): Promise<void> {
    return (inSync() ? this.#in.removeXattrSync(path, name) : this.#in.removeXattr(path, name)) as Promise<void>
  }

  removeXattrSync(path: string, name: string): void {
    const h = this.#over.removeXattr
    return h === undefined ? this.#in.removeXattrSync(path, name) : (this.#sync(h, 'removeXattr', [path, name]) as void)
  }

  listXattr(path: string): Promise<string[]> {
    return (inSync() ? this.#in.listXattrSync(path) : this.#in.listXattr(path)) as Promise<string[]>
  }

  listXattrSync(path: string): string[] {
    const h = this.#over.listXattr
    return h === undefined ? this.#in.listXattrSync(path) : (this.#sync(h, 'listXattr', [path]) as string[])
  }

}

/**
 * The blocking flag of a synchronous layer: its inner's (a synchronous layer over a blocking
 * stack still needs the pool). Refuses `async` handlers, which can never answer synchronously.
 */
function synchronousOver(name: string, over: Overrides, inner: unknown): boolean {
  for (const [op, h] of Object.entries(over)) {
    if (isAsyncFunction(h)) {
      throw invalidArgValue('options.synchronous', true, `is promised by ${name}, but its ${op} handler is an async function`)
    }
  }
  if (inner instanceof Middleware) return blockingOf(inner)
  return nativeOf(inner)?.blocking ?? true
}

/** The filesystem a layer may wrap: a native stack, a `Middleware`, or handlers (wrapped). */
function innerOf(inner: unknown): unknown {
  if (inner instanceof NativeStack || inner instanceof Middleware) return inner
  if (inner !== null && typeof inner === 'object' && OPS.some((o) => typeof (inner as Record<string, unknown>)[o.name] === 'function')) {
    return wrapHandlers(inner)
  }
  throw invalidArgType('inner', 'a filesystem: a backend or stack (MemoryBackend, ...), a Middleware, a JsBackend or an object of handlers', inner)
}

/** Wraps a handler object in a `JsBackend` (installed by `backend.ts`, which imports this module). */
let wrapHandlers: (handlers: object) => unknown = () => undefined

/** Installs the handler-object wrapper. @internal */
export function setHandlerWrapper(wrap: (handlers: object) => unknown): void {
  wrapHandlers = wrap
}

/** The handlers `layer`'s class overrides; refuses overridden `*Sync` twins. */
function overrides(layer: Middleware<Fs>): Overrides {
  const base = Middleware.prototype as unknown as Record<string, unknown>
  const over: Overrides = {}
  for (let proto = Object.getPrototypeOf(layer) as object | null; proto !== null && proto !== Middleware.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key.endsWith('Sync') && BY_NAME.has(key.slice(0, -4))) {
        const op = key.slice(0, -4)
        throw invalidArgValue(
          'layer',
          layer.constructor.name,
          `overrides ${key}: override ${op} instead — one handler serves both ${op}() and ${key}(), so a policy cannot be bypassed through the other`,
        )
      }
    }
  }
  for (const o of OPS) {
    const h = (layer as unknown as Record<string, unknown>)[o.name]
    if (typeof h === 'function' && h !== base[o.name]) over[o.name] = h as (...args: unknown[]) => unknown
  }
  return over
}
