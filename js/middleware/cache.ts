/**
 * {@link Cache} and {@link CacheLayer}: bounded caching of file contents, metadata and
 * directory listings.
 *
 * @module
 */

import type { NativeCache } from '../../binding.js'
import type { Fs, FsPosix } from '../capabilities'
import { invalidArgValue } from '../errors'
import { call, checkInt, checkMillis, checkOptions, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * The bounds of a {@link Cache}; an absent bound keeps its default.
 *
 * @example
 * ```ts
 * import type { CacheOptions } from 'anyfs'
 * const options: CacheOptions = { maxEntries: 10_000, maxSize: 100 * 1024 * 1024, ttl: 300_000 }
 * ```
 */
export interface CacheOptions {
  /** Most entries in each index (paths, metadata, contents and listings). Default 10 000. */
  maxEntries?: number
  /** Most bytes of cached contents and listings together. Default 64 MiB. */
  maxSize?: number
  /** Largest file or listing that is cached; bigger ones are always read through. Default 4 MiB. */
  maxEntrySize?: number
  /** How long an entry may be served after it was filled, in milliseconds (at most 1000 years). Default 60 000. */
  ttl?: number
}

/**
 * A {@link Cache}'s counters.
 *
 * @example
 * ```ts
 * import { CacheLayer, MemoryBackend, type CacheStats } from 'anyfs'
 * const fs = new MemoryBackend().layer(new CacheLayer())
 * const s: CacheStats = fs.stats()
 * s.hits / Math.max(1, s.hits + s.misses) // hit ratio
 * ```
 */
export interface CacheStats {
  /** Lookups answered from the cache (contents, metadata, listings, existence). */
  hits: number
  /** Lookups that went to the wrapped stack. */
  misses: number
  /** Entries held now, all indexes together. */
  entries: number
  /** Bytes of contents and listings held now. */
  bytes: number
}

/**
 * The methods a {@link Cache} adds to its stack.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { Cache, MemoryBackend, type CacheStack } from 'anyfs'
 * const c: CacheStack<MemoryBackend> = new Cache(new MemoryBackend(), { maxEntries: 100 })
 * c.stats().entries // 0
 * ```
 */
export interface CacheStack<B extends Fs> extends MiddlewareStack<B> {
  /** The bounds in force, defaults filled in. */
  readonly options: Readonly<Required<CacheOptions>>
  /**
   * Hit and miss counts and current sizes.
   *
   * @example
   * ```ts
   * const { hits, misses } = cached.stats()
   * ```
   */
  stats(): CacheStats
  /**
   * Drops every entry (O(1)): use it after the wrapped stack was changed behind the cache's
   * back. Changes made *through* the cache never need it.
   *
   * @example
   * ```ts
   * cached.inner.writeSync('/a', 'changed directly')
   * cached.invalidateAll()
   * ```
   */
  invalidateAll(): void
}

/**
 * A stack of type `B` that keeps file contents (`read`), metadata and listings in memory,
 * bounded by entries, bytes and time to live, keeping `B`'s capabilities. Entries are keyed
 * by inode, so every name of a file (symlinks, hard links) shares one entry, and every change
 * made through the cache invalidates what it touches: a read never returns data older than a
 * write that went through this cache. Changes made to the wrapped stack directly are seen
 * after the TTL or {@link CacheStack.invalidateAll}.
 *
 * Worth it over slow storage (SQLite, disks); over the memory backend it only adds work.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { CacheLayer, MemoryBackend } from 'anyfs'
 *
 * const fs = new MemoryBackend().layer(CacheLayer.builder().maxSize(100 * 1024 * 1024).maxEntries(10_000).ttl(300_000).build())
 * fs.writeSync('/file.txt', 'v1')
 * fs.readToStringSync('/file.txt') // 'v1' (fills the cache)
 * fs.readToStringSync('/file.txt') // 'v1' (from memory)
 * fs.writeSync('/file.txt', 'v2')   // invalidates the entry
 * fs.readToStringSync('/file.txt') // 'v2'
 * ```
 */
export type Cache<B extends Fs = FsPosix> = CacheStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link Cache}.
 *
 * @example
 * ```ts
 * import { Cache, MemoryBackend, type CacheConstructor } from 'anyfs'
 * const make: CacheConstructor = Cache
 * const cached = new make(new MemoryBackend(), { ttl: 5_000 })
 * ```
 */
export interface CacheConstructor {
  /** `inner` behind a cache with `options`' bounds. */
  new <B extends Fs>(inner: B, options?: CacheOptions): Cache<B>
  /** The prototype shared by every cache. */
  readonly prototype: Cache
}

const DEFAULTS: Readonly<Required<CacheOptions>> = Object.freeze({
  maxEntries: 10_000,
  maxSize: 64 * 1024 * 1024,
  maxEntrySize: 4 * 1024 * 1024,
  ttl: 60_000,
})
const OPTION_KEYS = Object.keys(DEFAULTS) as (keyof CacheOptions)[]
/** The longest time to live the cache engine (moka) accepts: 1000 years. */
const MAX_TTL_MS = 1000 * 365 * 24 * 3600 * 1000

function checkCacheOptions(value: unknown, name: string): Readonly<Required<CacheOptions>> {
  const given = checkOptions(value, name)
  for (const key of Object.keys(given)) {
    if (!(OPTION_KEYS as string[]).includes(key)) {
      throw invalidArgValue(`${name}.${key}`, given[key], `is not a cache option (one of ${OPTION_KEYS.join(', ')})`)
    }
  }
  const pick = (key: keyof CacheOptions, min: number): number =>
    given[key] === undefined ? DEFAULTS[key] : checkInt(given[key], `${name}.${key}`, min)
  return Object.freeze({
    maxEntries: pick('maxEntries', 1),
    maxSize: pick('maxSize', 0),
    maxEntrySize: pick('maxEntrySize', 0),
    ttl: given.ttl === undefined ? DEFAULTS.ttl : Math.round(checkMillis(given.ttl, `${name}.ttl`, 0, false, MAX_TTL_MS)),
  })
}

