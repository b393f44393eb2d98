/**
 * `FsError`, the error of every anyfs operation, and the conversion of native errors into it.
 *
 * @module
 */

import { native } from './native'

/**
 * The AnyFS-level kind of an error: the name of the Rust `FsError` variant. Finer than
 * {@link FsError.code}: several kinds share `EACCES` or `EIO`.
 *
 * @example
 * ```ts
 * import { FsError, type FsErrorKind } from 'anyfs'
 * function isPolicy(err: FsError): boolean {
 *   const policy: FsErrorKind[] = ['AccessDenied', 'QuotaExceeded', 'ReadOnly']
 *   return policy.includes(err.kind)
 * }
 * ```
 */
export type FsErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'NotAFile'
  | 'NotADirectory'
  | 'DirectoryNotEmpty'
  | 'PermissionDenied'
  | 'AccessDenied'
  | 'ReadOnly'
  | 'FeatureNotEnabled'
  | 'QuotaExceeded'
  | 'FileSizeExceeded'
  | 'RateLimitExceeded'
  | 'NotSupported'
  | 'InvalidPath'
  | 'NameTooLong'
  | 'SymlinkLoop'
  | 'InvalidInput'
  | 'InvalidData'
  | 'InvalidHandle'
  | 'HandleAccess'
  | 'WouldBlock'
  | 'Deadlock'
  | 'Busy'
  | 'CrossDevice'
  | 'XattrNotFound'
  | 'IntegrityError'
  | 'Timeout'
  | 'Serialization'
  | 'Deserialization'
  | 'Backend'
  | 'Io'

/**
 * What {@link FsError}'s constructor needs. `errno` defaults to the code's (negative) number and
 * `kind` to `'Io'`.
 *
 * @example
 * ```ts
 * import { FsError, type FsErrorInit } from 'anyfs'
 * const init: FsErrorInit = { code: 'ENOENT', kind: 'NotFound', syscall: 'read', path: '/a' }
 * throw new FsError(init)
 * ```
 */
export interface FsErrorInit {
  /** The POSIX error name, e.g. `'ENOENT'`. */
  code: string
  /** The operation that failed, e.g. `'read'` or `'readDir'`. */
  syscall: string
  /** The AnyFS kind; defaults to `'Io'`. */
  kind?: FsErrorKind
  /** The negative errno; defaults to the code's number. */
  errno?: number
  /** The path the operation was called with. */
  path?: string
  /** The second path of a two-path operation (rename, copy, links). */
  dest?: string
  /** The engine's own description (limits, reasons). */
  detail?: string
  /** The message; by default node's format (`ENOENT: no such file or directory, read '/a'`). */
  message?: string
  /** The error this one stands for (a JS layer's own error, for instance). */
  cause?: unknown
}

/** code -> [errno, description], from the Rust side's single POSIX mapping. */
const ERRNO: ReadonlyMap<string, readonly [number, string]> = new Map(
  native.errnoTable().map(([code, errno, text]) => [code, [errno, text] as const]),
)

/**
 * The error every anyfs operation throws or rejects with. It reads and compares like node:fs's
 * errors: `err.code === 'ENOENT'`, a negative `errno`, `syscall`, `path`, and a message such as
 * `ENOENT: no such file or directory, read '/nope'`. `kind` adds the AnyFS variant
 * (`'QuotaExceeded'`, ...) and `detail` the engine's explanation.
 *
 * Sync and async calls produce identical errors.
 *
 * @example
 * ```ts
 * import { FileStorage, FsError, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * try {
 *   fs.readSync('/nope')
 * } catch (err) {
 *   if (err instanceof FsError && err.code === 'ENOENT') {
 *     console.log(err.message) // ENOENT: no such file or directory, read '/nope'
 *   }
 * }
 * ```
 */
export class FsError extends Error {
  /** The POSIX error name: `'ENOENT'`, `'EEXIST'`, `'EISDIR'`, ... */
  readonly code: string
  /** The negative errno, as node reports it (`-2` for `ENOENT`). */
  readonly errno: number
  /** The operation's name: `'read'`, `'readDir'`, `'hardLink'`, ... */
  readonly syscall: string
  /** The AnyFS kind (the Rust `FsError` variant). */
  readonly kind: FsErrorKind
  /** The path the operation was called with, if it has one. */
  declare readonly path?: string
  /** The second path of two-path operations (rename, copy, symlink, hardLink). */
  declare readonly dest?: string
  /** The engine's own message, with details such as quota limits. */
  readonly detail: string

  /**
   * Builds an error from its fields; the message is derived as node:fs formats it, unless
   * `init.message` gives one.
   *
   * @example
   * ```ts
   * import { FsError } from 'anyfs'
   * const err = new FsError({ code: 'EEXIST', kind: 'AlreadyExists', syscall: 'createDir', path: '/a' })
   * err.message // "EEXIST: file already exists, createDir '/a'"
   * ```
   */
  constructor(init: FsErrorInit) {
    const known = ERRNO.get(init.code)
    const message = init.message ?? nodeMessage(init)
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'FsError'
    this.code = init.code
    this.errno = init.errno ?? known?.[0] ?? -5
    this.syscall = init.syscall
    this.kind = init.kind ?? 'Io'
    // Set only when present, so the properties exist exactly when node's would.
    if (init.path !== undefined) (this as { path?: string }).path = init.path
    if (init.dest !== undefined) (this as { dest?: string }).dest = init.dest
    this.detail = init.detail ?? message
  }
}

