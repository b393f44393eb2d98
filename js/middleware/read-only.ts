/**
 * {@link ReadOnly} and {@link ReadOnlyLayer}: every mutation fails with `EROFS`.
 *
 * @module
 */

import type { Fs, FsPosix } from '../capabilities'
import { call, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * A read-only view of a stack of type `B`, keeping `B`'s capabilities: every method that would
 * change content, metadata, attributes or the namespace — writes, removals, renames, links,
 * `setPermissions`, `setTimes`, xattr changes, `writeAt`, and `open` for writing — fails with
 * `EROFS` (`ReadOnly`) before reaching the wrapped stack, whether or not the path exists.
 * Reads, listings, metadata, read-only handles, `sync` and locks pass through. Stateless: one
 * comparison per call.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { FsError, MemoryBackend, ReadOnlyLayer } from 'anyfs'
 *
 * const backend = new MemoryBackend()
 * backend.writeSync('/doc.txt', 'published')
 * const ro = backend.layer(new ReadOnlyLayer())
 * ro.readToStringSync('/doc.txt') // 'published'
 * try {
 *   ro.writeSync('/doc.txt', 'x')
 * } catch (err) {
 *   (err as FsError).code // 'EROFS'
 * }
 * ```
 */
export type ReadOnly<B extends Fs = FsPosix> = MiddlewareStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link ReadOnly}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, ReadOnly, type ReadOnlyConstructor } from 'anyfs'
 * const make: ReadOnlyConstructor = ReadOnly
 * const ro = new make(new MemoryBackend())
 * ```
 */
export interface ReadOnlyConstructor {
  /** A read-only view of `inner`. */
  new <B extends Fs>(inner: B): ReadOnly<B>
  /** The prototype shared by every read-only stack. */
  readonly prototype: ReadOnly
}

/** The runtime class: every operation, typed down by {@link ReadOnly}. */
const ReadOnlyImpl = class ReadOnly extends MiddlewareImpl {
  constructor(inner: unknown) {
    const handle = stackHandle(inner, 'inner')
    super(
      call(() => handle.wrapReadOnly()),
      inner,
    )
  }
}

/**
 * Creates a {@link ReadOnly} view: `new ReadOnly(backend)`, the seeds' `ReadOnly::new(backend)`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, ReadOnly } from 'anyfs'
 * const ro = new ReadOnly(new MemoryBackend())
 * ro.existsSync('/') // true
 * ```
 */
export const ReadOnly: ReadOnlyConstructor = ReadOnlyImpl as unknown as ReadOnlyConstructor

/**
 * What a {@link ReadOnlyLayer} makes of a stack: a {@link ReadOnly} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, ReadOnly, ReadOnlyKind, Wrapped } from 'anyfs'
 * type W = Wrapped<ReadOnlyKind, MemoryBackend> // ReadOnly<MemoryBackend>
 * ```
 */
export interface ReadOnlyKind extends LayerKind {
  /** A {@link ReadOnly} over the wrapped stack. */
  readonly out: ReadOnly<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in {@link ReadOnly}: `backend.layer(new ReadOnlyLayer())`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, ReadOnlyLayer } from 'anyfs'
 * const ro = new MemoryBackend().layer(ReadOnlyLayer.builder().build())
 * ```
 */
export class ReadOnlyLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: ReadOnlyKind | undefined

  /**
   * A read-only layer (it has nothing to configure).
   *
   * @example
   * ```ts
   * import { ReadOnlyLayer } from 'anyfs'
   * const layer = new ReadOnlyLayer()
   * ```
   */
  constructor() {}

  /**
   * A builder, for symmetry with the other layers.
   *
   * @example
   * ```ts
   * import { ReadOnlyLayer } from 'anyfs'
   * const layer = ReadOnlyLayer.builder().build()
   * ```
   */
  static builder(): ReadOnlyLayerBuilder {
    return new ReadOnlyLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, ReadOnlyLayer } from 'anyfs'
   * const ro = new ReadOnlyLayer().wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): ReadOnly<B> {
    return new ReadOnly(inner)
  }

  /**
   * The seeds' spelling of {@link ReadOnlyLayer.wrap}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, ReadOnlyLayer } from 'anyfs'
   * const ro = new ReadOnlyLayer().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): ReadOnly<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link ReadOnlyLayer} (nothing to set).
 *
 * @example
 * ```ts
 * import { ReadOnlyLayer, type ReadOnlyLayerBuilder } from 'anyfs'
 * const b: ReadOnlyLayerBuilder = ReadOnlyLayer.builder()
 * const layer = b.build()
 * ```
 */
export class ReadOnlyLayerBuilder {
  /**
   * The layer.
   *
   * @example
   * ```ts
   * const layer = ReadOnlyLayer.builder().build()
   * ```
   */
  build(): ReadOnlyLayer {
    return new ReadOnlyLayer()
  }
}
