/**
 * What a JS layer's failure becomes: every thrown value turns into an {@link FsError} at the
 * layer's boundary, and crosses into native code as a descriptor the adapter decodes.
 *
 * - An `FsError` passes unchanged.
 * - An error with a string `code` (node style: `Object.assign(new Error('...'), { code: 'EPERM' })`)
 *   becomes an `FsError` with that code and the same message (`cause`: the original).
 * - Any other error becomes an `EIO` `FsError` (kind `Backend`) carrying its message.
 * - A thrown non-error becomes an `EIO` `FsError` describing it.
 *
 * @internal
 * @module
 */

import { FsError, keepCrossing, nodeMessage, type FsErrorInit, type FsErrorKind } from '../errors'

/** The AnyFS kind a bare POSIX code stands for. */
const KIND_OF: Readonly<Record<string, FsErrorKind>> = {
  ENOENT: 'NotFound',
  EEXIST: 'AlreadyExists',
  EISDIR: 'NotAFile',
  ENOTDIR: 'NotADirectory',
  ENOTEMPTY: 'DirectoryNotEmpty',
  EACCES: 'AccessDenied',
  EROFS: 'ReadOnly',
  ENOSPC: 'QuotaExceeded',
  EFBIG: 'FileSizeExceeded',
  ENOSYS: 'NotSupported',
  EINVAL: 'InvalidInput',
  ENAMETOOLONG: 'NameTooLong',
  ELOOP: 'SymlinkLoop',
  EBADF: 'InvalidHandle',
  EAGAIN: 'WouldBlock',
  EDEADLK: 'Deadlock',
  EBUSY: 'Busy',
  EXDEV: 'CrossDevice',
  ENODATA: 'XattrNotFound',
  ETIMEDOUT: 'Timeout',
  EIO: 'Backend',
}

/** Every kind an `FsError` may have (to accept a thrown `kind` only if it is one). */
const KINDS: ReadonlySet<string> = new Set([
  ...Object.values(KIND_OF),
  'PermissionDenied',
  'FeatureNotEnabled',
  'RateLimitExceeded',
  'InvalidPath',
  'InvalidData',
  'HandleAccess',
  'IntegrityError',
  'Serialization',
  'Deserialization',
  'Io',
])

/** `String(value)`, even for values whose conversion throws. */
function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? `'${value}'` : String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** The `FsError` a layer's failure `err` stands for (see the module docs). */
export function layerError(err: unknown, layer: string, op: string, path: string | undefined): FsError {
  if (err instanceof FsError) return err
  const base: Pick<FsErrorInit, 'syscall' | 'path'> = path === undefined ? { syscall: op } : { syscall: op, path }
  if (err instanceof Error) {
    const { code, kind } = err as Error & { code?: unknown; kind?: unknown }
    if (typeof code === 'string' && code !== '') {
      const k = typeof kind === 'string' && KINDS.has(kind) ? (kind as FsErrorKind) : (KIND_OF[code] ?? 'Io')
      return new FsError({ ...base, code, kind: k, message: err.message, detail: err.message, cause: err })
    }
    return new FsError({ ...base, code: 'EIO', kind: 'Backend', message: err.message, detail: err.message, cause: err })
  }
  const message = `${op}: the JS layer ${layer}.${op} threw a non-Error value: ${describe(err)}`
  return new FsError({ ...base, code: 'EIO', kind: 'Backend', message, cause: err })
}

/** A wrong answer: a handler returned something its operation cannot answer with. */
export function wrongAnswer(layer: string, op: string, path: string | undefined, expected: string, got: unknown): FsError {
  const what = got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got === 'object' ? `an instance of ${(got as object).constructor?.name ?? 'Object'}` : `${typeof got} ${describe(got)}`
  const init = {
    code: 'EIO',
    kind: 'Backend' as const,
    syscall: op,
    message: `${op}: the JS layer ${layer}.${op} returned ${what}; expected ${expected}`,
  }
  return new FsError(path === undefined ? init : { ...init, path })
}

/** The prefix of a descriptor (see `crates/anyfs-node/src/js_backend/error.rs`). */
const MAGIC = '\u0001anyfsjs\u0001'

/**
 * Codes native layers often swallow (a lookup of a missing path), and that the adapter turns
 * into a variant with the same code and kind on the way back.
 */
const REBUILT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR', 'EEXIST', 'ENOTEMPTY'])

/**
 * Whether the native error `err` becomes can be rebuilt as an equal `FsError` from its fields
 * (a plain error with node's message and the code's own kind): such errors are not filed, so
 * the many a native layer swallows (path resolution, `exists`) do not crowd out the others.
 */
function rebuildable(err: FsError): boolean {
  return (
    err.constructor === FsError &&
    err.cause === undefined &&
    REBUILT.has(err.code) &&
    err.kind === KIND_OF[err.code] &&
    err.message === nodeMessage(err)
  )
}

/**
 * The descriptor the adapter decodes for `err` (already an `FsError`); unless it can be
 * rebuilt from its fields, the object is filed so the caller gets this very one back.
 */
export function descriptor(err: FsError): Error {
  const token = rebuildable(err) ? 0 : keepCrossing(err)
  // No stack: the descriptor only carries fields, and capturing one costs more than the rest.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new Error(`${MAGIC}${token}\u0001${err.code}\u0001${err.kind}\u0001${err.message}`)
  } finally {
    Error.stackTraceLimit = limit
  }
}
