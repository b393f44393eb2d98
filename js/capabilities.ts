/**
 * The capability interfaces, mirroring the Rust traits layer by layer:
 *
 * | layer | interfaces | combined |
 * |---|---|---|
 * | 1 | {@link FsRead}, {@link FsWrite}, {@link FsDir} | {@link Fs} |
 * | 2 | {@link FsLink}, {@link FsPermissions}, {@link FsSync}, {@link FsStats} | {@link FsFull} |
 * | 3 | {@link FsInode} | {@link FsFuse} |
 * | 4 | {@link FsHandles}, {@link FsLock}, {@link FsXattr} | {@link FsPosix} |
 *
 * Every operation has an async form (returning a Promise) and a `*Sync` twin, as node:fs does.
 * Paths are absolute strings; data is a string (UTF-8) or a `Uint8Array`; byte results are
 * `Buffer`s. Failures are {@link FsError}s; bad argument types are `TypeError`s.
 *
 * @module
 */

import type { Readable, Writable } from 'node:stream'

import type { DirEntry, Handle, LockType, Metadata, OpenFlagsInput, Permissions, StatFs, TimeInput } from './types'

/**
 * File contents accepted by write operations: a string (written as UTF-8) or bytes.
 *
 * @example
 * ```ts
 * import type { Data } from 'anyfs'
 * const text: Data = 'hello'
 * const bytes: Data = new Uint8Array([104, 105])
 * ```
 */
export type Data = string | Uint8Array

/**
 * Reading files and metadata.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsRead } from 'anyfs'
 * async function size(fs: FsRead, path: string): Promise<number> {
 *   return (await fs.metadata(path)).size
 * }
 * await size(new FileStorage(new MemoryBackend()), '/')
 * ```
 */
export interface FsRead {
  /**
   * The whole content of a file (`ENOENT` if missing, `EISDIR` for a directory).
   *
   * The bytes are the caller's. Like a small `Buffer.allocUnsafe` result, the Buffer of a
   * small file read from a native stack may be a view into a larger shared `ArrayBuffer`
   * (`data.buffer`): use `data.byteOffset` and `data.length`, not the whole `data.buffer`.
   * On Linux, a file of 256 KiB or more read from a {@link MemoryBackend} is not copied: the
   * Buffer is a private mapping of the engine's memory, so writing to it changes only the
   * caller's bytes (never the file), and later changes of the file never reach it.
   *
   * @example
   * ```ts
   * const data: Buffer = await fs.read('/a.txt')
   * ```
   */
  read(path: string): Promise<Buffer>
  /** Synchronous {@link FsRead.read}. */
  readSync(path: string): Buffer

  /**
   * The whole content of a file as UTF-8 text (`EINVAL` if it is not valid UTF-8).
   *
   * @example
   * ```ts
   * const text: string = await fs.readToString('/a.txt')
   * ```
   */
  readToString(path: string): Promise<string>
  /** Synchronous {@link FsRead.readToString}. */
  readToStringSync(path: string): string

  /**
   * Up to `length` bytes from `offset`; shorter (possibly empty) at the end of the file.
   *
   * @example
   * ```ts
   * const header = await fs.readRange('/image.png', 0, 8)
   * ```
   */
  readRange(path: string, offset: number, length: number): Promise<Buffer>
  /** Synchronous {@link FsRead.readRange}. */
  readRangeSync(path: string, offset: number, length: number): Buffer

  /**
   * Whether the path exists, following symlinks. Errors other than "does not exist" (such as
   * `EINVAL` for a relative path) are thrown, not hidden.
   *
   * @example
   * ```ts
   * if (!(await fs.exists('/config.json'))) await fs.write('/config.json', '{}')
   * ```
   */
  exists(path: string): Promise<boolean>
  /** Synchronous {@link FsRead.exists}. */
  existsSync(path: string): boolean

  /**
   * Metadata of the node, following symlinks.
   *
   * @example
   * ```ts
   * const m = await fs.metadata('/a.txt')
   * m.isFile() && m.size
   * ```
   */
  metadata(path: string): Promise<Metadata>
  /** Synchronous {@link FsRead.metadata}. */
  metadataSync(path: string): Metadata

