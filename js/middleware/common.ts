/**
 * What every native middleware shares: the type of a wrapped stack ({@link MiddlewareStack},
 * {@link StackCapabilities}) and the run-time helpers the middleware classes use.
 *
 * @module
 */

import type { BatchOp, BatchResults } from '../batch'
import type { Fs, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsStats, FsSync, FsXattr } from '../capabilities'
import { invalidArgType, invalidArgValue, outOfRange, toFsError } from '../errors'
import type { Layer, TransparentLayer } from '../layer'
import type { NativeFs } from '../native'
import { NativeStack, nativeOf, type CapabilityName } from '../stack'

/**
 * The capability interfaces of `B` beyond {@link Fs}: what a native middleware stack over a
 * stack of type `B` has, since every middleware implements exactly the traits of what it wraps.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import type { Fs, FsLink, StackCapabilities } from 'anyfs'
 * type Kept = StackCapabilities<Fs & FsLink> // FsLink
 * ```
 */
export type StackCapabilities<B> = (B extends FsLink ? FsLink : unknown) &
  (B extends FsPermissions ? FsPermissions : unknown) &
  (B extends FsSync ? FsSync : unknown) &
  (B extends FsStats ? FsStats : unknown) &
  (B extends FsInode ? FsInode : unknown) &
  (B extends FsHandles ? FsHandles : unknown) &
  (B extends FsLock ? FsLock : unknown) &
  (B extends FsXattr ? FsXattr : unknown)

/**
 * A type-level function from the stack a layer wraps to the stack it returns, written as an
 * interface whose `out` reads `this['in']`. A layer class declares one as its
 * {@link KindedLayer.layerKind}, so `stack.layer(layer)` can compute the wrapped type from the
 * stack's own type (TypeScript cannot infer it from a generic `wrap` method alone).
 *
 * @example
 * ```ts
 * import type { Fs, LayerKind, ReadOnly } from 'anyfs'
 * interface ReadOnlyKind extends LayerKind {
 *   readonly out: ReadOnly<Extract<this['in'], Fs>>
 * }
 * ```
 */
export interface LayerKind {
  /** The wrapped stack's type (filled in by {@link Wrapped}). */
  readonly in: unknown
  /** The resulting stack's type, in terms of `this['in']`. */
  readonly out: unknown
}

/**
 * What a layer of kind `K` makes of a stack of type `B`.
 *
 * @example
 * ```ts
 * import type { MemoryBackend, Quota, QuotaLayer, Wrapped } from 'anyfs'
 * type Q = Wrapped<NonNullable<QuotaLayer['layerKind']>, MemoryBackend> // Quota<MemoryBackend>
 * ```
 */
export type Wrapped<K extends LayerKind, B> = (K & {
  /** The stack being wrapped. */
  readonly in: B
})['out']

/**
 * A layer whose result type depends on what it wraps: every native middleware layer. The
 * {@link KindedLayer.layerKind} property exists only for the type checker.
 *
 * @typeParam K - the layer's type-level function.
 * @typeParam In - what it can wrap.
 *
 * @example
 * ```ts
 * import { MemoryBackend, QuotaLayer, type KindedLayer, type QuotaKind } from 'anyfs'
 * const layer: KindedLayer<QuotaKind, MemoryBackend> = new QuotaLayer()
 * ```
 */
export interface KindedLayer<K extends LayerKind = LayerKind, In = never> {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  readonly layerKind: K | undefined
  /** Wraps `inner`. */
  wrap(inner: In): unknown
}

/**
 * What every stack object has beyond the {@link Fs} operations, native or written in JS: its
 * capability names at run time, batches and layering. {@link MiddlewareStack} and
 * {@link JsBackendBase} build on it.
 *
 * Layering rule, the same everywhere in anyfs: **each `.layer()` wraps everything before it, so
 * the last layer added is the outermost and sees a call first.**
 * `backend.layer(A).layer(B)` is `B` over `A` over `backend`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, ReadOnlyLayer, type LayeredStack } from 'anyfs'
 * const stack: LayeredStack = new MemoryBackend().layer(new ReadOnlyLayer())
 * stack.capabilities.includes('FsLink') // true
 * ```
 */
