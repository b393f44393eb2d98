/**
 * The value types operations exchange: {@link Metadata}, {@link Permissions}, {@link DirEntry},
 * {@link StatFs}, {@link FileType}, open flags, lock types and handles.
 *
 * @module
 */

import { invalidArgType, invalidArgValue } from './errors'

/**
 * The kind of a filesystem node.
 *
 * @example
 * ```ts
 * import type { FileType } from 'anyfs'
 * const kinds: FileType[] = ['file', 'directory', 'symlink']
 * ```
 */
export type FileType = 'file' | 'directory' | 'symlink'

/** File types by their native code (0, 1, 2). */
const FILE_TYPES: readonly FileType[] = ['file', 'directory', 'symlink']

/** `S_IFMT` bits by native file type code. */
const TYPE_BITS = [0o100000, 0o040000, 0o120000] as const

/**
 * Unix permission bits: the low 12 bits of `st_mode` (setuid, setgid, sticky, rwx × 3).
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, Permissions } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * fs.writeSync('/a', 'x')
 * fs.setPermissionsSync('/a', Permissions.readonly())
 * fs.metadataSync('/a').permissions.isReadonly() // true
 * ```
 */
export class Permissions {
  /** The permission bits, e.g. `0o755`. */
  readonly mode: number

  /**
   * Permissions from mode bits; bits above `0o7777` (the file type) are dropped.
   *
   * @example
   * ```ts
   * import { Permissions } from 'anyfs'
   * new Permissions(0o100644).mode === 0o644 // true
   * ```
   */
  constructor(mode: number) {
    if (typeof mode !== 'number') throw invalidArgType('mode', 'of type number', mode)
    this.mode = mode & 0o7777
  }

  /**
   * Same as the constructor, in the seeds' words.
   *
   * @example
   * ```ts
   * import { Permissions } from 'anyfs'
   * Permissions.fromMode(0o600).mode // 0o600
   * ```
   */
  static fromMode(mode: number): Permissions {
    return new Permissions(mode)
  }

  /**
   * `0o444`: readable by all, writable by none.
   *
   * @example
   * ```ts
   * import { Permissions } from 'anyfs'
   * Permissions.readonly().isReadonly() // true
   * ```
   */
  static readonly(): Permissions {
    return new Permissions(0o444)
  }

  /**
   * True when no write bit is set.
   *
   * @example
   * ```ts
   * import { Permissions } from 'anyfs'
   * new Permissions(0o644).isReadonly() // false
   * ```
   */
  isReadonly(): boolean {
    return (this.mode & 0o222) === 0
  }
}

/** Milliseconds as a `Date`, `null` for `NaN` (a time the backend does not record). */
function date(ms: number): Date | null {
  return Number.isNaN(ms) ? null : new Date(ms)
}

/**
 * Metadata of a file, directory or symbolic link, as `metadata`/`symlinkMetadata` return it.
 * Times are `Date`s (or `null` where the backend does not record one), with `*Ms` twins.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * fs.writeSync('/a.txt', 'hello')
 * const m = fs.metadataSync('/a.txt')
 * m.isFile()          // true
 * m.size              // 5
 * m.modified?.getTime() === m.modifiedMs // true
 * ```
 */
export class Metadata {
  /** File, directory or symlink. */
  readonly fileType: FileType
  /** Size in bytes: file length, symlink target length, 0 for directories. */
  readonly size: number
  /** The full `st_mode`: type bits and permission bits. */
  readonly mode: number
  /** Inode number: stable for the node's lifetime, shared by its hard links. */
  readonly inode: number
  /** Number of hard links. */
  readonly nlink: number
  /** Owner user id. */
  readonly uid: number
  /** Owner group id. */
  readonly gid: number
  /** Creation time in ms since the epoch, `null` if not recorded. */
  readonly createdMs: number | null
  /** Last content modification (`mtime`) in ms, `null` if not recorded. */
  readonly modifiedMs: number | null
  /** Last access (`atime`) in ms, `null` if not recorded. */
  readonly accessedMs: number | null
  /** Last status change (`ctime`) in ms, `null` if not recorded. */
  readonly changedMs: number | null

