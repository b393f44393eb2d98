/**
 * The handler interfaces a JS object implements to be a complete backend ({@link JsBackend}):
 * one handler per operation, returning its result or a promise of it. They mirror the
 * capability interfaces ({@link JsFs} is {@link Fs}'s, {@link JsFsLink} is {@link FsLink}'s...),
 * and a backend's type says which it implements, so a {@link FileStorage} over it has exactly
 * those operations.
 *
 * @module
 */

import type { DirEntry, FileType, Handle, LockType, Metadata, StatFs, TimeInput } from '../types'

/**
 * A value, or a promise of it: what a handler returns. Returning a plain value keeps the
 * handler usable from `*Sync` calls; a handler that returns a promise serves async calls only
 * (a sync call that reaches it fails at once with `EDEADLK`).
 *
 * @typeParam T - the result.
 *
 * @example
 * ```ts
 * import type { MaybePromise } from 'anyfs'
 * const now: MaybePromise<number> = 1
 * const later: MaybePromise<number> = Promise.resolve(1)
 * ```
 */
export type MaybePromise<T> = T | Promise<T>

/**
 * Metadata as a JS backend may return it: a plain object (or a {@link Metadata}). Absent
 * fields default to 0 (1 for `nlink`), `mode` to `0o644` for files, `0o755` for directories
 * and `0o777` for symlinks, and times to "not recorded".
 *
 * @example
 * ```ts
 * import type { MetadataInit } from 'anyfs'
 * const file: MetadataInit = { fileType: 'file', size: 5, modified: new Date() }
 * ```
 */
export interface MetadataInit {
  /** File, directory or symlink. */
  fileType: FileType
  /** Size in bytes. */
  size?: number
  /** Permission bits (`0o644`); type bits above `0o7777` are ignored. */
  mode?: number
  /** Inode number. */
  inode?: number
  /** Number of hard links. */
  nlink?: number
  /** Owner user id. */
  uid?: number
  /** Owner group id. */
  gid?: number
  /** Creation time. */
  created?: TimeInput
  /** Last modification of the content. */
  modified?: TimeInput
  /** Last access. */
  accessed?: TimeInput
  /** Last status change. */
  changed?: TimeInput
}

/**
 * A directory entry as a JS backend may return it: a plain object (or a {@link DirEntry}).
 *
 * @example
 * ```ts
 * import type { DirEntryInit } from 'anyfs'
 * const entry: DirEntryInit = { name: 'a.txt', fileType: 'file' }
 * ```
 */
export interface DirEntryInit {
  /** The entry's name (not its path): no `/`, not empty. */
  name: string
  /** The entry's type. */
  fileType: FileType
  /** The entry's inode number (default 0). */
  inode?: number
}

/**
 * Reading, as a JS backend implements it. `readToString` and `exists` are optional: without
 * them, `read` (and a UTF-8 check) and `metadata` serve. Streams (`openRead`) are served by
 * `read`.
 *
 * @example
 * ```ts
 * import { FsError, type JsFsRead } from 'anyfs'
 * const files = new Map([['/hello.txt', Buffer.from('hi')]])
 * function file(path: string): Buffer {
 *   const data = files.get(path)
 *   if (!data) throw new FsError({ code: 'ENOENT', kind: 'NotFound', syscall: 'read', path })
 *   return data
 * }
 * const reader: JsFsRead = {
 *   read: (path) => file(path),
 *   readRange: (path, offset, length) => file(path).subarray(offset, offset + length),
 *   metadata: (path) => ({ fileType: 'file', size: file(path).length }),
 * }
 * ```
 */
export interface JsFsRead {
  /** The whole content of a file. */
  read(path: string): MaybePromise<Uint8Array>
  /** Up to `length` bytes from `offset`. */
  readRange(path: string, offset: number, length: number): MaybePromise<Uint8Array>
  /** Metadata, following symlinks. */
  metadata(path: string): MaybePromise<Metadata | MetadataInit>
  /** The content as UTF-8 text (optional). */
  readToString?(path: string): MaybePromise<string>
  /** Whether the path exists (optional). */
  exists?(path: string): MaybePromise<boolean>
}

/**
 * Writing, as a JS backend implements it. `copy` and `setTimes` are optional (without them:
 * read + write, and `ENOSYS`). Streams (`openWrite`) are served by `write` and `append`.
 *
 * @example
 * ```ts
 * import type { JsFsWrite } from 'anyfs'
 * const files = new Map<string, Buffer>()
 * const writer: JsFsWrite = {
 *   write(path, data) { files.set(path, Buffer.from(data)) },
 *   append(path, data) { files.set(path, Buffer.concat([files.get(path) ?? Buffer.alloc(0), data])) },
 *   removeFile(path) { files.delete(path) },
 *   rename(from, to) { files.set(to, files.get(from)!); files.delete(from) },
 *   truncate(path, size) { files.set(path, Buffer.alloc(size, files.get(path))) },
 * }
 * ```
 */
