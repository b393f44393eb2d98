/**
 * {@link SqliteBackend}: a complete filesystem in one SQLite database file.
 *
 * @module
 */

import { invalidArgType, invalidArgValue, outOfRange } from './errors'
import { openError } from './opening'
import { native, type NativeFs } from './native'
import { NativeStack } from './stack'
import { checkIndex, checkPath } from './validate'

/**
 * SQLite's `synchronous` mode: how much of each commit is on disk before the operation returns.
 * See {@link SqliteBackend} for what survives a crash in each mode.
 *
 * @example
 * ```ts
 * import { SqliteBackend, type SqliteSynchronous } from 'anyfs'
 * const mode: SqliteSynchronous = 'full'
 * const db = SqliteBackend.open('/tmp/anyfs-example.db', { synchronous: mode })
 * ```
 */
export type SqliteSynchronous = 'off' | 'normal' | 'full' | 'extra'

/**
 * Options of {@link SqliteBackend.open}. `pageSize` and `chunkSize` only apply when the database
 * is created; an existing database keeps the values it was created with.
 *
 * @example
 * ```ts
 * import { SqliteBackend, type SqliteBackendOptions } from 'anyfs'
 * const options: SqliteBackendOptions = {
 *   chunkSize: 256 * 1024, // fewer rows for big files
 *   synchronous: 'full', // every commit survives a power loss
 *   busyTimeoutMs: 10_000, // wait up to 10 s for another process's writer
 * }
 * const db = SqliteBackend.open('/tmp/anyfs-options.db', options)
 * ```
 */
export interface SqliteBackendOptions {
  /** SQLite page size of a new database: a power of two from 512 to 65536. Default 4096. */
  pageSize?: number
  /**
   * Bytes of file content per stored chunk in a new database, from 512 to 16 MiB. Default 64
   * KiB. Ranged reads and writes touch only the chunks they cover: larger chunks mean fewer rows
   * for big files, smaller ones less rewritten per small random write.
   */
  chunkSize?: number
  /** Durability of each commit (see {@link SqliteSynchronous}). Default `'normal'`. */
  synchronous?: SqliteSynchronous
  /**
   * How long an operation waits for another process's write transaction before failing with
   * `EBUSY` (and changing nothing), in milliseconds. Default 5000.
   */
  busyTimeoutMs?: number
}

/**
 * Options of {@link SqliteBackend.inMemory}: the layout ones of {@link SqliteBackendOptions}
 * (durability and locking do not apply to a private in-memory database).
 *
 * @example
 * ```ts
 * import { SqliteBackend, type SqliteMemoryOptions } from 'anyfs'
 * const options: SqliteMemoryOptions = { chunkSize: 4096 }
 * const scratch = SqliteBackend.inMemory(options)
 * ```
 */
export type SqliteMemoryOptions = Pick<SqliteBackendOptions, 'pageSize' | 'chunkSize'>

const FILE_OPTIONS: ReadonlySet<string> = new Set(['pageSize', 'chunkSize', 'synchronous', 'busyTimeoutMs'])
const MEMORY_OPTIONS: ReadonlySet<string> = new Set(['pageSize', 'chunkSize'])
const SYNCHRONOUS: ReadonlySet<unknown> = new Set(['off', 'normal', 'full', 'extra'])
const MAX_CHUNK = 16 * 1024 * 1024

/** Checks an options object (types and ranges) and returns what the native side takes. */
function checkOptions(options: unknown, known: ReadonlySet<string>): SqliteBackendOptions | undefined {
  if (options === undefined) return undefined
  if (options === null || typeof options !== 'object') {
    throw invalidArgType('options', 'of type object', options)
  }
  const o = options as Record<string, unknown>
  // A misspelt durability option silently ignored would be worse than an error.
  for (const key of Object.keys(o)) {
    if (!known.has(key)) {
      const names = [...known].join(', ')
      throw invalidArgValue(`options.${key}`, o[key], `is not an option here (known: ${names})`)
    }
  }
  const { pageSize, chunkSize, synchronous, busyTimeoutMs } = o
  if (pageSize !== undefined) {
    checkIndex(pageSize, 'options.pageSize')
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
      throw outOfRange('options.pageSize', 'a power of two from 512 to 65536', pageSize)
    }
  }
  if (chunkSize !== undefined) {
    checkIndex(chunkSize, 'options.chunkSize')
    if (chunkSize < 512 || chunkSize > MAX_CHUNK) {
      throw outOfRange('options.chunkSize', `an integer >= 512 && <= ${MAX_CHUNK}`, chunkSize)
    }
  }
  if (synchronous !== undefined) {
    if (typeof synchronous !== 'string') throw invalidArgType('options.synchronous', 'of type string', synchronous)
    if (!SYNCHRONOUS.has(synchronous)) {
      throw invalidArgValue('options.synchronous', synchronous, "must be 'off', 'normal', 'full' or 'extra'")
    }
  }
  if (busyTimeoutMs !== undefined) checkIndex(busyTimeoutMs, 'options.busyTimeoutMs')
  return o as SqliteBackendOptions
}

/** Checks a database path: a non-empty file name without NUL bytes. */
function checkDbPath(path: unknown): asserts path is string {
  checkPath(path)
  if (path === '' || path === ':memory:') {
    throw invalidArgValue('path', path, 'must name a database file (use SqliteBackend.inMemory() for a private in-memory one)')
  }
  if (path.includes('\0')) throw invalidArgValue('path', path, 'must be a string without null bytes')
}

