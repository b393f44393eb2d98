/**
 * {@link Quota} and {@link QuotaLayer}: limits on bytes, file size, nodes, directory entries
 * and path depth.
 *
 * @module
 */

import type { Fs, FsPosix } from '../capabilities'
import { invalidArgValue } from '../errors'
import type { NativeQuota } from '../../binding.js'
import { NativeStack } from '../stack'
import { call, checkInt, checkOptions, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * The limits of a {@link Quota}; an absent limit is unlimited.
 *
 * @example
 * ```ts
 * import type { QuotaLimits } from 'anyfs'
 * const limits: QuotaLimits = { maxTotalSize: 100 * 1024 * 1024, maxFileSize: 5 * 1024 * 1024 }
 * ```
 */
export interface QuotaLimits {
  /** Bytes of file content in total (each file once, however many hard links name it). `ENOSPC` beyond. */
  maxTotalSize?: number
  /** Bytes of one file. `EFBIG` beyond. */
  maxFileSize?: number
  /** Files, directories and symlinks (the root not included). `ENOSPC` beyond. */
  maxNodeCount?: number
  /** Entries of one directory. `ENOSPC` beyond. */
  maxDirEntries?: number
  /** Components of a node's path (`/a/b` has depth 2). `ENOSPC` beyond. */
  maxPathDepth?: number
}

/**
 * What a {@link Quota} counts as used.
 *
 * @example
 * ```ts
 * import { MemoryBackend, QuotaLayer, type QuotaUsage } from 'anyfs'
 * const fs = new MemoryBackend().layer(new QuotaLayer({ maxTotalSize: 1024 }))
 * fs.writeSync('/a', 'hello')
 * const used: QuotaUsage = fs.usage() // { totalSize: 5, nodeCount: 1 }
 * ```
 */
export interface QuotaUsage {
  /** Bytes of file content. */
  totalSize: number
  /** Files, directories and symlinks, the root not included. */
  nodeCount: number
}

/**
 * What is left of a {@link Quota}'s totals; `null` where there is no limit.
 *
 * @example
 * ```ts
 * import { MemoryBackend, QuotaLayer, type QuotaRemaining } from 'anyfs'
 * const fs = new MemoryBackend().layer(new QuotaLayer({ maxTotalSize: 1024 }))
 * const left: QuotaRemaining = fs.remaining() // { totalSize: 1024, nodeCount: null }
 * ```
 */
export interface QuotaRemaining {
  /** Bytes that may still be added, or `null` if unlimited. */
  totalSize: number | null
  /** Nodes that may still be created, or `null` if unlimited. */
  nodeCount: number | null
}

/**
 * The methods a {@link Quota} adds to its stack.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Quota, type QuotaStack } from 'anyfs'
 * const q: QuotaStack<MemoryBackend> = new Quota(new MemoryBackend(), { maxNodeCount: 10 })
 * q.remaining().nodeCount // 10
 * ```
 */
export interface QuotaStack<B extends Fs> extends MiddlewareStack<B> {
  /** The limits, as given. */
  readonly limits: Readonly<QuotaLimits>
  /**
   * What is used now (O(1)).
   *
   * @example
   * ```ts
   * const { totalSize, nodeCount } = quota.usage()
   * ```
   */
  usage(): QuotaUsage
  /**
   * What is left of the total size and node count (O(1)).
   *
   * @example
   * ```ts
   * if ((quota.remaining().totalSize ?? Infinity) < data.length) console.log('would not fit')
   * ```
   */
  remaining(): QuotaRemaining
  /**
   * Measures the wrapped stack again (one walk of its tree, on the calling thread) after it was
   * changed directly rather than through the quota, and returns the new usage.
   *
   * @example
   * ```ts
   * backend.writeSync('/outside-the-quota', 'x')
   * quota.rescan().totalSize // now counts it
   * ```
   */
  rescan(): QuotaUsage
}

/**
 * A stack with resource limits, over a stack of type `B`, keeping `B`'s capabilities.
 *
 * Usage is measured from the wrapped stack's existing content when the quota is built, then
 * kept up to date by every change made through it: `write`, `append`, `truncate`, `copy`,
 * `writeAt` and streamed writes (`openWrite`, counted chunk by chunk) are checked before they
 * run, so a refused call leaves no partial data; a hard link is not counted twice. Errors:
 * `ENOSPC` (`QuotaExceeded`) for the total size, node count, directory entries and depth,
 * `EFBIG` (`FileSizeExceeded`) for one file's size. Mutations through one quota are
 * serialized (the check and the write are one step), reads are not slowed.
 *
 * Put it below a {@link PathFilter} (add it first), as the seeds' sandbox does, so it measures
 * the whole storage.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { FileStorage, FsError, MemoryBackend, QuotaLayer } from 'anyfs'
 *
 * const backend = new MemoryBackend().layer(QuotaLayer.builder().maxTotalSize(1024).maxFileSize(600).build())
 * const fs = new FileStorage(backend)
 * await fs.write('/a.bin', new Uint8Array(500))
 * backend.usage()     // { totalSize: 500, nodeCount: 1 }
 * backend.remaining() // { totalSize: 524, nodeCount: null }
 * try {
 *   await fs.write('/b.bin', new Uint8Array(700))
 * } catch (err) {
 *   (err as FsError).code // 'EFBIG'
 * }
 * ```
 */
export type Quota<B extends Fs = FsPosix> = QuotaStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link Quota}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Quota, type QuotaConstructor } from 'anyfs'
 * const make: QuotaConstructor = Quota
 * const q = new make(new MemoryBackend(), { maxTotalSize: 1 << 20 })
 * ```
 */
export interface QuotaConstructor {
  /**
   * A quota over `inner` with `limits` (none: it only counts). Measures `inner`'s existing
   * content first (O(nodes)); a failed measurement throws.
   */
  new <B extends Fs>(inner: B, limits?: QuotaLimits): Quota<B>
  /** The prototype shared by every quota. */
  readonly prototype: Quota
}

const LIMIT_KEYS = ['maxTotalSize', 'maxFileSize', 'maxNodeCount', 'maxDirEntries', 'maxPathDepth'] as const

/** Checked, frozen limits: unknown keys are refused, so a typo cannot mean "unlimited". */
function checkLimits(value: unknown, name: string): Readonly<QuotaLimits> {
  const given = checkOptions(value, name)
  const out: QuotaLimits = {}
  for (const key of Object.keys(given)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) {
      throw invalidArgValue(`${name}.${key}`, given[key], `is not a quota limit (one of ${LIMIT_KEYS.join(', ')})`)
    }
  }
  for (const key of LIMIT_KEYS) {
    const v = given[key]
    if (v !== undefined) out[key] = checkInt(v, `${name}.${key}`, 0)
  }
  return Object.freeze(out)
}

/** The runtime class: every operation, typed down by {@link Quota}. */
const QuotaImpl = class Quota extends NativeStack {
  readonly inner: unknown
  readonly limits: Readonly<QuotaLimits>
  readonly #quota: NativeQuota

  constructor(inner: unknown, limits?: QuotaLimits) {
    const handle = stackHandle(inner, 'inner')
    const checked = checkLimits(limits, 'limits')
    const quota = call(() => handle.wrapQuota(checked))
    super(quota.stack())
    this.#quota = quota
    this.inner = inner
    this.limits = checked
  }

  usage(): QuotaUsage {
    const u = this.#quota.usage()
    return { totalSize: u.totalSize, nodeCount: u.nodeCount }
  }

  remaining(): QuotaRemaining {
    const r = this.#quota.remaining()
    return { totalSize: r.totalSize ?? null, nodeCount: r.nodeCount ?? null }
  }

  rescan(): QuotaUsage {
    const u = call(() => this.#quota.rescan())
    return { totalSize: u.totalSize, nodeCount: u.nodeCount }
  }
}

/**
 * Creates a {@link Quota} over a stack: `new Quota(backend, limits)`, the seeds'
 * `Quota::new(backend).with_max_total_size(..)`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Quota } from 'anyfs'
 * const fs = new Quota(new MemoryBackend(), { maxTotalSize: 100 * 1024 * 1024, maxPathDepth: 64 })
 * fs.createDirAllSync('/a/b')
 * fs.usage().nodeCount // 2
 * ```
 */
