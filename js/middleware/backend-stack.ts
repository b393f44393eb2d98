/**
 * {@link BackendStack}: a fluent builder that wraps a backend in middleware, one call per
 * layer, and hands the result to {@link FileStorage}.
 *
 * @module
 */

import type { Fs, FsFull } from '../capabilities'
import { invalidArgType } from '../errors'
import type { Layer } from '../layer'
import { FileStorage } from '../storage'
import { CacheLayer, CacheLayerBuilder, type Cache } from './cache'
import { configure, type KindedLayer, type LayerKind, type Wrapped } from './common'
import { DryRunLayer, DryRunLayerBuilder, type DryRun } from './dry-run'
import { Overlay } from './overlay'
import { PathFilterLayer, PathFilterLayerBuilder, type PathFilter } from './path-filter'
import { Quota, QuotaLayer, QuotaLayerBuilder } from './quota'
import { RateLimitLayer, RateLimitLayerBuilder, type RateLimit } from './rate-limit'
import { ReadOnly } from './read-only'
import { RestrictionsLayer, RestrictionsLayerBuilder, type Restrictions } from './restrictions'
import { TracingLayer, TracingLayerBuilder, type Tracing } from './tracing'

/**
 * Configures one layer's builder inside a {@link BackendStack} sugar method: return the builder
 * (fluent style) or nothing.
 *
 * @typeParam T - the builder's type.
 *
 * @example
 * ```ts
 * import type { Configure, QuotaLayerBuilder } from 'anyfs'
 * const small: Configure<QuotaLayerBuilder> = (q) => q.maxTotalSize(1 << 20)
 * ```
 */
export type Configure<T> = (builder: T) => T | void

/**
 * A stack being built, layer by layer. Each sugar method adds one middleware, configured
 * through its layer's builder; {@link BackendStack.layer} adds any layer;
 * {@link BackendStack.intoContainer} ends with a {@link FileStorage}.
 *
 * **Order: each layer wraps everything added before it, so the last one added is the
 * outermost and sees a call first.** `.readOnly().dryRun()` records a write before the
 * read-only layer could refuse it; written the other way round, `.dryRun().readOnly()`, the
 * write fails with `EROFS` and is never recorded. The same holds for `backend.layer(..)`
 * chains, which this builder mirrors.
 *
 * The types follow along: every step keeps the capabilities of the stack so far (an overlay
 * drops handles, locks and xattrs), so the final `FileStorage` has exactly its operations.
 *
 * @typeParam B - the stack built so far.
 *
 * @example
 * ```ts
 * import { BackendStack, MemoryBackend } from 'anyfs'
 *
 * const fs = new BackendStack(new MemoryBackend())
 *   .limited((q) => q.maxTotalSize(10 * 1024 * 1024).maxFileSize(1024 * 1024))
 *   .restricted((r) => r.denyHardLinks().denyPermissions())
 *   .filtered((f) => f.allow('/ws/**').deny('.env'))
 *   .rateLimited((r) => r.maxOps(10_000).perSecond())
 *   .traced()
 *   .intoContainer()
 *
 * await fs.createDirAll('/ws/src')
 * await fs.write('/ws/src/a.txt', 'hello')
 * await fs.write('/etc/passwd', 'x').catch((e) => e.code) // 'EACCES'
 * ```
 */
export class BackendStack<B extends Fs> {
  readonly #stack: B

  /**
   * Starts a stack on `backend` (the innermost layer).
   *
   * @example
   * ```ts
   * import { BackendStack, MemoryBackend } from 'anyfs'
   * const stack = new BackendStack(new MemoryBackend())
   * ```
   */
  constructor(backend: B) {
    if (backend === null || typeof backend !== 'object') {
      throw invalidArgType('backend', 'a native backend or middleware stack such as MemoryBackend', backend)
    }
    this.#stack = backend
  }

  /**
   * The stack built so far, as a backend (the seeds' `into_inner`).
   *
   * @example
   * ```ts
   * import { BackendStack, MemoryBackend } from 'anyfs'
   * const quota = new BackendStack(new MemoryBackend()).limited((q) => q.maxNodeCount(10)).backend
   * quota.usage()
   * ```
   */
  get backend(): B {
    return this.#stack
  }