export interface JsFsWrite {
  /** Creates or replaces a file (data arrives as bytes). */
  write(path: string, data: Uint8Array): MaybePromise<void>
  /** Appends to a file, creating it if missing. */
  append(path: string, data: Uint8Array): MaybePromise<void>
  /** Removes a file or symlink. */
  removeFile(path: string): MaybePromise<void>
  /** Renames a node. */
  rename(from: string, to: string): MaybePromise<void>
  /** Shrinks or extends a file. */
  truncate(path: string, size: number): MaybePromise<void>
  /** Copies a file (optional). */
  copy?(from: string, to: string): MaybePromise<void>
  /** Sets times; `null` leaves one unchanged (optional). */
  setTimes?(path: string, accessed: Date | null, modified: Date | null): MaybePromise<void>
}

/**
 * Directories, as a JS backend implements them. `createDirAll` and `removeDirAll` are
 * optional: without them, `metadata` + `createDir`, and a walk with `readDir`, `removeFile`
 * and `removeDir`, serve.
 *
 * @example
 * ```ts
 * import type { JsFsDir } from 'anyfs'
 * const dirs = new Set(['/'])
 * const directories: JsFsDir = {
 *   readDir(path) { return [...dirs].filter((d) => d !== '/' && d.startsWith(path)).map((d) => ({ name: d.slice(path.length).replace(/^\//, ''), fileType: 'directory' })) },
 *   createDir(path) { dirs.add(path) },
 *   removeDir(path) { dirs.delete(path) },
 * }
 * ```
 */
export interface JsFsDir {
  /** The entries of a directory, without `.` and `..`. */
  readDir(path: string): MaybePromise<Array<DirEntry | DirEntryInit>>
  /** Creates one directory. */
  createDir(path: string): MaybePromise<void>
  /** Removes an empty directory. */
  removeDir(path: string): MaybePromise<void>
  /** Creates a directory and its parents (optional). */
  createDirAll?(path: string): MaybePromise<void>
  /** Removes a directory and everything below it (optional). */
  removeDirAll?(path: string): MaybePromise<void>
}

/**
 * The basic backend: read, write, directories. The least a {@link JsBackend} implements.
 *
 * @example
 * ```ts
 * import { JsBackend, type JsFs } from 'anyfs'
 * declare const handlers: JsFs
 * const backend = new JsBackend(handlers)
 * ```
 */
export interface JsFs extends JsFsRead, JsFsWrite, JsFsDir {}

/**
 * Symbolic and hard links, as a JS backend implements them.
 *
 * @example
 * ```ts
 * import type { JsFsLink } from 'anyfs'
 * declare const links: JsFsLink
 * await links.readLink('/latest')
 * ```
 */
export interface JsFsLink {
  /** Creates a symlink at `link` pointing to `original`. */
  symlink(original: string, link: string): MaybePromise<void>
  /** Creates a hard link. */
  hardLink(original: string, link: string): MaybePromise<void>
  /** The target of a symlink. */
  readLink(path: string): MaybePromise<string>
  /** Metadata of the node itself, not following a final symlink. */
  symlinkMetadata(path: string): MaybePromise<Metadata | MetadataInit>
}

/**
 * Permissions, as a JS backend implements them (`setOwner` optional: `ENOSYS` without it).
 *
 * @example
 * ```ts
 * import type { JsFsPermissions } from 'anyfs'
 * const modes = new Map<string, number>()
 * const perms: JsFsPermissions = { setPermissions(path, mode) { modes.set(path, mode) } }
 * ```
 */
export interface JsFsPermissions {
  /** Sets the permission bits (`0o644`). */
  setPermissions(path: string, mode: number): MaybePromise<void>
  /** Changes owner and/or group; `null` leaves one unchanged (optional). */
  setOwner?(path: string, uid: number | null, gid: number | null): MaybePromise<void>
}

/**
 * Durability, as a JS backend implements it.
 *
 * @example
 * ```ts
 * import type { JsFsSync } from 'anyfs'
 * const durable: JsFsSync = { sync() {}, fsync(path) {} }
 * ```
 */