export const Quota: QuotaConstructor = QuotaImpl as unknown as QuotaConstructor

/**
 * What a {@link QuotaLayer} makes of a stack: a {@link Quota} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, Quota, QuotaKind, Wrapped } from 'anyfs'
 * type W = Wrapped<QuotaKind, MemoryBackend> // Quota<MemoryBackend>
 * ```
 */
export interface QuotaKind extends LayerKind {
  /** A {@link Quota} over the wrapped stack. */
  readonly out: Quota<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in a {@link Quota}: `backend.layer(quotaLayer)`. Reusable: each
 * stack it wraps gets its own quota (its own usage).
 *
 * @example
 * ```ts
 * import { MemoryBackend, QuotaLayer } from 'anyfs'
 * const backend = new MemoryBackend().layer(
 *   QuotaLayer.builder()
 *     .maxTotalSize(100 * 1024 * 1024)
 *     .maxFileSize(5 * 1024 * 1024)
 *     .maxNodeCount(10_000)
 *     .maxDirEntries(1_000)
 *     .maxPathDepth(64)
 *     .build(),
 * )
 * ```
 */
export class QuotaLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: QuotaKind | undefined

  /** The limits every stack this layer wraps gets. */
  readonly limits: Readonly<QuotaLimits>

  /**
   * A layer with `limits` (checked now: `TypeError`/`RangeError` for bad values or unknown
   * keys).
   *
   * @example
   * ```ts
   * import { QuotaLayer } from 'anyfs'
   * const layer = new QuotaLayer({ maxFileSize: 1 << 20 })
   * ```
   */
  constructor(limits: QuotaLimits = {}) {
    this.limits = checkLimits(limits, 'limits')
  }