  /**
   * Built from the native slot array; users get instances from `metadata()`.
   *
   * @internal
   */
  constructor(slots: ArrayLike<number>, offset = 0) {
    const type = slots[offset] as 0 | 1 | 2
    this.fileType = FILE_TYPES[type] ?? 'file'
    this.size = slots[offset + 1] as number
    this.mode = (TYPE_BITS[type] ?? 0) | (slots[offset + 2] as number)
    this.inode = slots[offset + 3] as number
    this.nlink = slots[offset + 4] as number
    this.uid = slots[offset + 5] as number
    this.gid = slots[offset + 6] as number
    const c = slots[offset + 7] as number
    const m = slots[offset + 8] as number
    const a = slots[offset + 9] as number
    const ch = slots[offset + 10] as number
    this.createdMs = Number.isNaN(c) ? null : c
    this.modifiedMs = Number.isNaN(m) ? null : m
    this.accessedMs = Number.isNaN(a) ? null : a
    this.changedMs = Number.isNaN(ch) ? null : ch
  }

  /** The permission bits. */
  get permissions(): Permissions {
    return new Permissions(this.mode)
  }

  /** Creation (birth) time. */
  get created(): Date | null {
    return date(this.createdMs ?? Number.NaN)
  }

  /** Last modification of the content (`mtime`). */
  get modified(): Date | null {
    return date(this.modifiedMs ?? Number.NaN)
  }

  /** Last access (`atime`). */
  get accessed(): Date | null {
    return date(this.accessedMs ?? Number.NaN)
  }

  /** Last status change (`ctime`). */
  get changed(): Date | null {
    return date(this.changedMs ?? Number.NaN)
  }

  /** True for regular files. */
  isFile(): boolean {
    return this.fileType === 'file'
  }

  /** True for directories. */
  isDirectory(): boolean {
    return this.fileType === 'directory'
  }

  /** True for symbolic links (only `symlinkMetadata` reports them). */
  isSymbolicLink(): boolean {
    return this.fileType === 'symlink'
  }
}

/**
 * One entry of a directory listing: its name (not its path), inode and type.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * fs.createDirSync('/d')
 * fs.writeSync('/d/a', '')
 * for (const entry of fs.readDirSync('/d')) console.log(entry.name, entry.isFile()) // a true
 * ```
 */
export class DirEntry {
  /** The entry's name. */
  readonly name: string
  /** The entry's inode number. */
  readonly inode: number
  /** The entry's type. */
  readonly fileType: FileType

  /** @internal */
  constructor(name: string, inode: number, type: number) {
    this.name = name
    this.inode = inode
    this.fileType = FILE_TYPES[type] ?? 'file'
  }

  /** True for regular files. */
  isFile(): boolean {
    return this.fileType === 'file'
  }

  /** True for directories. */
  isDirectory(): boolean {
    return this.fileType === 'directory'
  }

  /** True for symbolic links. */
  isSymbolicLink(): boolean {
    return this.fileType === 'symlink'
  }
}

/**
 * Builds entries from the native listing: names joined by `/` (never part of a name), and
 * `[inode, type]` pairs in `meta` from `offset`.
 *
 * @internal
 */
export function dirEntries(joined: string, meta: ArrayLike<number>, offset = 0): DirEntry[] {
  if (joined === '') return []
  const names = joined.split('/')
  const out = new Array<DirEntry>(names.length)
  for (let i = 0; i < names.length; i++) {
    const at = offset + 2 * i
    out[i] = new DirEntry(names[i] as string, meta[at] as number, meta[at + 1] as number)
  }
  return out
}

/**
 * Filesystem statistics, as `statfs` reports them (what `df` shows).
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend({ capacity: 1 << 20 }))
 * const s = fs.statfsSync()
 * s.totalBytes // 1048576
 * ```
 */
export interface StatFs {
  /** Total size in bytes. */
  totalBytes: number
  /** Bytes in use. */
  usedBytes: number
  /** Bytes still available. */
  availableBytes: number
  /** Total number of inodes. */
  totalInodes: number
  /** Inodes in use. */
  usedInodes: number
  /** Inodes still available. */
  availableInodes: number
  /** Preferred block size. */
  blockSize: number
  /** Longest accepted file name, in bytes. */
  maxNameLength: number
}

/** Builds a {@link StatFs} from the native slot array. @internal */
export function statFs(s: ArrayLike<number>, o = 0): StatFs {
  return {
    totalBytes: s[o] as number,
    usedBytes: s[o + 1] as number,
    availableBytes: s[o + 2] as number,
    totalInodes: s[o + 3] as number,
    usedInodes: s[o + 4] as number,
    availableInodes: s[o + 5] as number,
    blockSize: s[o + 6] as number,
    maxNameLength: s[o + 7] as number,
  }
}

