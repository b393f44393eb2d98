/**
 * Hidden hooks for the test suite: deliberate Rust panics on each path, to prove they become
 * `EIO` errors and the process lives. Not exported from the package entry point.
 *
 * @internal
 * @module
 */

import { decodeResults, encode, type BatchOp, type BatchResult } from './batch'
import { toFsError } from './errors'
import { NativeStack, nativeOf, pooled } from './stack'

function handle(stack: NativeStack) {
  const n = nativeOf(stack)
  if (n === undefined) throw new TypeError('not a native stack')
  return n
}

/** Panics inside a synchronous native call. */
export function debugPanic(stack: NativeStack): void {
  try {
    handle(stack).__debugPanic()
  } catch (err) {
    throw toFsError(err)
  }
}

/** Panics inside a task on the blocking pool. */
export function debugPanicPool(stack: NativeStack): Promise<unknown> {
  return pooled(handle(stack), '__debugPanic', [], [], [])
}

/** Runs `[exists /, panic, exists /]` as one synchronous batch. */
export function debugPanicBatch(stack: NativeStack): BatchResult[] {
  const ops = [{ op: 'exists', path: '/' }, { op: '__debugPanic' }, { op: 'exists', path: '/' }] as unknown as BatchOp[]
  const e = encode(ops, true)
  return decodeResults(e.names, handle(stack).batch(e.codes, e.text, e.lens, e.bufs, e.nums))
}
