/**
 * {@link RateLimit} and {@link RateLimitLayer}: at most `maxOps` calls per window, with bursts;
 * beyond, `EAGAIN` at once.
 *
 * @module
 */

import type { Fs, FsPosix } from '../capabilities'
import { invalidArgValue } from '../errors'
import { call, checkInt, checkMillis, checkOptions, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * The limit of a {@link RateLimit}: `maxOps` operations per `windowMs` on average, at most
 * `maxBurst` back to back.
 *
 * @example
 * ```ts
 * import type { RateLimitConfig } from 'anyfs'
 * const config: RateLimitConfig = { maxOps: 100, windowMs: 1000, maxBurst: 10 }
 * ```
 */
export interface RateLimitConfig {
  /** Operations allowed per window on average (an integer >= 1). Default 1000. */
  maxOps?: number
  /** The window in milliseconds (> 0). Default 1000. */
  windowMs?: number
  /** Most operations that may pass back to back after a pause (>= 1). Default: `maxOps`. */
  maxBurst?: number
}

/**
 * The methods a {@link RateLimit} adds to its stack.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, RateLimit, type RateLimitStack } from 'anyfs'
 * const r: RateLimitStack<MemoryBackend> = new RateLimit(new MemoryBackend(), { maxOps: 50 })
 * r.config.windowMs // 1000
 * ```
 */
export interface RateLimitStack<B extends Fs> extends MiddlewareStack<B> {
  /** The limit in force, defaults filled in. */
  readonly config: Readonly<Required<RateLimitConfig>>
}

/**
 * A stack of type `B` whose calls are rate limited, keeping `B`'s capabilities. Every call of
 * every operation counts as one (reads too: a runaway loop of `metadata` is as much a runaway
 * as a loop of writes; a stream counts once when opened). The limiter is a GCRA token bucket
 * (`governor`): the bucket holds `maxBurst` operations and regains one every
 * `windowMs / maxOps`. Over the limit a call fails at once with `EAGAIN`, kind
 * `'RateLimitExceeded'`, without reaching the wrapped stack; it never sleeps, so the caller
 * decides whether to back off. One lock-free check per call.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { FsError, MemoryBackend, RateLimitLayer } from 'anyfs'
 *
 * const fs = new MemoryBackend().layer(RateLimitLayer.builder().maxOps(3).perMinute().build())
 * fs.writeSync('/a', '1')
 * fs.readSync('/a')
 * fs.existsSync('/a')
 * try {
 *   fs.readSync('/a')
 * } catch (err) {
 *   const e = err as FsError
 *   ;[e.code, e.kind] // ['EAGAIN', 'RateLimitExceeded']
 * }
 * ```
 */
export type RateLimit<B extends Fs = FsPosix> = RateLimitStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link RateLimit}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, RateLimit, type RateLimitConstructor } from 'anyfs'
 * const make: RateLimitConstructor = RateLimit
 * const fs = new make(new MemoryBackend(), { maxOps: 10, windowMs: 100 })
 * ```
 */
export interface RateLimitConstructor {
  /** `inner` limited by `config` (default: 1000 operations per second). */
  new <B extends Fs>(inner: B, config?: RateLimitConfig): RateLimit<B>
  /** The prototype shared by every rate-limited stack. */
  readonly prototype: RateLimit
}

const U32 = 0xffff_ffff
const CONFIG_KEYS = ['maxOps', 'windowMs', 'maxBurst'] as const

function checkConfig(value: unknown, name: string): Readonly<Required<RateLimitConfig>> {
  const given = checkOptions(value, name)
  for (const key of Object.keys(given)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw invalidArgValue(`${name}.${key}`, given[key], `is not a rate limit setting (one of ${CONFIG_KEYS.join(', ')})`)
    }
  }
  const maxOps = given.maxOps === undefined ? 1000 : checkInt(given.maxOps, `${name}.maxOps`, 1, U32)
  const windowMs = given.windowMs === undefined ? 1000 : checkMillis(given.windowMs, `${name}.windowMs`, 0, true)
  const maxBurst = given.maxBurst === undefined ? maxOps : checkInt(given.maxBurst, `${name}.maxBurst`, 1, U32)
  return Object.freeze({ maxOps, windowMs, maxBurst })
}

/** The runtime class: every operation, typed down by {@link RateLimit}. */
const RateLimitImpl = class RateLimit extends MiddlewareImpl {
  readonly config: Readonly<Required<RateLimitConfig>>

  constructor(inner: unknown, config?: RateLimitConfig) {
    const handle = stackHandle(inner, 'inner')
    const c = checkConfig(config, 'config')
    super(
      call(() => handle.wrapRateLimit(c)),
      inner,
    )
    this.config = c
  }
}

/**
 * Creates a {@link RateLimit}: `new RateLimit(backend, { maxOps: 100, windowMs: 1000, maxBurst: 10 })`,
 * the seeds' `RateLimit::new(backend).with_max_ops(100).with_window(..).with_max_burst(10)`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, RateLimit } from 'anyfs'
 * const fs = new RateLimit(new MemoryBackend(), { maxOps: 100, windowMs: 1000, maxBurst: 10 })
 * ```
 */