/** The message node:fs would give: `ENOENT: no such file or directory, read '/a'`. @internal */
export function nodeMessage(init: Pick<FsErrorInit, 'code' | 'syscall' | 'path' | 'dest'>): string {
  let message = `${init.code}: ${ERRNO.get(init.code)?.[1] ?? 'unknown error'}, ${init.syscall}`
  if (init.path !== undefined) message += ` '${init.path}'`
  if (init.dest !== undefined) message += ` -> '${init.dest}'`
  return message
}

/** The prefix of a native error's encoded message (see `crates/anyfs-node/src/error.rs`). */
const MAGIC = '\u0001anyfs\u0001'

/** Errors of JS layers crossing native layers, by token (see `crates/anyfs-node/src/js_backend/error.rs`). */
const crossing = new Map<number, FsError>()
/** Tokens kept at most (the oldest are forgotten; their errors are then rebuilt from fields). */
const CROSSING_MAX = 1024
let nextToken = 1

/**
 * Files a JS layer's error before it crosses into native code and returns its token; the
 * native error that comes back out carries the token, and {@link toFsError} answers with this
 * very object.
 *
 * @internal
 */
export function keepCrossing(err: FsError): number {
  const token = nextToken
  nextToken = nextToken >= 0x7fff_ffff ? 1 : nextToken + 1
  crossing.set(token, err)
  if (crossing.size > CROSSING_MAX) crossing.delete(crossing.keys().next().value as number)
  return token
}

/**
 * Converts what a native call threw into an {@link FsError}; anything else is returned as is.
 *
 * The native error itself becomes the FsError (its prototype and fields are replaced) rather
 * than being wrapped in a new one: an `Error` costs its stack capture, about as much as the
 * failed call itself, and the native error's stack already starts where the caller called. V8
 * formats `stack` when it is first read, so the header shows the FsError's name and message.
 *
 * @internal
 */
export function toFsError(err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.startsWith(MAGIC)) return err
  const [code = 'EIO', errno, kind, syscall = '', path, dest, detail, token] = err.message
    .slice(MAGIC.length)
    .split('\u0001')
  if (token !== undefined) {
    const kept = crossing.get(Number(token))
    if (kept !== undefined) {
      crossing.delete(Number(token))
      return kept
    }
  }
  const init: FsErrorInit = {
    code,
    errno: Number(errno),
    kind: kind as FsErrorKind,
    syscall,
    detail: detail ?? '',
  }
  if (path) init.path = path
  if (dest) init.dest = dest
  return adopt(err, init)
}

/** Turns `err` into the FsError `init` describes, with the fields `new FsError(init)` sets. */
function adopt(err: Error, init: FsErrorInit): FsError {
  Object.setPrototypeOf(err, FsError.prototype)
  const fields = err as { -readonly [K in keyof FsError]: FsError[K] }
  fields.message = nodeMessage(init)
  fields.name = 'FsError'
  fields.code = init.code
  fields.errno = init.errno ?? ERRNO.get(init.code)?.[0] ?? -5
  fields.syscall = init.syscall
  fields.kind = init.kind ?? 'Io'
  if (init.path !== undefined) fields.path = init.path
  if (init.dest !== undefined) fields.dest = init.dest
  fields.detail = init.detail ?? fields.message
  return err as FsError
}

/** Describes a value the way node's `ERR_INVALID_ARG_TYPE` messages do. */
function received(value: unknown): string {
  if (value === null || value === undefined) return `Received ${String(value)}`
  if (typeof value === 'function') return `Received function ${value.name || '<anonymous>'}`
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name
    return name ? `Received an instance of ${name}` : 'Received an object'
  }
  let shown = String(value)
  if (typeof value === 'string') shown = `'${shown.length > 25 ? `${shown.slice(0, 25)}...` : shown}'`
  if (typeof value === 'bigint') shown += 'n'
  return `Received type ${typeof value} (${shown})`
}

/** A `TypeError` with code `ERR_INVALID_ARG_TYPE`, worded as node words it. @internal */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  const err = new TypeError(`The "${name}" argument must be ${expected}. ${received(value)}`)
  ;(err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE'
  return err
}

/** A `TypeError` with code `ERR_INVALID_ARG_VALUE`. @internal */
export function invalidArgValue(name: string, value: unknown, reason: string): TypeError {
  const err = new TypeError(`The argument '${name}' ${reason}. Received ${String(value)}`)
  ;(err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_VALUE'
  return err
}

/** A `RangeError` with code `ERR_OUT_OF_RANGE`. @internal */
export function outOfRange(name: string, range: string, value: unknown): RangeError {
  const err = new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`)
  ;(err as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE'
  return err
}
