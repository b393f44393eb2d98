/**
 * {@link NativeStack}: the base of every object backed by a native stack. It implements every
 * operation of every capability interface over its native handle.
 *
 * How a call runs: arguments are checked with `typeof` in JS (a `TypeError` for bad ones), then
 * - `*Sync` methods call the native handle directly on the JS thread;
 * - async methods of a non-blocking stack (memory) do the same work and return a settled
 *   promise: no thread-pool hop;
 * - async methods of a blocking stack (and `lock`, which waits by nature) run on the blocking
 *   pool (the addon's own elastic threads, never libuv's).
 *
 * @module
 */

import type { Readable, Writable } from 'node:stream'

import { decodeResults, decodeValue, encode, encodeOne, type BatchOp, type BatchResults } from './batch'
import type { Data, FsPosix } from './capabilities'
import { toFsError } from './errors'
import type { Layer, TransparentLayer } from './layer'
import type { KindedLayer, LayerKind, Wrapped } from './middleware/common'
import { CAPABILITY_NAMES, scratch, type NativeFs } from './native'
import { readWhole } from './read-slab'
import { readStream, writeStream } from './streams'
import {
  DirEntry,
  Metadata,
  Permissions,
  dirEntries,
  flagBits,
  lockCode,
  statFs,
  type Handle,
  type LockType,
  type OpenFlagsInput,
  type StatFs,
  type TimeInput,
} from './types'
import { checkBytes, checkData, checkIndex, checkPath, checkString, toBytes, toMillis, toOwner } from './validate'

/**
 * The name of a capability interface a stack implements.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type CapabilityName } from 'anyfs'
 * const has: CapabilityName[] = [...new MemoryBackend().capabilities] // every one of them
 * ```
 */
export type CapabilityName =
  | 'FsRead'
  | 'FsWrite'
  | 'FsDir'
  | 'FsLink'
  | 'FsPermissions'
  | 'FsSync'
  | 'FsStats'
  | 'FsInode'
  | 'FsHandles'
  | 'FsLock'
  | 'FsXattr'

/**
 * Reads the native handle of a stack; a JS-authored filesystem (a `Middleware`, a handler
 * object) gets a new native adapter over it (see {@link setJsAdapter}); `undefined` for
 * anything else.
 *
 * @internal
 */
export let nativeOf: (value: unknown) => NativeFs | undefined

/** Makes native adapters over JS-authored filesystems (installed by `js-layer/`). */
let jsAdapter: (value: unknown) => NativeFs | undefined = () => undefined

/** Installs the maker of native adapters over JS-authored filesystems. @internal */
export function setJsAdapter(make: (value: unknown) => NativeFs | undefined): void {
  jsAdapter = make
}

/**
 * The base class of every object backed by a native stack — backends such as
 * {@link MemoryBackend}, native middleware stacks, and {@link FileStorage}. It implements every
 * operation of {@link FsPosix}; what the underlying stack does not support fails with `ENOSYS`.
 *
 * Not constructed directly: use a backend's constructor.
 *
 * @example
 * ```ts
 * import { MemoryBackend, NativeStack } from 'anyfs'
 * const backend = new MemoryBackend()
 * backend instanceof NativeStack // true
 * backend.writeSync('/a.txt', 'hello')
 * ```
 */
export abstract class NativeStack implements FsPosix {
  readonly #n: NativeFs
  readonly #pool: boolean