export interface JsFsSync {
  /** Flushes everything. */
  sync(): MaybePromise<void>
  /** Flushes one file. */
  fsync(path: string): MaybePromise<void>
}

/**
 * Statistics, as a JS backend implements them.
 *
 * @example
 * ```ts
 * import type { JsFsStats } from 'anyfs'
 * const stats: JsFsStats = {
 *   statfs: () => ({ totalBytes: 1024, usedBytes: 0, availableBytes: 1024, totalInodes: 10, usedInodes: 1, availableInodes: 9, blockSize: 512, maxNameLength: 255 }),
 * }
 * ```
 */
export interface JsFsStats {
  /** Sizes and counts. */
  statfs(): MaybePromise<StatFs>
}

/**
 * Inode access, as a JS backend implements it.
 *
 * @example
 * ```ts
 * import type { JsFsInode } from 'anyfs'
 * declare const inodes: JsFsInode
 * await inodes.inodeToPath(1) // '/'
 * ```
 */
export interface JsFsInode {
  /** The inode of the node at `path`. */
  pathToInode(path: string): MaybePromise<number>
  /** A path of the node. */
  inodeToPath(inode: number): MaybePromise<string>
  /** The inode of entry `name` in directory `parentInode`. */
  lookup(parentInode: number, name: string): MaybePromise<number>
  /** Metadata by inode. */
  metadataByInode(inode: number): MaybePromise<Metadata | MetadataInit>
}

/**
 * Open file handles, as a JS backend implements them (`flags` are {@link OpenFlags} bits).
 *
 * @example
 * ```ts
 * import type { JsFsHandles } from 'anyfs'
 * declare const handles: JsFsHandles
 * const h = await handles.open('/a', 3)
 * ```
 */
export interface JsFsHandles {
  /** Opens a file. */
  open(path: string, flags: number): MaybePromise<Handle>
  /** Reads into `buffer` from `position`; the count read. */
  readAt(handle: Handle, buffer: Uint8Array, position: number): MaybePromise<number>
  /** Writes `data` at `position`; the count written. */
  writeAt(handle: Handle, data: Uint8Array, position: number): MaybePromise<number>
  /** Closes a handle. */
  close(handle: Handle): MaybePromise<void>
}

/**
 * Advisory locks, as a JS backend implements them.
 *
 * @example
 * ```ts
 * import type { JsFsLock } from 'anyfs'
 * declare const locks: JsFsLock
 * await locks.tryLock(3, 'exclusive')
 * ```
 */
export interface JsFsLock {
  /** Takes a lock, waiting while a conflicting one is held (return a promise to wait). */
  lock(handle: Handle, type: LockType): MaybePromise<void>
  /** Takes a lock if it is free now. */
  tryLock(handle: Handle, type: LockType): MaybePromise<boolean>
  /** Releases the handle's lock. */
  unlock(handle: Handle): MaybePromise<void>
}

/**
 * Extended attributes, as a JS backend implements them.
 *
 * @example
 * ```ts
 * import type { JsFsXattr } from 'anyfs'
 * declare const xattrs: JsFsXattr
 * await xattrs.listXattr('/a')
 * ```
 */
export interface JsFsXattr {
  /** The value of attribute `name`. */
  getXattr(path: string, name: string): MaybePromise<Uint8Array>
  /** Sets attribute `name`. */
  setXattr(path: string, name: string, value: Uint8Array): MaybePromise<void>
  /** Removes attribute `name`. */
  removeXattr(path: string, name: string): MaybePromise<void>
  /** The names of the node's attributes. */
  listXattr(path: string): MaybePromise<string[]>
}

/**
 * {@link JsFs} plus links, permissions, sync and statfs: {@link FsFull}'s handlers.
 *
 * @example
 * ```ts
 * import type { JsFsFull } from 'anyfs'
 * declare const full: JsFsFull
 * ```
 */
export interface JsFsFull extends JsFs, JsFsLink, JsFsPermissions, JsFsSync, JsFsStats {}

/**
 * {@link JsFsFull} plus inodes: {@link FsFuse}'s handlers.
 *
 * @example
 * ```ts
 * import type { JsFsFuse } from 'anyfs'
 * declare const mountable: JsFsFuse
 * ```
 */
export interface JsFsFuse extends JsFsFull, JsFsInode {}

/**
 * Everything: {@link FsPosix}'s handlers.
 *
 * @example
 * ```ts
 * import type { JsFsPosix } from 'anyfs'
 * declare const posix: JsFsPosix
 * ```
 */
export interface JsFsPosix extends JsFsFuse, JsFsHandles, JsFsLock, JsFsXattr {}
