/**
 * Errors of the backend factories (`SqliteBackend.open`, `new StdFsBackend(root)`, ...).
 *
 * @internal
 * @module
 */

import { toFsError } from './errors'

/**
 * Converts a factory's native error into an `FsError` whose message also gives the
 * engine's reason: "EIO: i/o error, open 'x.db'" alone would not say that the file is not an
 * AnyFS database, nor "ENOSYS: ..." that the backend is Linux-only.
 */
export function openError(err: unknown): unknown {
  const e = toFsError(err)
  if (!(e instanceof Error) || !('detail' in e) || typeof e.detail !== 'string') return e
  const { detail } = e
  if (detail === '' || detail === e.message) return e
  // V8 formats `stack` on first access: read it before the message changes, then patch it.
  const stack = e.stack
  const plain = e.message
  e.message = `${plain}: ${detail}`
  if (typeof stack === 'string') e.stack = stack.replace(plain, e.message)
  return e
}