/** The runtime class: every operation, typed down by {@link Cache}. */
const CacheImpl = class Cache extends MiddlewareImpl {
  readonly options: Readonly<Required<CacheOptions>>
  readonly #cache: NativeCache

  constructor(inner: unknown, options?: CacheOptions) {
    const handle = stackHandle(inner, 'inner')
    const o = checkCacheOptions(options, 'options')
    const cache = call(() =>
      handle.wrapCache({ maxEntries: o.maxEntries, maxSize: o.maxSize, maxEntrySize: o.maxEntrySize, ttlMs: o.ttl }),
    )
    super(cache.stack(), inner)
    this.#cache = cache
    this.options = o
  }

  stats(): CacheStats {
    const s = this.#cache.stats()
    return { hits: s.hits, misses: s.misses, entries: s.entries, bytes: s.bytes }
  }

  invalidateAll(): void {
    this.#cache.invalidateAll()
  }
}

/**
 * Creates a {@link Cache}: `new Cache(backend, options)`, the seeds'
 * `Cache::new(backend).with_max_size(..).with_max_entries(..).with_ttl(..)`.
 *
 * @example
 * ```ts
 * import { Cache, MemoryBackend } from 'anyfs'
 * const cached = new Cache(new MemoryBackend(), { maxSize: 100 * 1024 * 1024, maxEntries: 10_000, ttl: 300_000 })
 * ```
 */
export const Cache: CacheConstructor = CacheImpl as unknown as CacheConstructor

/**
 * What a {@link CacheLayer} makes of a stack: a {@link Cache} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, Cache, CacheKind, Wrapped } from 'anyfs'
 * type W = Wrapped<CacheKind, MemoryBackend> // Cache<MemoryBackend>
 * ```
 */
export interface CacheKind extends LayerKind {
  /** A {@link Cache} over the wrapped stack. */
  readonly out: Cache<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in a {@link Cache}; each stack it wraps gets its own entries.
 *
 * @example
 * ```ts
 * import { CacheLayer, MemoryBackend } from 'anyfs'
 * const cached = new MemoryBackend().layer(CacheLayer.builder().maxEntries(1_000).ttl(5_000).build())
 * ```
 */
export class CacheLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: CacheKind | undefined

  /** The bounds every stack this layer wraps gets. */
  readonly options: Readonly<Required<CacheOptions>>

  /**
   * A layer with `options` (checked now).
   *
   * @example
   * ```ts
   * import { CacheLayer } from 'anyfs'
   * const layer = new CacheLayer({ maxEntries: 500 })
   * ```
   */
  constructor(options: CacheOptions = {}) {
    this.options = checkCacheOptions(options, 'options')
  }

  /**
   * A builder starting from the defaults.
   *
   * @example
   * ```ts
   * import { CacheLayer } from 'anyfs'
   * const layer = CacheLayer.builder().maxSize(8 * 1024 * 1024).build()
   * ```
   */
  static builder(): CacheLayerBuilder {
    return new CacheLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { CacheLayer, MemoryBackend } from 'anyfs'
   * const cached = new CacheLayer().wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): Cache<B> {
    return new Cache(inner, this.options)
  }

  /**
   * The seeds' spelling of {@link CacheLayer.wrap}.
   *
   * @example
   * ```ts
   * import { CacheLayer, MemoryBackend } from 'anyfs'
   * const cached = new CacheLayer().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): Cache<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link CacheLayer}. Each setter checks its argument at once.
 *
 * @example
 * ```ts
 * import { CacheLayer, type CacheLayerBuilder } from 'anyfs'
 * const b: CacheLayerBuilder = CacheLayer.builder().maxEntries(100)
 * ```
 */
export class CacheLayerBuilder {
  readonly #options: CacheOptions = {}

  /**
   * Most entries per index (an integer >= 1).
   *
   * @example
   * ```ts
   * CacheLayer.builder().maxEntries(10_000)
   * ```
   */
  maxEntries(entries: number): this {
    this.#options.maxEntries = checkInt(entries, 'entries', 1)
    return this
  }

  /**
   * Most bytes of cached contents and listings.
   *
   * @example
   * ```ts
   * CacheLayer.builder().maxSize(100 * 1024 * 1024)
   * ```
   */
  maxSize(bytes: number): this {
    this.#options.maxSize = checkInt(bytes, 'bytes', 0)
    return this
  }

  /**
   * Largest file or listing that is cached.
   *
   * @example
   * ```ts
   * CacheLayer.builder().maxEntrySize(1024 * 1024)
   * ```
   */
  maxEntrySize(bytes: number): this {
    this.#options.maxEntrySize = checkInt(bytes, 'bytes', 0)
    return this
  }

  /**
   * Time to live of every entry, in milliseconds.
   *
   * @example
   * ```ts
   * CacheLayer.builder().ttl(300_000) // 5 minutes
   * ```
   */
  ttl(ms: number): this {
    this.#options.ttl = checkMillis(ms, 'ms', 0, false, MAX_TTL_MS)
    return this
  }

  /**
   * The layer (a snapshot of the builder).
   *
   * @example
   * ```ts
   * const layer = CacheLayer.builder().ttl(1_000).build()
   * ```
   */
  build(): CacheLayer {
    return new CacheLayer({ ...this.#options })
  }
}
