/**
 * {@link Layer}: how middleware wraps a backend, Tower-style.
 *
 * @module
 */

import type { Fs } from './capabilities'

/**
 * Middleware as a value: `wrap` takes the inner filesystem and returns the wrapped one.
 * `backend.layer(l)` is `l.wrap(backend)`, so stacks read top-down and the last layer added is
 * the outermost (it sees every call first).
 *
 * A layer that keeps every capability of what it wraps is a {@link TransparentLayer}; the
 * type of the stack then keeps its capabilities.
 *
 * @typeParam In - what the layer can wrap.
 * @typeParam Out - what it returns.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type Fs, type Layer } from 'anyfs'
 *
 * // A do-nothing layer, to show the shape.
 * const identity = { wrap: <B extends Fs>(inner: B): B => inner }
 * const backend = new MemoryBackend().layer(identity) // still a MemoryBackend
 * const l: Layer<MemoryBackend> = identity
 * ```
 */
export interface Layer<In, Out = In> {
  /** Wraps `inner`. */
  wrap(inner: In): Out
}

/**
 * A layer that keeps every capability of what it wraps (its `wrap` is generic), so
 * `stack.layer(l)` keeps the stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type Fs, type TransparentLayer } from 'anyfs'
 * const passThrough: TransparentLayer = { wrap: <B extends Fs>(inner: B): B => inner }
 * const same: MemoryBackend = new MemoryBackend().layer(passThrough)
 * ```
 */
export interface TransparentLayer {
  /** Wraps `inner`, keeping its capabilities. */
  wrap<B extends Fs>(inner: B): B
}