  static {
    nativeOf = (value) => (value instanceof Object && #n in value ? (value as NativeStack).#n : jsAdapter(value))
  }

  /** @internal */
  protected constructor(handle: NativeFs) {
    this.#n = handle
    this.#pool = handle.blocking
  }

  /**
   * The capability interfaces this stack implements.
   *
   * @example
   * ```ts
   * import { MemoryBackend } from 'anyfs'
   * new MemoryBackend().capabilities.includes('FsXattr') // true
   * ```
   */
  get capabilities(): readonly CapabilityName[] {
    const caps = this.#n.caps
    return CAPABILITY_NAMES.filter((_, bit) => (caps & (1 << bit)) !== 0) as CapabilityName[]
  }

  /**
   * Wraps this stack in a layer: `stack.layer(l)` is `l.wrap(stack)`, so calls chain
   * top-down and the last layer added is the outermost.
   *
   * @example
   * ```ts
   * import { MemoryBackend, type Fs } from 'anyfs'
   * const logged = new MemoryBackend().layer({ wrap: <B extends Fs>(b: B) => b })
   * ```
   */
  layer<K extends LayerKind>(layer: KindedLayer<K, this>): Wrapped<K, this>
  layer(layer: TransparentLayer): this
  layer<Out>(layer: Layer<this, Out>): Out
  layer(layer: Layer<this, unknown>): unknown {
    return layer.wrap(this)
  }

  /**
   * Runs many operations in one crossing of the native boundary and returns each one's value
   * or error, in order. Arguments are checked first: a malformed operation throws a
   * `TypeError` before any runs. On a blocking stack the whole batch runs on the pool.
   *
   * @example
   * ```ts
   * import { MemoryBackend } from 'anyfs'
   * const fs = new MemoryBackend()
   * const [a, b] = await fs.batch([
   *   { op: 'write', path: '/a', data: 'x' },
   *   { op: 'read', path: '/missing' },
   * ])
   * a.ok // true
   * b.ok || b.error.code // 'ENOENT'
   * ```
   */
  async batch<const Ops extends readonly BatchOp[]>(ops: Ops): Promise<BatchResults<Ops>> {
    if (!this.#pool) return this.batchSync(ops)
    const e = encode(ops)
    const raw = await this.#n.batchAsync(e.codes, e.text, e.lens, e.bufs, e.nums).catch(rethrow)
    return decodeResults(e.names, raw) as BatchResults<Ops>
  }

  /**
   * Synchronous {@link NativeStack.batch}.
   *
   * @example
   * ```ts
   * import { MemoryBackend } from 'anyfs'
   * const fs = new MemoryBackend()
   * const [m] = fs.batchSync([{ op: 'metadata', path: '/' }])
   * m.ok && m.value.isDirectory() // true
   * ```
   */
  batchSync<const Ops extends readonly BatchOp[]>(ops: Ops): BatchResults<Ops> {
    const e = encode(ops)
    let raw: [unknown[], Float64Array]
    try {
      raw = this.#n.batch(e.codes, e.text, e.lens, e.bufs, e.nums)
    } catch (err) {
      throw toFsError(err)
    }
    return decodeResults(e.names, raw) as BatchResults<Ops>
  }

  /** Runs one op on the blocking pool and decodes its value. */
  #run(name: string, strs: string[], bufs: Uint8Array[], nums: number[]): Promise<unknown> {
    return pooled(this.#n, name, strs, bufs, nums)
  }

  // ---- FsRead ----

  readSync(path: string): Buffer {
    checkPath(path)
    try {
      return readWhole(this.#n, path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async read(path: string): Promise<Buffer> {
    if (!this.#pool) return this.readSync(path)
    checkPath(path)
    return this.#run('read', [path], [], []) as Promise<Buffer>
  }

  readToStringSync(path: string): string {
    checkPath(path)
    try {
      return this.#n.readToString(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async readToString(path: string): Promise<string> {
    if (!this.#pool) return this.readToStringSync(path)
    checkPath(path)
    return this.#run('readToString', [path], [], []) as Promise<string>
  }

  readRangeSync(path: string, offset: number, length: number): Buffer {
    checkPath(path)
    checkIndex(offset, 'offset')
    checkIndex(length, 'length')
    try {
      return this.#n.readRange(path, offset, length)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Buffer> {
    if (!this.#pool) return this.readRangeSync(path, offset, length)
    checkPath(path)
    checkIndex(offset, 'offset')
    checkIndex(length, 'length')
    return this.#run('readRange', [path], [], [offset, length]) as Promise<Buffer>
  }

  existsSync(path: string): boolean {
    checkPath(path)
    try {
      return this.#n.exists(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async exists(path: string): Promise<boolean> {
    if (!this.#pool) return this.existsSync(path)
    checkPath(path)
    return this.#run('exists', [path], [], []) as Promise<boolean>
  }

  metadataSync(path: string): Metadata {
    checkPath(path)
    try {
      this.#n.metadata(path)
    } catch (err) {
      throw toFsError(err)
    }
    return new Metadata(scratch)
  }

  async metadata(path: string): Promise<Metadata> {
    if (!this.#pool) return this.metadataSync(path)
    checkPath(path)
    return this.#run('metadata', [path], [], []) as Promise<Metadata>
  }

  openReadSync(path: string): Readable {
    checkPath(path)
    try {
      return readStream(this.#n.openRead(path), this.#pool)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async openRead(path: string): Promise<Readable> {
    if (!this.#pool) return this.openReadSync(path)
    checkPath(path)
    const reader = await this.#run('openRead', [path], [], [])
    return readStream(reader as Parameters<typeof readStream>[0], true)
  }

  // ---- FsWrite ----

  writeSync(path: string, data: Data): void {
    checkPath(path)
    try {
      if (typeof data === 'string') this.#n.writeString(path, data)
      else {
        checkData(data)
        this.#n.write(path, data)
      }
    } catch (err) {
      throw toFsError(err)
    }
  }

  async write(path: string, data: Data): Promise<void> {
    if (!this.#pool) return this.writeSync(path, data)
    checkPath(path)
    checkData(data)
    await this.#run('write', [path], [toBytes(data)], [])
  }

  appendSync(path: string, data: Data): void {
    checkPath(path)
    try {
      if (typeof data === 'string') this.#n.appendString(path, data)
      else {
        checkData(data)
        this.#n.append(path, data)
      }
    } catch (err) {
      throw toFsError(err)
    }
  }

  async append(path: string, data: Data): Promise<void> {
    if (!this.#pool) return this.appendSync(path, data)
    checkPath(path)
    checkData(data)
    await this.#run('append', [path], [toBytes(data)], [])
  }

  removeFileSync(path: string): void {
    checkPath(path)
    try {
      this.#n.removeFile(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async removeFile(path: string): Promise<void> {
    if (!this.#pool) return this.removeFileSync(path)
    checkPath(path)
    await this.#run('removeFile', [path], [], [])
  }

  renameSync(from: string, to: string): void {
    checkPath(from, 'from')
    checkPath(to, 'to')
    try {
      this.#n.rename(from, to)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async rename(from: string, to: string): Promise<void> {
    if (!this.#pool) return this.renameSync(from, to)
    checkPath(from, 'from')
    checkPath(to, 'to')
    await this.#run('rename', [from, to], [], [])
  }

  copySync(from: string, to: string): void {
    checkPath(from, 'from')
    checkPath(to, 'to')
    try {
      this.#n.copy(from, to)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async copy(from: string, to: string): Promise<void> {
    if (!this.#pool) return this.copySync(from, to)
    checkPath(from, 'from')
    checkPath(to, 'to')
    await this.#run('copy', [from, to], [], [])
  }

  truncateSync(path: string, size: number): void {
    checkPath(path)
    checkIndex(size, 'size')
    try {
      this.#n.truncate(path, size)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async truncate(path: string, size: number): Promise<void> {
    if (!this.#pool) return this.truncateSync(path, size)
    checkPath(path)
    checkIndex(size, 'size')
    await this.#run('truncate', [path], [], [size])
  }

  openWriteSync(path: string): Writable {
    checkPath(path)
    try {
      return writeStream(this.#n.openWrite(path), this.#pool)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async openWrite(path: string): Promise<Writable> {
    if (!this.#pool) return this.openWriteSync(path)
    checkPath(path)
    const writer = await this.#run('openWrite', [path], [], [])
    return writeStream(writer as Parameters<typeof writeStream>[0], true)
  }

  setTimesSync(path: string, accessed?: TimeInput, modified?: TimeInput): void {
    checkPath(path)
    const a = toMillis(accessed, 'accessed')
    const m = toMillis(modified, 'modified')
    try {
      this.#n.setTimes(path, a, m)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async setTimes(path: string, accessed?: TimeInput, modified?: TimeInput): Promise<void> {
    if (!this.#pool) return this.setTimesSync(path, accessed, modified)
    checkPath(path)
    await this.#run('setTimes', [path], [], [toMillis(accessed, 'accessed'), toMillis(modified, 'modified')])
  }

  // ---- FsDir ----

  readDirSync(path: string): DirEntry[] {
    checkPath(path)
    let listing: [string, Float64Array]
    try {
      listing = this.#n.readDir(path)
    } catch (err) {
      throw toFsError(err)
    }
    return dirEntries(listing[0], listing[1])
  }

  async readDir(path: string): Promise<DirEntry[]> {
    if (!this.#pool) return this.readDirSync(path)
    checkPath(path)
    return this.#run('readDir', [path], [], []) as Promise<DirEntry[]>
  }

  createDirSync(path: string): void {
    checkPath(path)
    try {
      this.#n.createDir(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async createDir(path: string): Promise<void> {
    if (!this.#pool) return this.createDirSync(path)
    checkPath(path)
    await this.#run('createDir', [path], [], [])
  }

  createDirAllSync(path: string): void {
    checkPath(path)
    try {
      this.#n.createDirAll(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async createDirAll(path: string): Promise<void> {
    if (!this.#pool) return this.createDirAllSync(path)
    checkPath(path)
    await this.#run('createDirAll', [path], [], [])
  }

  removeDirSync(path: string): void {
    checkPath(path)
    try {
      this.#n.removeDir(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async removeDir(path: string): Promise<void> {
    if (!this.#pool) return this.removeDirSync(path)
    checkPath(path)
    await this.#run('removeDir', [path], [], [])
  }

  removeDirAllSync(path: string): void {
    checkPath(path)
    try {
      this.#n.removeDirAll(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async removeDirAll(path: string): Promise<void> {
    if (!this.#pool) return this.removeDirAllSync(path)
    checkPath(path)
    await this.#run('removeDirAll', [path], [], [])
  }

  // ---- FsLink ----

  symlinkSync(original: string, link: string): void {
    checkPath(original, 'original')
    checkPath(link, 'link')
    try {
      this.#n.symlink(original, link)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async symlink(original: string, link: string): Promise<void> {
    if (!this.#pool) return this.symlinkSync(original, link)
    checkPath(original, 'original')
    checkPath(link, 'link')
    await this.#run('symlink', [original, link], [], [])
  }

  hardLinkSync(original: string, link: string): void {
    checkPath(original, 'original')
    checkPath(link, 'link')
    try {
      this.#n.hardLink(original, link)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async hardLink(original: string, link: string): Promise<void> {
    if (!this.#pool) return this.hardLinkSync(original, link)
    checkPath(original, 'original')
    checkPath(link, 'link')
    await this.#run('hardLink', [original, link], [], [])
  }

  readLinkSync(path: string): string {
    checkPath(path)
    try {
      return this.#n.readLink(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async readLink(path: string): Promise<string> {
    if (!this.#pool) return this.readLinkSync(path)
    checkPath(path)
    return this.#run('readLink', [path], [], []) as Promise<string>
  }

  symlinkMetadataSync(path: string): Metadata {
    checkPath(path)
    try {
      this.#n.symlinkMetadata(path)
    } catch (err) {
      throw toFsError(err)
    }
    return new Metadata(scratch)
  }

  async symlinkMetadata(path: string): Promise<Metadata> {
    if (!this.#pool) return this.symlinkMetadataSync(path)
    checkPath(path)
    return this.#run('symlinkMetadata', [path], [], []) as Promise<Metadata>
  }

  // ---- FsPermissions ----

  setPermissionsSync(path: string, mode: number | Permissions): void {
    checkPath(path)
    const bits = modeBits(mode)
    try {
      this.#n.setPermissions(path, bits)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async setPermissions(path: string, mode: number | Permissions): Promise<void> {
    if (!this.#pool) return this.setPermissionsSync(path, mode)
    checkPath(path)
    await this.#run('setPermissions', [path], [], [modeBits(mode)])
  }

  setOwnerSync(path: string, uid?: number | null, gid?: number | null): void {
    checkPath(path)
    const u = toOwner(uid, 'uid')
    const g = toOwner(gid, 'gid')
    try {
      this.#n.setOwner(path, u, g)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async setOwner(path: string, uid?: number | null, gid?: number | null): Promise<void> {
    if (!this.#pool) return this.setOwnerSync(path, uid, gid)
    checkPath(path)
    await this.#run('setOwner', [path], [], [toOwner(uid, 'uid'), toOwner(gid, 'gid')])
  }

  // ---- FsSync, FsStats ----

  syncSync(): void {
    try {
      this.#n.sync()
    } catch (err) {
      throw toFsError(err)
    }
  }

  async sync(): Promise<void> {
    if (!this.#pool) return this.syncSync()
    await this.#run('sync', [], [], [])
  }

  fsyncSync(path: string): void {
    checkPath(path)
    try {
      this.#n.fsync(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async fsync(path: string): Promise<void> {
    if (!this.#pool) return this.fsyncSync(path)
    checkPath(path)
    await this.#run('fsync', [path], [], [])
  }

  statfsSync(): StatFs {
    try {
      this.#n.statfs()
    } catch (err) {
      throw toFsError(err)
    }
    return statFs(scratch)
  }

  async statfs(): Promise<StatFs> {
    if (!this.#pool) return this.statfsSync()
    return this.#run('statfs', [], [], []) as Promise<StatFs>
  }

  // ---- FsInode ----

  pathToInodeSync(path: string): number {
    checkPath(path)
    try {
      return this.#n.pathToInode(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async pathToInode(path: string): Promise<number> {
    if (!this.#pool) return this.pathToInodeSync(path)
    checkPath(path)
    return this.#run('pathToInode', [path], [], []) as Promise<number>
  }

  inodeToPathSync(inode: number): string {
    checkIndex(inode, 'inode')
    try {
      return this.#n.inodeToPath(inode)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async inodeToPath(inode: number): Promise<string> {
    if (!this.#pool) return this.inodeToPathSync(inode)
    checkIndex(inode, 'inode')
    return this.#run('inodeToPath', [], [], [inode]) as Promise<string>
  }

  lookupSync(parentInode: number, name: string): number {
    checkIndex(parentInode, 'parentInode')
    checkString(name, 'name')
    try {
      return this.#n.lookup(parentInode, name)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async lookup(parentInode: number, name: string): Promise<number> {
    if (!this.#pool) return this.lookupSync(parentInode, name)
    checkIndex(parentInode, 'parentInode')
    checkString(name, 'name')
    return this.#run('lookup', [name], [], [parentInode]) as Promise<number>
  }

  metadataByInodeSync(inode: number): Metadata {
    checkIndex(inode, 'inode')
    try {
      this.#n.metadataByInode(inode)
    } catch (err) {
      throw toFsError(err)
    }
    return new Metadata(scratch)
  }

  async metadataByInode(inode: number): Promise<Metadata> {
    if (!this.#pool) return this.metadataByInodeSync(inode)
    checkIndex(inode, 'inode')
    return this.#run('metadataByInode', [], [], [inode]) as Promise<Metadata>
  }

  // ---- FsHandles ----

  openSync(path: string, flags: OpenFlagsInput = 'r'): Handle {
    checkPath(path)
    const bits = flagBits(flags)
    try {
      return this.#n.open(path, bits)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async open(path: string, flags: OpenFlagsInput = 'r'): Promise<Handle> {
    if (!this.#pool) return this.openSync(path, flags)
    checkPath(path)
    return this.#run('open', [path], [], [flagBits(flags)]) as Promise<Handle>
  }

  readAtSync(handle: Handle, buffer: Uint8Array, position: number): number {
    checkIndex(handle, 'handle')
    checkBytes(buffer, 'buffer')
    checkIndex(position, 'position')
    try {
      return this.#n.readAt(handle, buffer, position)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async readAt(handle: Handle, buffer: Uint8Array, position: number): Promise<number> {
    if (!this.#pool) return this.readAtSync(handle, buffer, position)
    checkIndex(handle, 'handle')
    checkBytes(buffer, 'buffer')
    checkIndex(position, 'position')
    const bytes = (await this.#run('readAt', [], [], [handle, buffer.length, position])) as Buffer
    buffer.set(bytes)
    return bytes.length
  }

  writeAtSync(handle: Handle, data: Data, position: number): number {
    checkIndex(handle, 'handle')
    checkData(data)
    checkIndex(position, 'position')
    try {
      return this.#n.writeAt(handle, toBytes(data), position)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async writeAt(handle: Handle, data: Data, position: number): Promise<number> {
    if (!this.#pool) return this.writeAtSync(handle, data, position)
    checkIndex(handle, 'handle')
    checkData(data)
    checkIndex(position, 'position')
    return this.#run('writeAt', [], [toBytes(data)], [handle, position]) as Promise<number>
  }

  closeSync(handle: Handle): void {
    checkIndex(handle, 'handle')
    try {
      this.#n.close(handle)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async close(handle: Handle): Promise<void> {
    if (!this.#pool) return this.closeSync(handle)
    checkIndex(handle, 'handle')
    await this.#run('close', [], [], [handle])
  }

  // ---- FsLock ----

  lockSync(handle: Handle, type: LockType): void {
    checkIndex(handle, 'handle')
    const code = lockCode(type)
    try {
      this.#n.lock(handle, code)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async lock(handle: Handle, type: LockType): Promise<void> {
    // Waiting is the point of `lock`: always on the pool, never on the JS thread.
    checkIndex(handle, 'handle')
    await this.#run('lock', [], [], [handle, lockCode(type)])
  }

  tryLockSync(handle: Handle, type: LockType): boolean {
    checkIndex(handle, 'handle')
    const code = lockCode(type)
    try {
      return this.#n.tryLock(handle, code)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async tryLock(handle: Handle, type: LockType): Promise<boolean> {
    if (!this.#pool) return this.tryLockSync(handle, type)
    checkIndex(handle, 'handle')
    return this.#run('tryLock', [], [], [handle, lockCode(type)]) as Promise<boolean>
  }

  unlockSync(handle: Handle): void {
    checkIndex(handle, 'handle')
    try {
      this.#n.unlock(handle)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async unlock(handle: Handle): Promise<void> {
    if (!this.#pool) return this.unlockSync(handle)
    checkIndex(handle, 'handle')
    await this.#run('unlock', [], [], [handle])
  }

  // ---- FsXattr ----

  getXattrSync(path: string, name: string): Buffer {
    checkPath(path)
    checkString(name, 'name')
    try {
      return this.#n.getXattr(path, name)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async getXattr(path: string, name: string): Promise<Buffer> {
    if (!this.#pool) return this.getXattrSync(path, name)
    checkPath(path)
    checkString(name, 'name')
    return this.#run('getXattr', [path, name], [], []) as Promise<Buffer>
  }

  setXattrSync(path: string, name: string, value: Data): void {
    checkPath(path)
    checkString(name, 'name')
    checkData(value, 'value')
    try {
      this.#n.setXattr(path, name, toBytes(value))
    } catch (err) {
      throw toFsError(err)
    }
  }

  async setXattr(path: string, name: string, value: Data): Promise<void> {
    if (!this.#pool) return this.setXattrSync(path, name, value)
    checkPath(path)
    checkString(name, 'name')
    checkData(value, 'value')
    await this.#run('setXattr', [path, name], [toBytes(value)], [])
  }

  removeXattrSync(path: string, name: string): void {
    checkPath(path)
    checkString(name, 'name')
    try {
      this.#n.removeXattr(path, name)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async removeXattr(path: string, name: string): Promise<void> {
    if (!this.#pool) return this.removeXattrSync(path, name)
    checkPath(path)
    checkString(name, 'name')
    await this.#run('removeXattr', [path, name], [], [])
  }

  listXattrSync(path: string): string[] {
    checkPath(path)
    try {
      return this.#n.listXattr(path)
    } catch (err) {
      throw toFsError(err)
    }
  }

  async listXattr(path: string): Promise<string[]> {
    if (!this.#pool) return this.listXattrSync(path)
    checkPath(path)
    return this.#run('listXattr', [path], [], []) as Promise<string[]>
  }
}

/** One-op code columns by op name, made once: native code only reads them during the call. */
const codeColumns = new Map<string, Uint32Array>()
/** Reused string-length and number columns by length (native code copies them before returning). */
const lensColumns = [new Uint32Array(0), new Uint32Array(1), new Uint32Array(2), new Uint32Array(3)]
const numsColumns = [new Float64Array(0), new Float64Array(1), new Float64Array(2), new Float64Array(3)]

/**
 * Runs one op of `handle` on the blocking pool and decodes its value.
 *
 * The columns are those of `encodeOne`, but reused rather than allocated per call: a pooled call
 * of a fast operation (a `stat` on a warm disk) costs about as much as the thread hops, so three
 * typed-array allocations per call were measurable.
 *
 * @internal
 */
export function pooled(handle: NativeFs, name: string, strs: string[], bufs: Uint8Array[], nums: number[]): Promise<unknown> {
  let codes = codeColumns.get(name)
  if (codes === undefined) {
    codes = encodeOne(name, [], [], []).codes
    codeColumns.set(name, codes)
  }
  const lens = lensColumns[strs.length] ?? new Uint32Array(strs.length)
  for (let i = 0; i < strs.length; i++) lens[i] = (strs[i] as string).length
  const numbers = numsColumns[nums.length] ?? new Float64Array(nums.length)
  numbers.set(nums)
  const text = strs.length === 1 ? (strs[0] as string) : strs.join('')
  return handle.batchAsync(codes, text, lens, bufs, numbers).then(([items, out]) => {
    const value = items[0]
    if (value instanceof Error) throw toFsError(value)
    return decodeValue(name, value, out)
  }, rethrow)
}

/** Rejections of native promises, normalised. */
function rethrow(err: unknown): never {
  throw toFsError(err)
}

/** Mode bits from a number or {@link Permissions}. */
function modeBits(mode: number | Permissions): number {
  if (mode instanceof Permissions) return mode.mode
  checkIndex(mode, 'mode')
  return mode
}