  /**
   * Wraps the stack in any layer; it becomes the outermost.
   *
   * @example
   * ```ts
   * import { BackendStack, MemoryBackend, ReadOnlyLayer } from 'anyfs'
   * const ro = new BackendStack(new MemoryBackend()).layer(new ReadOnlyLayer()).backend
   * ```
   */
  layer<K extends LayerKind>(layer: KindedLayer<K, B>): BackendStack<Extract<Wrapped<K, B>, Fs>>
  layer<Out extends Fs>(layer: Layer<B, Out>): BackendStack<Out>
  // The implementation's own signature is hidden from callers; the overloads above type them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  layer(layer: { wrap(inner: B): unknown }): BackendStack<any> {
    if (layer === null || typeof layer !== 'object' || typeof (layer as { wrap?: unknown }).wrap !== 'function') {
      throw invalidArgType('layer', 'a layer (an object with a wrap method)', layer)
    }
    return new BackendStack(layer.wrap(this.#stack) as Fs)
  }

  /**
   * Adds a {@link Quota}: `.limited((q) => q.maxTotalSize(1 << 20))`.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).limited((q) => q.maxTotalSize(100 * 1024 * 1024).maxFileSize(10 * 1024 * 1024))
   * ```
   */
  limited(configureQuota: Configure<QuotaLayerBuilder>): BackendStack<Quota<B>> {
    const layer = configure(QuotaLayer.builder(), configureQuota, 'configureQuota').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Adds {@link Restrictions}: `.restricted((r) => r.denyHardLinks())`.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).restricted((r) => r.denyHardLinks().denyPermissions())
   * ```
   */
  restricted(configureRestrictions: Configure<RestrictionsLayerBuilder>): BackendStack<Restrictions<B>> {
    const layer = configure(RestrictionsLayer.builder(), configureRestrictions, 'configureRestrictions').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Adds a {@link PathFilter}: `.filtered((f) => f.allow('/ws/**'))`.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).filtered((f) => f.allow('/workspace/**').deny('.env'))
   * ```
   */
  filtered(configureFilter: Configure<PathFilterLayerBuilder>): BackendStack<PathFilter<B>> {
    const layer = configure(PathFilterLayer.builder(), configureFilter, 'configureFilter').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Adds {@link ReadOnly}.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).readOnly()
   * ```
   */
  readOnly(): BackendStack<ReadOnly<B>> {
    return new BackendStack(new ReadOnly(this.#stack))
  }

  /**
   * Adds a {@link RateLimit}: `.rateLimited((r) => r.maxOps(100).perSecond())`.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).rateLimited((r) => r.maxOps(1000).perSecond().maxBurst(100))
   * ```
   */
  rateLimited(configureLimit: Configure<RateLimitLayerBuilder>): BackendStack<RateLimit<B>> {
    const layer = configure(RateLimitLayer.builder(), configureLimit, 'configureLimit').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Adds {@link Tracing}, optionally configured: `.traced((t) => t.onEvent(log))`.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).traced((t) => t.level('info').onEvent((e) => console.log(e.operation)))
   * ```
   */
  traced(configureTracing?: Configure<TracingLayerBuilder>): BackendStack<Tracing<B>> {
    const layer = configure(TracingLayer.builder(), configureTracing, 'configureTracing').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Adds a {@link DryRun}, optionally configured.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).dryRun((d) => d.maxOperations(1000))
   * ```
   */
  dryRun(configureDryRun?: Configure<DryRunLayerBuilder>): BackendStack<DryRun<B>> {
    const layer = configure(DryRunLayer.builder(), configureDryRun, 'configureDryRun').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Adds a {@link Cache}, optionally configured.
   *
   * @example
   * ```ts
   * new BackendStack(new MemoryBackend()).cached((c) => c.maxEntries(1_000).ttl(5_000))
   * ```
   */
  cached(configureCache?: Configure<CacheLayerBuilder>): BackendStack<Cache<B>> {
    const layer = configure(CacheLayer.builder(), configureCache, 'configureCache').build()
    return new BackendStack(layer.wrap(this.#stack))
  }

  /**
   * Lays `upper` over the stack so far, which becomes the read-only base of an
   * {@link Overlay} (both need {@link FsFull}).
   *
   * @example
   * ```ts
   * new BackendStack(template).overlay(new MemoryBackend()).intoContainer()
   * ```
   */
  overlay<Base extends FsFull, Upper extends FsFull>(this: BackendStack<Base>, upper: Upper): BackendStack<Overlay<Base, Upper>> {
    return new BackendStack(new Overlay(this.#stack, upper))
  }

  /**
   * The finished stack in a {@link FileStorage}.
   *
   * @example
   * ```ts
   * const fs = new BackendStack(new MemoryBackend()).readOnly().intoContainer()
   * fs.existsSync('/') // true
   * ```
   */
  intoContainer(): FileStorage<B> {
    return new FileStorage(this.#stack)
  }
}
