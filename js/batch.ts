/**
 * Batches: many operations in one crossing of the native boundary.
 *
 * @module
 */

import type { Data } from './capabilities'
import { FsError, invalidArgValue, toFsError } from './errors'
import { OP } from './native'
import { DirEntry, Metadata, flagBits, lockCode, statFs, dirEntries } from './types'
import type { Handle, LockType, OpenFlagsInput, StatFs, TimeInput } from './types'
import { checkData, checkIndex, checkPath, checkString, toMillis, toOwner } from './validate'

/**
 * An operation on one path.
 *
 * @inline
 */
interface PathOp {
  /** The operation's name. */
  op: 'read' | 'readToString' | 'exists' | 'metadata' | 'removeFile' | 'readDir' | 'createDir' | 'createDirAll' | 'removeDir' | 'removeDirAll' | 'readLink' | 'symlinkMetadata' | 'fsync' | 'pathToInode' | 'listXattr' | 'canonicalize' | 'softCanonicalize'
  /** The path it acts on. */
  path: string
}

/**
 * `readRange`'s arguments.
 *
 * @inline
 */
interface ReadRangeOp {
  /** The operation's name. */
  op: 'readRange'
  /** The path it acts on. */
  path: string
  /** Where to start. */
  offset: number
  /** How many bytes at most. */
  length: number
}

/**
 * A write of data to a file.
 *
 * @inline
 */
interface DataOp {
  /** The operation's name. */
  op: 'write' | 'append'
  /** The path it acts on. */
  path: string
  /** What to write. */
  data: Data
}

/**
 * An operation from one path to another.
 *
 * @inline
 */
interface TwoPathOp {
  /** The operation's name. */
  op: 'rename' | 'copy'
  /** The source path. */
  from: string
  /** The destination path. */
  to: string
}

/**
 * `truncate`'s arguments.
 *
 * @inline
 */
interface TruncateOp {
  /** The operation's name. */
  op: 'truncate'
  /** The path it acts on. */
  path: string
  /** The new size. */
  size: number
}

/**
 * `setTimes`' arguments.
 *
 * @inline
 */
interface SetTimesOp {
  /** The operation's name. */
  op: 'setTimes'
  /** The path it acts on. */
  path: string
  /** The new access time (unchanged if absent). */
  accessed?: TimeInput
  /** The new modification time (unchanged if absent). */
  modified?: TimeInput
}

/**
 * A link operation.
 *
 * @inline
 */
interface LinkOp {
  /** The operation's name. */
  op: 'symlink' | 'hardLink'
  /** What the link points to. */
  original: string
  /** Where the link is created. */
  link: string
}

/**
 * `setPermissions`' arguments.
 *
 * @inline
 */
interface SetPermissionsOp {
  /** The operation's name. */
  op: 'setPermissions'
  /** The path it acts on. */
  path: string
  /** The permission bits. */
  mode: number
}

/**
 * `setOwner`'s arguments.
 *
 * @inline
 */
interface SetOwnerOp {
  /** The operation's name. */
  op: 'setOwner'
  /** The path it acts on. */
  path: string
  /** The new owner (unchanged if absent). */
  uid?: number | null
  /** The new group (unchanged if absent). */
  gid?: number | null
}

/**
 * An operation without arguments.
 *
 * @inline
 */
interface BareOp {
  /** The operation's name. */
  op: 'sync' | 'statfs'
}

/**
 * An operation on an inode number.
 *
 * @inline
 */
interface InodeOp {
  /** The operation's name. */
  op: 'inodeToPath' | 'metadataByInode'
  /** The inode number. */
  inode: number
}

/**
 * `lookup`'s arguments.
 *
 * @inline
 */
interface LookupOp {
  /** The operation's name. */
  op: 'lookup'
  /** The directory's inode. */
  parentInode: number
  /** The entry's or attribute's name. */
  name: string
}

/**
 * `open`'s arguments.
 *
 * @inline
 */
interface OpenOp {
  /** The operation's name. */
  op: 'open'
  /** The path it acts on. */
  path: string
  /** How to open (default `'r'`). */
  flags?: OpenFlagsInput
}

/**
 * `readAt`'s arguments (the value is the bytes read).
 *
 * @inline
 */
interface ReadAtOp {
  /** The operation's name. */
  op: 'readAt'
  /** The handle from `open`. */
  handle: Handle
  /** How many bytes at most. */
  length: number
  /** The file position. */
  position: number
}

/**
 * `writeAt`'s arguments.
 *
 * @inline
 */
interface WriteAtOp {
  /** The operation's name. */
  op: 'writeAt'
  /** The handle from `open`. */
  handle: Handle
  /** What to write. */
  data: Data
  /** The file position. */
  position: number
}

