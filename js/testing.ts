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

/** The engine calls a binding call of `op` reaches. */
export type EngineLoopOp = 'exists' | 'metadata' | 'read' | 'write'

/**
 * Times `calls` engine calls of `op` on `stack`'s own native stack, cycling through `paths`,
 * in a Rust loop (no boundary crossing per call); returns the mean nanoseconds per call. The
 * benchmark subtracts it from the same calls made through JS to get the binding's own cost.
 */
export function engineLoop(stack: NativeStack, op: EngineLoopOp, paths: string[], calls: number, data: Uint8Array = new Uint8Array(0)): number {
  try {
    return handle(stack).__engineLoop(op, paths, data, calls)
  } catch (err) {
    throw toFsError(err)
  }
}