  /**
   * A builder with no limits set.
   *
   * @example
   * ```ts
   * import { QuotaLayer } from 'anyfs'
   * const layer = QuotaLayer.builder().maxTotalSize(1 << 30).build()
   * ```
   */
  static builder(): QuotaLayerBuilder {
    return new QuotaLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, QuotaLayer } from 'anyfs'
   * const fs = new QuotaLayer({ maxNodeCount: 100 }).wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): Quota<B> {
    return new Quota(inner, this.limits)
  }

  /**
   * The seeds' spelling of {@link QuotaLayer.wrap}: `QuotaLayer.builder()...build().layer(backend)`.
   *
   * @example
   * ```ts
   * import { MemoryBackend, QuotaLayer } from 'anyfs'
   * const fs = QuotaLayer.builder().maxTotalSize(1 << 20).build().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): Quota<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link QuotaLayer}; every limit starts unset (unlimited). Each setter checks its
 * argument at once (`TypeError` for a non-number, `RangeError` for a negative or fractional
 * one).
 *
 * @example
 * ```ts
 * import { QuotaLayer, type QuotaLayerBuilder } from 'anyfs'
 * const b: QuotaLayerBuilder = QuotaLayer.builder().maxTotalSize(1024)
 * const layer = b.maxFileSize(512).build()
 * ```
 */
export class QuotaLayerBuilder {
  readonly #limits: QuotaLimits = {}

  /**
   * Bytes of file content in total.
   *
   * @example
   * ```ts
   * QuotaLayer.builder().maxTotalSize(100 * 1024 * 1024)
   * ```
   */
  maxTotalSize(bytes: number): this {
    this.#limits.maxTotalSize = checkInt(bytes, 'bytes', 0)
    return this
  }

  /**
   * Bytes of one file.
   *
   * @example
   * ```ts
   * QuotaLayer.builder().maxFileSize(5 * 1024 * 1024)
   * ```
   */
  maxFileSize(bytes: number): this {
    this.#limits.maxFileSize = checkInt(bytes, 'bytes', 0)
    return this
  }

  /**
   * Files, directories and symlinks.
   *
   * @example
   * ```ts
   * QuotaLayer.builder().maxNodeCount(10_000)
   * ```
   */
  maxNodeCount(nodes: number): this {
    this.#limits.maxNodeCount = checkInt(nodes, 'nodes', 0)
    return this
  }

  /**
   * Entries of one directory.
   *
   * @example
   * ```ts
   * QuotaLayer.builder().maxDirEntries(1_000)
   * ```
   */
  maxDirEntries(entries: number): this {
    this.#limits.maxDirEntries = checkInt(entries, 'entries', 0)
    return this
  }

  /**
   * Components of a node's path.
   *
   * @example
   * ```ts
   * QuotaLayer.builder().maxPathDepth(64)
   * ```
   */
  maxPathDepth(depth: number): this {
    this.#limits.maxPathDepth = checkInt(depth, 'depth', 0)
    return this
  }

  /**
   * The layer (a snapshot: changing the builder later does not change it).
   *
   * @example
   * ```ts
   * const layer = QuotaLayer.builder().maxTotalSize(1024).build()
   * ```
   */
  build(): QuotaLayer {
    return new QuotaLayer({ ...this.#limits })
  }
}