/**
 * An operation on an open handle.
 *
 * @inline
 */
interface HandleOp {
  /** The operation's name. */
  op: 'close' | 'unlock'
  /** The handle from `open`. */
  handle: Handle
}

/**
 * `tryLock`'s arguments.
 *
 * @inline
 */
interface TryLockOp {
  /** The operation's name. */
  op: 'tryLock'
  /** The handle from `open`. */
  handle: Handle
  /** The lock kind. */
  type: LockType
}

/**
 * An operation on a named extended attribute.
 *
 * @inline
 */
interface XattrOp {
  /** The operation's name. */
  op: 'getXattr' | 'removeXattr'
  /** The path it acts on. */
  path: string
  /** The entry's or attribute's name. */
  name: string
}

/**
 * `setXattr`'s arguments.
 *
 * @inline
 */
interface SetXattrOp {
  /** The operation's name. */
  op: 'setXattr'
  /** The path it acts on. */
  path: string
  /** The entry's or attribute's name. */
  name: string
  /** The attribute's value. */
  value: Data
}

/**
 * `anchoredCanonicalize`'s arguments.
 *
 * @inline
 */
interface AnchoredOp {
  /** The operation's name. */
  op: 'anchoredCanonicalize'
  /** The path it acts on. */
  path: string
  /** The directory that acts as the root. */
  anchor: string
}

/**
 * One operation of a batch: the operation's name in `op` and its arguments by name, as the
 * corresponding method takes them. Streams and the waiting `lock` are not batchable.
 *
 * @example
 * ```ts
 * import type { BatchOp } from 'anyfs'
 * const ops: BatchOp[] = [
 *   { op: 'createDirAll', path: '/logs' },
 *   { op: 'write', path: '/logs/a', data: 'x' },
 *   { op: 'metadata', path: '/logs/a' },
 * ]
 * ```
 */
export type BatchOp =
  | PathOp
  | ReadRangeOp
  | DataOp
  | TwoPathOp
  | TruncateOp
  | SetTimesOp
  | LinkOp
  | SetPermissionsOp
  | SetOwnerOp
  | BareOp
  | InodeOp
  | LookupOp
  | OpenOp
  | ReadAtOp
  | WriteAtOp
  | HandleOp
  | TryLockOp
  | XattrOp
  | SetXattrOp
  | AnchoredOp

/**
 * The value each batch operation produces when it succeeds (`readAt` yields the bytes read).
 *
 * @example
 * ```ts
 * import type { BatchValues } from 'anyfs'
 * type StatValue = BatchValues['metadata'] // Metadata
 * ```
 */
export interface BatchValues {
  /** The file content. */
  read: Buffer
  /** The file content as text. */
  readToString: string
  /** The bytes read. */
  readRange: Buffer
  /** Whether the path exists. */
  exists: boolean
  /** The metadata. */
  metadata: Metadata
  /** Nothing. */
  write: undefined
  /** Nothing. */
  append: undefined
  /** Nothing. */
  removeFile: undefined
  /** Nothing. */
  rename: undefined
  /** Nothing. */
  copy: undefined
  /** Nothing. */
  truncate: undefined
  /** Nothing. */
  setTimes: undefined
  /** The entries. */
  readDir: DirEntry[]
  /** Nothing. */
  createDir: undefined
  /** Nothing. */
  createDirAll: undefined
  /** Nothing. */
  removeDir: undefined
  /** Nothing. */
  removeDirAll: undefined
  /** Nothing. */
  symlink: undefined
  /** Nothing. */
  hardLink: undefined
  /** The link target. */
  readLink: string
  /** The link's own metadata. */
  symlinkMetadata: Metadata
  /** Nothing. */
  setPermissions: undefined
  /** Nothing. */
  setOwner: undefined
  /** Nothing. */
  sync: undefined
  /** Nothing. */
  fsync: undefined
  /** The statistics. */
  statfs: StatFs
  /** The inode number. */
  pathToInode: number
  /** A path of the inode. */
  inodeToPath: string
  /** The entry's inode number. */
  lookup: number
  /** The metadata. */
  metadataByInode: Metadata
  /** The new handle. */
  open: Handle
  /** The bytes read. */
  readAt: Buffer
  /** The count written. */
  writeAt: number
  /** Nothing. */
  close: undefined
  /** Whether the lock was taken. */
  tryLock: boolean
  /** Nothing. */
  unlock: undefined
  /** The attribute's value. */
  getXattr: Buffer
  /** Nothing. */
  setXattr: undefined
  /** Nothing. */
  removeXattr: undefined
  /** The attribute names. */
  listXattr: string[]
  /** The canonical path. */
  canonicalize: string
  /** The canonical path. */
  softCanonicalize: string
  /** The canonical path inside the anchor. */
  anchoredCanonicalize: string
}