  /**
   * A `Readable` stream over the file's content; the promise rejects if the file cannot be
   * opened.
   *
   * @example
   * ```ts
   * import { pipeline } from 'node:stream/promises'
   * await pipeline(await fs.openRead('/big.bin'), process.stdout)
   * ```
   */
  openRead(path: string): Promise<Readable>
  /** Synchronous {@link FsRead.openRead} (the stream itself still reads asynchronously). */
  openReadSync(path: string): Readable
}

/**
 * Writing and removing files.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsWrite } from 'anyfs'
 * async function save(fs: FsWrite, path: string, text: string) {
 *   await fs.write(path, text)
 * }
 * await save(new FileStorage(new MemoryBackend()), '/note.txt', 'hi')
 * ```
 */
export interface FsWrite {
  /**
   * Creates or replaces a file. The parent directory must exist (`ENOENT` otherwise).
   *
   * @example
   * ```ts
   * await fs.write('/a.txt', 'hello')
   * await fs.write('/b.bin', new Uint8Array([1, 2, 3]))
   * ```
   */
  write(path: string, data: Data): Promise<void>
  /** Synchronous {@link FsWrite.write}. */
  writeSync(path: string, data: Data): void

  /**
   * Appends to a file, creating it if missing.
   *
   * @example
   * ```ts
   * await fs.append('/log.txt', 'line\n')
   * ```
   */
  append(path: string, data: Data): Promise<void>
  /** Synchronous {@link FsWrite.append}. */
  appendSync(path: string, data: Data): void

  /**
   * Removes a file or a symlink (never a directory: `EISDIR`).
   *
   * @example
   * ```ts
   * await fs.removeFile('/a.txt')
   * ```
   */
  removeFile(path: string): Promise<void>
  /** Synchronous {@link FsWrite.removeFile}. */
  removeFileSync(path: string): void

  /**
   * Renames a node, replacing the destination as POSIX `rename(2)` does.
   *
   * @example
   * ```ts
   * await fs.rename('/draft.txt', '/final.txt')
   * ```
   */
  rename(from: string, to: string): Promise<void>
  /** Synchronous {@link FsWrite.rename}. */
  renameSync(from: string, to: string): void

  /**
   * Copies a file's content and permissions to a new or existing file.
   *
   * @example
   * ```ts
   * await fs.copy('/a.txt', '/a.bak')
   * ```
   */
  copy(from: string, to: string): Promise<void>
  /** Synchronous {@link FsWrite.copy}. */
  copySync(from: string, to: string): void

  /**
   * Shrinks or extends (with zero bytes) a file to `size` bytes.
   *
   * @example
   * ```ts
   * await fs.truncate('/a.txt', 0)
   * ```
   */
  truncate(path: string, size: number): Promise<void>
  /** Synchronous {@link FsWrite.truncate}. */
  truncateSync(path: string, size: number): void

  /**
   * A `Writable` stream that creates or truncates the file and writes from its start.
   *
   * @example
   * ```ts
   * import { pipeline } from 'node:stream/promises'
   * import { Readable } from 'node:stream'
   * await pipeline(Readable.from(['a', 'b']), await fs.openWrite('/ab.txt'))
   * ```
   */
  openWrite(path: string): Promise<Writable>
  /** Synchronous {@link FsWrite.openWrite}. */
  openWriteSync(path: string): Writable

  /**
   * Sets the access and modification times; `null`/`undefined` leaves one unchanged.
   *
   * @example
   * ```ts
   * await fs.setTimes('/a.txt', null, new Date('2024-01-01'))
   * ```
   */
  setTimes(path: string, accessed?: TimeInput, modified?: TimeInput): Promise<void>
  /** Synchronous {@link FsWrite.setTimes}. */
  setTimesSync(path: string, accessed?: TimeInput, modified?: TimeInput): void
}

/**
 * Directory operations.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsDir } from 'anyfs'
 * async function names(fs: FsDir, dir: string) {
 *   return (await fs.readDir(dir)).map((e) => e.name)
 * }
 * await names(new FileStorage(new MemoryBackend()), '/')
 * ```
 */