export const RateLimit: RateLimitConstructor = RateLimitImpl as unknown as RateLimitConstructor

/**
 * What a {@link RateLimitLayer} makes of a stack: a {@link RateLimit} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, RateLimit, RateLimitKind, Wrapped } from 'anyfs'
 * type W = Wrapped<RateLimitKind, MemoryBackend> // RateLimit<MemoryBackend>
 * ```
 */
export interface RateLimitKind extends LayerKind {
  /** A {@link RateLimit} over the wrapped stack. */
  readonly out: RateLimit<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in a {@link RateLimit}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, RateLimitLayer } from 'anyfs'
 * const fs = new MemoryBackend().layer(RateLimitLayer.builder().maxOps(1000).perSecond().build())
 * ```
 */
export class RateLimitLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: RateLimitKind | undefined

  /** The limit every stack this layer wraps gets (each its own bucket). */
  readonly config: Readonly<Required<RateLimitConfig>>

  /**
   * A layer with `config` (default: 1000 operations per second), checked now.
   *
   * @example
   * ```ts
   * import { RateLimitLayer } from 'anyfs'
   * const layer = new RateLimitLayer({ maxOps: 50, windowMs: 1000 })
   * ```
   */
  constructor(config: RateLimitConfig = {}) {
    this.config = checkConfig(config, 'config')
  }

  /**
   * A builder starting from the defaults (1000 operations per second).
   *
   * @example
   * ```ts
   * import { RateLimitLayer } from 'anyfs'
   * const layer = RateLimitLayer.builder().maxOps(100).perSecond().maxBurst(10).build()
   * ```
   */
  static builder(): RateLimitLayerBuilder {
    return new RateLimitLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, RateLimitLayer } from 'anyfs'
   * const fs = new RateLimitLayer({ maxOps: 10 }).wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): RateLimit<B> {
    return new RateLimit(inner, this.config)
  }

  /**
   * The seeds' spelling of {@link RateLimitLayer.wrap}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, RateLimitLayer } from 'anyfs'
   * const fs = RateLimitLayer.builder().maxOps(1000).perSecond().build().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): RateLimit<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link RateLimitLayer}. Each setter checks its argument at once (`TypeError` for a
 * non-number, `RangeError` out of range).
 *
 * @example
 * ```ts
 * import { RateLimitLayer, type RateLimitLayerBuilder } from 'anyfs'
 * const b: RateLimitLayerBuilder = RateLimitLayer.builder().maxOps(10)
 * const layer = b.window(250).build()
 * ```
 */
export class RateLimitLayerBuilder {
  #maxOps = 1000
  #windowMs = 1000
  #maxBurst: number | undefined

  /**
   * Operations allowed per window on average (an integer from 1 to 2^32 - 1).
   *
   * @example
   * ```ts
   * RateLimitLayer.builder().maxOps(1000)
   * ```
   */
  maxOps(maxOps: number): this {
    this.#maxOps = checkInt(maxOps, 'maxOps', 1, U32)
    return this
  }

  /**
   * The window in milliseconds (> 0).
   *
   * @example
   * ```ts
   * RateLimitLayer.builder().maxOps(5).window(100) // 5 per 100 ms
   * ```
   */
  window(ms: number): this {
    this.#windowMs = checkMillis(ms, 'ms', 0, true)
    return this
  }

  /**
   * A one-second window.
   *
   * @example
   * ```ts
   * RateLimitLayer.builder().maxOps(1000).perSecond()
   * ```
   */
  perSecond(): this {
    this.#windowMs = 1000
    return this
  }

  /**
   * A one-minute window.
   *
   * @example
   * ```ts
   * RateLimitLayer.builder().maxOps(600).perMinute()
   * ```
   */
  perMinute(): this {
    this.#windowMs = 60_000
    return this
  }

  /**
   * Most operations that may pass back to back after a pause (default: `maxOps`).
   *
   * @example
   * ```ts
   * RateLimitLayer.builder().maxOps(100).perSecond().maxBurst(10)
   * ```
   */
  maxBurst(maxBurst: number): this {
    this.#maxBurst = checkInt(maxBurst, 'maxBurst', 1, U32)
    return this
  }

  /**
   * The layer (a snapshot of the builder).
   *
   * @example
   * ```ts
   * const layer = RateLimitLayer.builder().maxOps(10).perSecond().build()
   * ```
   */
  build(): RateLimitLayer {
    const config: RateLimitConfig = { maxOps: this.#maxOps, windowMs: this.#windowMs }
    if (this.#maxBurst !== undefined) config.maxBurst = this.#maxBurst
    return new RateLimitLayer(config)
  }
}