/**
 * The outcome of one batch operation: its value, or the {@link FsError} it failed with. One
 * failure does not stop the others.
 *
 * @example
 * ```ts
 * import type { BatchResult, Metadata } from 'anyfs'
 * function sizeOf(r: BatchResult<Metadata>): number {
 *   return r.ok ? r.value.size : -1
 * }
 * ```
 */
export type BatchResult<T = unknown> =
  | {
      /** The operation succeeded. */
      ok: true
      /** Its value. */
      value: T
    }
  | {
      /** The operation failed. */
      ok: false
      /** Why. */
      error: FsError
    }

/**
 * The results of a batch, typed position by position from its operations.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, type BatchResults } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * const results = fs.batchSync([{ op: 'exists', path: '/' }] as const)
 * const first: BatchResults<[{ op: 'exists'; path: string }]>[0] = results[0]
 * ```
 */
export type BatchResults<Ops extends readonly BatchOp[]> = {
  -readonly [K in keyof Ops]: Ops[K] extends BatchOp ? BatchResult<BatchValues[Ops[K]['op']]> : never
}

/** A batch flattened into the native columns (see `crates/anyfs-node/src/batch.rs`). @internal */
export interface Encoded {
  codes: Uint32Array
  /** Every string argument, joined. */
  text: string
  /** The UTF-16 length of each string in `text`. */
  lens: Uint32Array
  bufs: Uint8Array[]
  nums: Float64Array
  /** The op names, to decode each result. */
  names: string[]
}

/** Set on an op code whose data argument travels as a string (see the Rust side). */
const TEXT_DATA = 1 << 8

/** Collects string arguments for the joined strings column. */
class Strings {
  readonly parts: string[] = []
  readonly lens: number[] = []
  push(...values: string[]): void {
    for (const v of values) {
      this.parts.push(v)
      this.lens.push(v.length)
    }
  }
}

/** Flattens one op's arguments into the columns. @internal */
export function encodeOne(name: string, strs: string[], bufs: Uint8Array[], nums: number[]): Encoded {
  return {
    codes: Uint32Array.of(OP[name] as number),
    text: strs.join(''),
    lens: Uint32Array.from(strs, (s) => s.length),
    bufs,
    nums: Float64Array.from(nums),
    names: [name],
  }
}

/** Ops a batch may hold: everything but streams and the waiting `lock`. */
const BATCHABLE: ReadonlySet<string> = new Set(
  Object.keys(OP).filter((n) => !['openRead', 'openWrite', 'lock', '__debugPanic'].includes(n)),
)

/**
 * Flattens `ops`, validating every argument (a bad one throws before anything runs).
 * `debug` admits the hidden `__debugPanic` op (tests only).
 *
 * @internal
 */
export function encode(ops: readonly BatchOp[], debug = false): Encoded {
  if (!Array.isArray(ops)) throw invalidArgValue('ops', ops, 'must be an array of operations')
  const codes = new Uint32Array(ops.length)
  const strs = new Strings()
  const bufs: Uint8Array[] = []
  const nums: number[] = []
  const names: string[] = []
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i] as BatchOp
    const name = (o as { op?: unknown } | null)?.op
    const allowed = typeof name === 'string' && (BATCHABLE.has(name) || (debug && name === '__debugPanic'))
    const code = allowed ? OP[name] : undefined
    if (code === undefined) throw invalidArgValue(`ops[${i}].op`, name, 'is not a batchable operation')
    codes[i] = pushArgs(o, strs, bufs, nums) ? code | TEXT_DATA : code
    names.push(name as string)
  }
  return { codes, text: strs.parts.join(''), lens: Uint32Array.from(strs.lens), bufs, nums: Float64Array.from(nums), names }
}

/** Pushes data to the strings (returns true: the op takes text data) or the byte arrays. */
function pushData(data: Data, strs: Strings, bufs: Uint8Array[]): boolean {
  if (typeof data === 'string') {
    strs.push(data)
    return true
  }
  bufs.push(data)
  return false
}