export interface FsDir {
  /**
   * The entries of a directory, without `.` and `..`.
   *
   * @example
   * ```ts
   * for (const entry of await fs.readDir('/')) console.log(entry.name, entry.fileType)
   * ```
   */
  readDir(path: string): Promise<DirEntry[]>
  /** Synchronous {@link FsDir.readDir}. */
  readDirSync(path: string): DirEntry[]

  /**
   * Creates one directory; its parent must exist (`EEXIST` if the path exists).
   *
   * @example
   * ```ts
   * await fs.createDir('/src')
   * ```
   */
  createDir(path: string): Promise<void>
  /** Synchronous {@link FsDir.createDir}. */
  createDirSync(path: string): void

  /**
   * Creates a directory and its missing parents; succeeds if it already is a directory.
   *
   * @example
   * ```ts
   * await fs.createDirAll('/workspace/src/lib')
   * ```
   */
  createDirAll(path: string): Promise<void>
  /** Synchronous {@link FsDir.createDirAll}. */
  createDirAllSync(path: string): void

  /**
   * Removes an empty directory (`ENOTEMPTY` otherwise).
   *
   * @example
   * ```ts
   * await fs.removeDir('/empty')
   * ```
   */
  removeDir(path: string): Promise<void>
  /** Synchronous {@link FsDir.removeDir}. */
  removeDirSync(path: string): void

  /**
   * Removes a directory and everything below it (symlinks are removed, not followed).
   *
   * @example
   * ```ts
   * await fs.removeDirAll('/tmp')
   * ```
   */
  removeDirAll(path: string): Promise<void>
  /** Synchronous {@link FsDir.removeDirAll}. */
  removeDirAllSync(path: string): void
}

/**
 * Symbolic and hard links.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsLink } from 'anyfs'
 * async function pointLatest(fs: FsLink, target: string) {
 *   await fs.symlink(target, '/latest')
 * }
 * await pointLatest(new FileStorage(new MemoryBackend()), '/v1')
 * ```
 */
export interface FsLink {
  /**
   * Creates a symlink at `link` pointing to `original` (stored as given; it need not exist).
   *
   * @example
   * ```ts
   * await fs.symlink('/docs/2024', '/docs/latest')
   * ```
   */
  symlink(original: string, link: string): Promise<void>
  /** Synchronous {@link FsLink.symlink}. */
  symlinkSync(original: string, link: string): void

  /**
   * Creates a hard link `link` to the existing file `original`.
   *
   * @example
   * ```ts
   * await fs.hardLink('/a.txt', '/also-a.txt')
   * ```
   */
  hardLink(original: string, link: string): Promise<void>
  /** Synchronous {@link FsLink.hardLink}. */
  hardLinkSync(original: string, link: string): void

  /**
   * The target stored in a symlink (`EINVAL` if the path is not a symlink).
   *
   * @example
   * ```ts
   * const target = await fs.readLink('/docs/latest')
   * ```
   */
  readLink(path: string): Promise<string>
  /** Synchronous {@link FsLink.readLink}. */
  readLinkSync(path: string): string

  /**
   * Metadata of the node itself, not following a final symlink.
   *
   * @example
   * ```ts
   * (await fs.symlinkMetadata('/docs/latest')).isSymbolicLink() // true
   * ```
   */
  symlinkMetadata(path: string): Promise<Metadata>
  /** Synchronous {@link FsLink.symlinkMetadata}. */
  symlinkMetadataSync(path: string): Metadata
}

/**
 * Permission bits and ownership.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsPermissions } from 'anyfs'
 * async function lockDown(fs: FsPermissions, path: string) {
 *   await fs.setPermissions(path, 0o600)
 * }
 * const fs = new FileStorage(new MemoryBackend())
 * await fs.write('/secret', 'x')
 * await lockDown(fs, '/secret')
 * ```
 */
export interface FsPermissions {
  /**
   * Sets the permission bits.
   *
   * @example
   * ```ts
   * await fs.setPermissions('/script.sh', 0o755)
   * ```
   */
  setPermissions(path: string, mode: number | Permissions): Promise<void>
  /** Synchronous {@link FsPermissions.setPermissions}. */
  setPermissionsSync(path: string, mode: number | Permissions): void