export interface LayeredStack extends Fs {
  /** The capability interfaces this stack implements, at run time. */
  readonly capabilities: readonly CapabilityName[]
  /** Runs many operations in one crossing; see {@link NativeStack.batch}. */
  batch<const Ops extends readonly BatchOp[]>(ops: Ops): Promise<BatchResults<Ops>>
  /** Synchronous {@link LayeredStack.batch}. */
  batchSync<const Ops extends readonly BatchOp[]>(ops: Ops): BatchResults<Ops>
  /** Wraps this stack in a native middleware layer: `layer.wrap(this)`; it becomes the outermost. */
  layer<K extends LayerKind>(layer: KindedLayer<K, this>): Wrapped<K, this>
  /** Wraps this stack in a layer that keeps its type: `layer.wrap(this)`. */
  layer(layer: TransparentLayer): this
  /** Wraps this stack in a layer: `layer.wrap(this)`; the new layer is the outermost. */
  layer<Out>(layer: Layer<this, Out>): Out
}

/**
 * What every native middleware stack has, whatever it wraps: the {@link LayeredStack} members
 * and the wrapped stack. Each middleware's type adds its own methods and the wrapped stack's
 * capabilities ({@link StackCapabilities}).
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, ReadOnlyLayer, type MiddlewareStack } from 'anyfs'
 * const backend = new MemoryBackend()
 * const ro: MiddlewareStack<MemoryBackend> = backend.layer(new ReadOnlyLayer())
 * ro.inner === backend // true
 * ```
 */
export interface MiddlewareStack<B extends Fs> extends LayeredStack {
  /** The stack this middleware wraps (shared, not copied). */
  readonly inner: B
}

/**
 * The run-time base of the middleware classes: a native stack that remembers what it wraps.
 *
 * @internal
 */
export abstract class MiddlewareImpl extends NativeStack {
  readonly inner: unknown

  protected constructor(handle: NativeFs, inner: unknown) {
    super(handle)
    this.inner = inner
  }
}

/**
 * The native handle of a stack a middleware may wrap: a native backend or middleware stack, or
 * a JS-authored one (`Middleware`, `JsBackend`, handlers) through a native adapter — never a
 * `FileStorage` (a middleware under it would bypass its path resolution).
 *
 * @internal
 */
export function stackHandle(value: unknown, name: string): NativeFs {
  const handle = nativeOf(value)
  if (handle === undefined) {
    throw invalidArgType(name, 'a backend or middleware stack such as MemoryBackend, a Middleware or a JsBackend', value)
  }
  if (handle.isStorage) {
    throw invalidArgValue(name, 'FileStorage', 'is a FileStorage; wrap its backend (`storage.backend`) and make a FileStorage over the result')
  }
  return handle
}

/** Runs a native call, turning its encoded error into an `FsError`. @internal */
export function call<T>(run: () => T): T {
  try {
    return run()
  } catch (err) {
    throw toFsError(err)
  }
}

/** A native promise whose rejection becomes an `FsError`. @internal */
export function settle<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    throw toFsError(err)
  })
}

/** An integer in `[min, max]` (sizes, counts). @internal */
export function checkInt(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value)
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw outOfRange(name, `an integer >= ${min} && <= ${max}`, value)
  }
  return value
}

/** A finite number of milliseconds above `min` (or equal, unless `exclusiveMin`), at most `max`. @internal */
export function checkMillis(value: unknown, name: string, min: number, exclusiveMin = false, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value)
  if (!Number.isFinite(value) || value < min || (exclusiveMin && value === min) || value > max) {
    throw outOfRange(name, `a number of milliseconds ${exclusiveMin ? '>' : '>='} ${min} && <= ${max}`, value)
  }
  return value
}

/** A function argument. @internal */
export function checkFunction(value: unknown, name: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value)
}

/** A plain options object, or undefined. @internal */
export function checkOptions(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'of type object', value)
  return value as Record<string, unknown>
}

/**
 * Applies a `BackendStack` configure callback to a fresh builder: the callback may return the
 * builder (fluent style) or nothing (it configured the builder in place).
 *
 * @internal
 */
export function configure<T extends object>(builder: T, configureFn: unknown, name: string): T {
  if (configureFn === undefined) return builder
  checkFunction(configureFn, name)
  const result = (configureFn as (b: T) => unknown)(builder)
  if (result === undefined || result === builder) return builder
  if (result instanceof (builder.constructor as new () => T)) return result as T
  throw invalidArgValue(name, result, `must return the builder it was given (or nothing)`)
}