/** Pushes `o`'s arguments; true when its data argument went to the strings column. */
function pushArgs(o: BatchOp, strs: Strings, bufs: Uint8Array[], nums: number[]): boolean {
  switch (o.op) {
    case 'read':
    case 'readToString':
    case 'exists':
    case 'metadata':
    case 'removeFile':
    case 'readDir':
    case 'createDir':
    case 'createDirAll':
    case 'removeDir':
    case 'removeDirAll':
    case 'readLink':
    case 'symlinkMetadata':
    case 'fsync':
    case 'pathToInode':
    case 'listXattr':
    case 'canonicalize':
    case 'softCanonicalize':
      checkPath(o.path)
      strs.push(o.path)
      return false
    case 'readRange':
      checkPath(o.path)
      checkIndex(o.offset, 'offset')
      checkIndex(o.length, 'length')
      strs.push(o.path)
      nums.push(o.offset, o.length)
      return false
    case 'write':
    case 'append':
      checkPath(o.path)
      checkData(o.data)
      strs.push(o.path)
      return pushData(o.data, strs, bufs)
    case 'rename':
    case 'copy':
      checkPath(o.from, 'from')
      checkPath(o.to, 'to')
      strs.push(o.from, o.to)
      return false
    case 'truncate':
      checkPath(o.path)
      checkIndex(o.size, 'size')
      strs.push(o.path)
      nums.push(o.size)
      return false
    case 'setTimes':
      checkPath(o.path)
      strs.push(o.path)
      nums.push(toMillis(o.accessed, 'accessed'), toMillis(o.modified, 'modified'))
      return false
    case 'symlink':
    case 'hardLink':
      checkPath(o.original, 'original')
      checkPath(o.link, 'link')
      strs.push(o.original, o.link)
      return false
    case 'setPermissions':
      checkPath(o.path)
      checkIndex(o.mode, 'mode')
      strs.push(o.path)
      nums.push(o.mode)
      return false
    case 'setOwner':
      checkPath(o.path)
      strs.push(o.path)
      nums.push(toOwner(o.uid, 'uid'), toOwner(o.gid, 'gid'))
      return false
    case 'sync':
    case 'statfs':
      return false
    case 'inodeToPath':
    case 'metadataByInode':
      checkIndex(o.inode, 'inode')
      nums.push(o.inode)
      return false
    case 'lookup':
      checkIndex(o.parentInode, 'parentInode')
      checkString(o.name, 'name')
      nums.push(o.parentInode)
      strs.push(o.name)
      return false
    case 'open':
      checkPath(o.path)
      strs.push(o.path)
      nums.push(flagBits(o.flags ?? 'r'))
      return false
    case 'readAt':
      checkIndex(o.handle, 'handle')
      checkIndex(o.length, 'length')
      checkIndex(o.position, 'position')
      nums.push(o.handle, o.length, o.position)
      return false
    case 'writeAt':
      checkIndex(o.handle, 'handle')
      checkData(o.data)
      checkIndex(o.position, 'position')
      nums.push(o.handle, o.position)
      return pushData(o.data, strs, bufs)
    case 'close':
    case 'unlock':
      checkIndex(o.handle, 'handle')
      nums.push(o.handle)
      return false
    case 'tryLock':
      checkIndex(o.handle, 'handle')
      nums.push(o.handle, lockCode(o.type))
      return false
    case 'getXattr':
    case 'removeXattr':
      checkPath(o.path)
      checkString(o.name, 'name')
      strs.push(o.path, o.name)
      return false
    case 'setXattr':
      checkPath(o.path)
      checkString(o.name, 'name')
      checkData(o.value, 'value')
      strs.push(o.path, o.name)
      return pushData(o.value, strs, bufs)
    case 'anchoredCanonicalize':
      checkPath(o.path)
      checkPath(o.anchor, 'anchor')
      strs.push(o.path, o.anchor)
      return false
  }
  return false
}

/** Turns one native result into the public value of op `name`. @internal */
export function decodeValue(name: string, raw: unknown, nums: Float64Array): unknown {
  switch (name) {
    case 'metadata':
    case 'symlinkMetadata':
    case 'metadataByInode':
      return new Metadata(nums, raw as number)
    case 'readDir': {
      const [names, offset] = raw as [string, number]
      return dirEntries(names, nums, offset)
    }
    case 'statfs':
      return statFs(nums, raw as number)
    default:
      return raw === null ? undefined : raw
  }
}

/** Pairs the native `[items, numbers]` of a batch with its ops. @internal */
export function decodeResults(names: readonly string[], raw: [unknown[], Float64Array]): BatchResult[] {
  const [items, nums] = raw
  const out = new Array<BatchResult>(items.length)
  for (let i = 0; i < items.length; i++) {
    const r = items[i]
    const name = names[i] as string
    if (r instanceof Error) {
      const error = toFsError(r)
      out[i] = {
        ok: false,
        error: error instanceof FsError ? error : new FsError({ code: 'EIO', syscall: name, kind: 'Backend', detail: String(r) }),
      }
    } else {
      out[i] = { ok: true, value: decodeValue(name, r, nums) }
    }
  }
  return out
}