  /**
   * Changes the owner and/or group; `null`/`undefined` leaves one unchanged (`ENOSYS` where the
   * backend does not track owners).
   *
   * @example
   * ```ts
   * await fs.setOwner('/a.txt', 1000, null)
   * ```
   */
  setOwner(path: string, uid?: number | null, gid?: number | null): Promise<void>
  /** Synchronous {@link FsPermissions.setOwner}. */
  setOwnerSync(path: string, uid?: number | null, gid?: number | null): void
}

/**
 * Durability.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsSync } from 'anyfs'
 * async function flush(fs: FsSync) {
 *   await fs.sync()
 * }
 * await flush(new FileStorage(new MemoryBackend()))
 * ```
 */
export interface FsSync {
  /**
   * Flushes everything the backend buffers to durable storage.
   *
   * @example
   * ```ts
   * await fs.sync()
   * ```
   */
  sync(): Promise<void>
  /** Synchronous {@link FsSync.sync}. */
  syncSync(): void

  /**
   * Flushes one file's content and metadata.
   *
   * @example
   * ```ts
   * await fs.fsync('/db.json')
   * ```
   */
  fsync(path: string): Promise<void>
  /** Synchronous {@link FsSync.fsync}. */
  fsyncSync(path: string): void
}

/**
 * Filesystem statistics.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsStats } from 'anyfs'
 * async function free(fs: FsStats) {
 *   return (await fs.statfs()).availableBytes
 * }
 * await free(new FileStorage(new MemoryBackend()))
 * ```
 */
export interface FsStats {
  /**
   * Sizes and counts, as `statfs(2)` reports them.
   *
   * @example
   * ```ts
   * const { usedBytes, totalBytes } = await fs.statfs()
   * ```
   */
  statfs(): Promise<StatFs>
  /** Synchronous {@link FsStats.statfs}. */
  statfsSync(): StatFs
}

/**
 * Inode access (what FUSE needs: the kernel speaks inodes). The root is inode 1.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsInode } from 'anyfs'
 * async function nameOf(fs: FsInode, inode: number) {
 *   return fs.inodeToPath(inode)
 * }
 * await nameOf(new FileStorage(new MemoryBackend()), 1) // '/'
 * ```
 */
export interface FsInode {
  /**
   * The inode of the node at `path` (not following a final symlink).
   *
   * @example
   * ```ts
   * const ino = await fs.pathToInode('/a.txt')
   * ```
   */
  pathToInode(path: string): Promise<number>
  /** Synchronous {@link FsInode.pathToInode}. */
  pathToInodeSync(path: string): number

  /**
   * One path of the node (any of a hard-linked file's names); `ENOENT` for an unknown inode.
   *
   * @example
   * ```ts
   * await fs.inodeToPath(1) // '/'
   * ```
   */
  inodeToPath(inode: number): Promise<string>
  /** Synchronous {@link FsInode.inodeToPath}. */
  inodeToPathSync(inode: number): string

  /**
   * The inode of the entry `name` in directory `parentInode`.
   *
   * @example
   * ```ts
   * const ino = await fs.lookup(1, 'a.txt')
   * ```
   */
  lookup(parentInode: number, name: string): Promise<number>
  /** Synchronous {@link FsInode.lookup}. */
  lookupSync(parentInode: number, name: string): number

  /**
   * Metadata by inode number (not following symlinks).
   *
   * @example
   * ```ts
   * (await fs.metadataByInode(1)).isDirectory() // true
   * ```
   */
  metadataByInode(inode: number): Promise<Metadata>
  /** Synchronous {@link FsInode.metadataByInode}. */
  metadataByInodeSync(inode: number): Metadata
}

/**
 * Open file handles with positional I/O.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsHandles } from 'anyfs'
 * async function patch(fs: FsHandles, path: string) {
 *   const h = await fs.open(path, 'r+')
 *   try { await fs.writeAt(h, 'X', 0) } finally { await fs.close(h) }
 * }
 * const fs = new FileStorage(new MemoryBackend())
 * await fs.write('/f', 'abc')
 * await patch(fs, '/f')
 * ```
 */