/**
 * A complete POSIX filesystem (every capability up to {@link FsPosix}) in one SQLite database
 * file: a portable single-file drive. Inodes, directory entries, file content in chunks,
 * symlinks and extended attributes are tables; every operation is one transaction, so a
 * failure or a crash never leaves anything half-done (a `rename`, `copy` or `removeDirAll`
 * happens whole or not at all). SQLite is compiled into the addon: nothing to install.
 *
 * **Sharing.** Many async calls, several `SqliteBackend`s and several processes can use one
 * database file at once (WAL mode): reads run in parallel with each other and with the
 * writer, writes of one process queue, and another process's writer is waited for up to
 * `busyTimeoutMs`, after which the operation fails with `EBUSY` and changes nothing. Open
 * handles and advisory locks are per process.
 *
 * **Threads.** Every operation does I/O, so the async methods run on the native blocking pool
 * and never block the JS thread; the `*Sync` twins run on the JS thread, as node's do.
 *
 * **Opening.** A missing file is created. A file that is not an AnyFS database (or is one of a
 * newer schema version) is refused with an {@link FsError} (`EIO`, kind `'Backend'`, the
 * reason in its message) and left byte-for-byte untouched.
 *
 * **Durability.** "Committed" means the operation's promise resolved (or the sync call
 * returned). With every `synchronous` mode, a process crash (`kill -9`, abort) loses nothing
 * committed and the database always reopens consistent. Against power loss or an OS crash:
 *
 * | `synchronous` | cost per commit | after power loss | `sync()` / `fsync(path)` |
 * |---|---|---|---|
 * | `'off'` | no disk sync | recent commits may be lost **and the database may be corrupted** | do not sync |
 * | `'normal'` (default) | no disk sync (synced at checkpoints) | consistent; commits since the last checkpoint or `fsync` may be lost | make everything committed before them durable |
 * | `'full'` | one sync of the log | every commit survives | nothing more to do |
 * | `'extra'` | as `'full'` in WAL mode | every commit survives | nothing more to do |
 *
 * So with the default, call `fsync` (or `sync`) where a write must survive a power loss.
 *
 * @example
 * ```ts
 * import { FileStorage, SqliteBackend } from 'anyfs'
 *
 * const db = SqliteBackend.open('/tmp/drive.db', { synchronous: 'normal' })
 * const fs = new FileStorage(db)
 * await fs.createDirAll('/docs')
 * await fs.write('/docs/a.txt', 'hello')
 * await fs.fsync('/docs/a.txt') // durable now, even against power loss
 *
 * // Later, in this or another process:
 * const again = new FileStorage(SqliteBackend.open('/tmp/drive.db'))
 * await again.readToString('/docs/a.txt') // 'hello'
 * ```
 */
export class SqliteBackend extends NativeStack {
  /** The database file as given to {@link SqliteBackend.open}; `null` for an in-memory database. */
  readonly path: string | null

  private constructor(handle: NativeFs, path: string | null) {
    super(handle)
    this.path = path
  }

  /**
   * Opens the AnyFS database at `path`, creating it if it does not exist. Throws a
   * `TypeError`/`RangeError` for bad arguments, and an {@link FsError} when the file cannot be
   * opened: `EIO` (kind `'Backend'`) for a file that is not an AnyFS database or has a newer
   * schema (left untouched), `EBUSY` when another process holds the database past
   * `busyTimeoutMs` while it is being created, or the host's code (`ENOENT` for a missing
   * parent directory, ...).
   *
   * @param path - the database file (relative paths are relative to the working directory).
   * @param options - page and chunk size of a new database, durability, busy timeout.
   *
   * @example
   * ```ts
   * import { SqliteBackend } from 'anyfs'
   * const db = SqliteBackend.open('/tmp/app.db', { synchronous: 'full', busyTimeoutMs: 2000 })
   * db.writeSync('/config.json', '{}')
   * ```
   */
  static open(path: string, options?: SqliteBackendOptions): SqliteBackend {
    checkDbPath(path)
    const checked = checkOptions(options, FILE_OPTIONS)
    let handle: NativeFs
    try {
      handle = native.NativeFs.sqlite(path, checked)
    } catch (err) {
      throw openError(err)
    }
    return new SqliteBackend(handle, path)
  }

  /**
   * A new, private in-memory SQLite database, gone when the backend is garbage-collected: the
   * same engine as {@link SqliteBackend.open} without a file (tests, scratch space). Its one
   * connection serves one operation at a time; async calls still run on the blocking pool.
   *
   * @param options - page and chunk size.
   *
   * @example
   * ```ts
   * import { FileStorage, SqliteBackend } from 'anyfs'
   * const fs = new FileStorage(SqliteBackend.inMemory())
   * fs.writeSync('/tmp.bin', new Uint8Array(10))
   * ```
   */
  static inMemory(options?: SqliteMemoryOptions): SqliteBackend {
    const checked = checkOptions(options, MEMORY_OPTIONS)
    let handle: NativeFs
    try {
      handle = native.NativeFs.sqliteInMemory(checked)
    } catch (err) {
      throw openError(err)
    }
    return new SqliteBackend(handle, null)
  }
}