/**
 * The bits of `open` flags, combinable with `|`, like `O_RDONLY | O_CREAT`.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, OpenFlags } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * const h = fs.openSync('/new.txt', OpenFlags.WRITE | OpenFlags.CREATE)
 * fs.closeSync(h)
 * ```
 */
export const OpenFlags = Object.freeze({
  /** Open for reading. */
  READ: 1,
  /** Open for writing. */
  WRITE: 2,
  /** Create the file if it does not exist. */
  CREATE: 4,
  /** With `CREATE`: fail with `EEXIST` if the file exists. */
  EXCLUSIVE: 8,
  /** Truncate the file to zero length on open. */
  TRUNCATE: 16,
  /** Every write goes to the end of the file. */
  APPEND: 32,
  /** Read and write. */
  READ_WRITE: 3,
} as const)

/**
 * Open flags: a number made of {@link OpenFlags} bits, or a node-style string
 * (`'r'`, `'r+'`, `'w'`, `'w+'`, `'wx'`, `'wx+'`, `'a'`, `'a+'`, `'ax'`, `'ax+'`).
 *
 * @example
 * ```ts
 * import type { OpenFlagsInput } from 'anyfs'
 * const appendOrCreate: OpenFlagsInput = 'a'
 * ```
 */
export type OpenFlagsInput = number | 'r' | 'r+' | 'w' | 'w+' | 'wx' | 'wx+' | 'a' | 'a+' | 'ax' | 'ax+'

const { READ, WRITE, CREATE, EXCLUSIVE, TRUNCATE, APPEND } = OpenFlags
const FLAG_STRINGS: Readonly<Record<string, number>> = {
  r: READ,
  'r+': READ | WRITE,
  w: WRITE | CREATE | TRUNCATE,
  'w+': READ | WRITE | CREATE | TRUNCATE,
  wx: WRITE | CREATE | EXCLUSIVE | TRUNCATE,
  'wx+': READ | WRITE | CREATE | EXCLUSIVE | TRUNCATE,
  a: WRITE | APPEND | CREATE,
  'a+': READ | WRITE | APPEND | CREATE,
  ax: WRITE | APPEND | CREATE | EXCLUSIVE,
  'ax+': READ | WRITE | APPEND | CREATE | EXCLUSIVE,
}

/** Open flags as native bits. @internal */
export function flagBits(flags: unknown): number {
  if (typeof flags === 'number') {
    if (!Number.isInteger(flags) || flags < 0 || flags > 63) {
      throw invalidArgValue('flags', flags, 'must be a combination of OpenFlags bits')
    }
    return flags
  }
  if (typeof flags === 'string') {
    const bits = FLAG_STRINGS[flags]
    if (bits === undefined) throw invalidArgValue('flags', flags, 'is invalid')
    return bits
  }
  throw invalidArgType('flags', 'of type string or number', flags)
}

/**
 * An advisory lock kind: many `'shared'` holders, or one `'exclusive'` holder.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type LockType } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * const h = fs.openSync('/f', 'w')
 * const kind: LockType = 'exclusive'
 * fs.tryLockSync(h, kind) // true
 * ```
 */
export type LockType = 'shared' | 'exclusive'

/** A lock type as its native code. @internal */
export function lockCode(type: unknown): number {
  if (type === 'shared') return 0
  if (type === 'exclusive') return 1
  throw invalidArgValue('type', type, "must be 'shared' or 'exclusive'")
}

/**
 * An open file handle from `open`; valid until `close`.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type Handle } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * const h: Handle = fs.openSync('/f', 'w+')
 * fs.writeAtSync(h, 'abc', 0)
 * fs.closeSync(h)
 * ```
 */
export type Handle = number

/**
 * A timestamp argument: a `Date`, milliseconds since the epoch, or `null`/`undefined` to leave
 * it unchanged.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type TimeInput } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * fs.writeSync('/f', '')
 * const noon: TimeInput = new Date('2024-01-01T12:00:00Z')
 * fs.setTimesSync('/f', null, noon)
 * ```
 */
export type TimeInput = Date | number | null | undefined