export interface FsHandles {
  /**
   * Opens a file. `flags` are {@link OpenFlags} bits or a node-style string (default `'r'`).
   *
   * @example
   * ```ts
   * const h = await fs.open('/data.bin', 'w+')
   * ```
   */
  open(path: string, flags?: OpenFlagsInput): Promise<Handle>
  /** Synchronous {@link FsHandles.open}. */
  openSync(path: string, flags?: OpenFlagsInput): Handle

  /**
   * Reads into `buffer` from file position `position`; resolves to the count read (0 at the
   * end).
   *
   * @example
   * ```ts
   * const buf = Buffer.alloc(4096)
   * const n = await fs.readAt(h, buf, 0)
   * ```
   */
  readAt(handle: Handle, buffer: Uint8Array, position: number): Promise<number>
  /** Synchronous {@link FsHandles.readAt}. */
  readAtSync(handle: Handle, buffer: Uint8Array, position: number): number

  /**
   * Writes `data` at `position` (at the end for append handles); resolves to the count written.
   *
   * @example
   * ```ts
   * await fs.writeAt(h, 'header', 0)
   * ```
   */
  writeAt(handle: Handle, data: Data, position: number): Promise<number>
  /** Synchronous {@link FsHandles.writeAt}. */
  writeAtSync(handle: Handle, data: Data, position: number): number

  /**
   * Closes the handle, releasing its locks (`EBADF` if it was not open).
   *
   * @example
   * ```ts
   * await fs.close(h)
   * ```
   */
  close(handle: Handle): Promise<void>
  /** Synchronous {@link FsHandles.close}. */
  closeSync(handle: Handle): void
}

/**
 * Advisory whole-file locks on handles, as `flock(2)`.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsHandles, type FsLock } from 'anyfs'
 * async function exclusive(fs: FsHandles & FsLock, path: string, work: () => Promise<void>) {
 *   const h = await fs.open(path, 'a')
 *   await fs.lock(h, 'exclusive')
 *   try { await work() } finally { await fs.close(h) }
 * }
 * await exclusive(new FileStorage(new MemoryBackend()), '/lock', async () => {})
 * ```
 */
export interface FsLock {
  /**
   * Takes the lock, waiting while a conflicting lock is held. The async form waits on the
   * blocking pool; `lockSync` blocks the JS thread, so prefer `tryLockSync` there.
   *
   * @example
   * ```ts
   * await fs.lock(h, 'shared')
   * ```
   */
  lock(handle: Handle, type: LockType): Promise<void>
  /** Synchronous {@link FsLock.lock}: blocks the JS thread until the lock is free. */
  lockSync(handle: Handle, type: LockType): void

  /**
   * Takes the lock if it is free now; `false` if a conflicting lock is held.
   *
   * @example
   * ```ts
   * if (!(await fs.tryLock(h, 'exclusive'))) console.log('busy')
   * ```
   */
  tryLock(handle: Handle, type: LockType): Promise<boolean>
  /** Synchronous {@link FsLock.tryLock}. */
  tryLockSync(handle: Handle, type: LockType): boolean

  /**
   * Releases the handle's lock (a no-op if it holds none).
   *
   * @example
   * ```ts
   * await fs.unlock(h)
   * ```
   */
  unlock(handle: Handle): Promise<void>
  /** Synchronous {@link FsLock.unlock}. */
  unlockSync(handle: Handle): void
}

/**
 * Extended attributes.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type FsXattr } from 'anyfs'
 * async function tag(fs: FsXattr, path: string, value: string) {
 *   await fs.setXattr(path, 'user.tag', value)
 * }
 * const fs = new FileStorage(new MemoryBackend())
 * await fs.write('/f', '')
 * await tag(fs, '/f', 'blue')
 * ```
 */
export interface FsXattr {
  /**
   * The value of attribute `name` (`ENODATA` if absent).
   *
   * @example
   * ```ts
   * const v = await fs.getXattr('/f', 'user.tag')
   * ```
   */
  getXattr(path: string, name: string): Promise<Buffer>
  /** Synchronous {@link FsXattr.getXattr}. */
  getXattrSync(path: string, name: string): Buffer

  /**
   * Sets attribute `name`, creating or replacing it.
   *
   * @example
   * ```ts
   * await fs.setXattr('/f', 'user.tag', 'blue')
   * ```
   */
  setXattr(path: string, name: string, value: Data): Promise<void>
  /** Synchronous {@link FsXattr.setXattr}. */
  setXattrSync(path: string, name: string, value: Data): void

  /**
   * Removes attribute `name` (`ENODATA` if absent).
   *
   * @example
   * ```ts
   * await fs.removeXattr('/f', 'user.tag')
   * ```
   */
  removeXattr(path: string, name: string): Promise<void>
  /** Synchronous {@link FsXattr.removeXattr}. */
  removeXattrSync(path: string, name: string): void

  /**
   * The names of the node's attributes.
   *
   * @example
   * ```ts
   * const names: string[] = await fs.listXattr('/f')
   * ```
   */
  listXattr(path: string): Promise<string[]>
  /** Synchronous {@link FsXattr.listXattr}. */
  listXattrSync(path: string): string[]
}

/**
 * The basic filesystem: read, write, directories. What most code needs.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type Fs } from 'anyfs'
 * async function init(fs: Fs) {
 *   await fs.createDirAll('/app')
 *   await fs.write('/app/ready', 'yes')
 * }
 * await init(new FileStorage(new MemoryBackend()))
 * ```
 */
export interface Fs extends FsRead, FsWrite, FsDir {}

/**
 * Everything node:fs offers: {@link Fs} plus links, permissions, sync and statfs.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type FsFull } from 'anyfs'
 * const full: FsFull = new MemoryBackend()
 * ```
 */
export interface FsFull extends Fs, FsLink, FsPermissions, FsSync, FsStats {}

/**
 * Mountable with FUSE: {@link FsFull} plus inode access.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type FsFuse } from 'anyfs'
 * const mountable: FsFuse = new MemoryBackend()
 * ```
 */
export interface FsFuse extends FsFull, FsInode {}

/**
 * Full POSIX: {@link FsFuse} plus handles, locks and extended attributes.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type FsPosix } from 'anyfs'
 * const posix: FsPosix = new MemoryBackend()
 * ```
 */
export interface FsPosix extends FsFuse, FsHandles, FsLock, FsXattr {}

/**
 * `FileStorage`'s canonicalization family, available when its backend has {@link FsLink}.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * await fs.createDirAll('/docs/2024')
 * await fs.symlink('/docs/2024', '/docs/latest')
 * await fs.canonicalize('/docs/latest') // '/docs/2024'
 * ```
 */
export interface FsCanonicalize {
  /**
   * Resolves every symlink and `..`; every component must exist (`ENOENT` otherwise).
   *
   * @example
   * ```ts
   * await fs.canonicalize('/docs/latest/../2024') // '/docs/2024'
   * ```
   */
  canonicalize(path: string): Promise<string>
  /** Synchronous {@link FsCanonicalize.canonicalize}. */
  canonicalizeSync(path: string): string

  /**
   * Resolves the existing part of `path` and appends the missing rest lexically.
   *
   * @example
   * ```ts
   * await fs.softCanonicalize('/docs/latest/new/file.txt') // '/docs/2024/new/file.txt'
   * ```
   */
  softCanonicalize(path: string): Promise<string>
  /** Synchronous {@link FsCanonicalize.softCanonicalize}. */
  softCanonicalizeSync(path: string): string

  /**
   * Like {@link FsCanonicalize.softCanonicalize}, resolved as if `anchor` were the root: the
   * result always lies inside the anchor, whatever `..` or symlinks say.
   *
   * @example
   * ```ts
   * await fs.anchoredCanonicalize('../../etc/passwd', '/sandbox') // '/sandbox/etc/passwd'
   * ```
   */
  anchoredCanonicalize(path: string, anchor: string): Promise<string>
  /** Synchronous {@link FsCanonicalize.anchoredCanonicalize}. */
  anchoredCanonicalizeSync(path: string, anchor: string): string
}
