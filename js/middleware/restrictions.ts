/**
 * {@link Restrictions} and {@link RestrictionsLayer}: opt-in denial of permission changes,
 * symlink creation and hard links (`EPERM`).
 *
 * @module
 */

import type { Fs, FsPosix } from '../capabilities'
import { invalidArgType, invalidArgValue } from '../errors'
import { call, checkOptions, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * The operation groups a {@link Restrictions} denies.
 *
 * @example
 * ```ts
 * import type { DeniedFeatures } from 'anyfs'
 * const denied: DeniedFeatures = { permissions: true, symlinks: false, hardLinks: true }
 * ```
 */
export interface DeniedFeatures {
  /** `setPermissions`, `setOwner` and POSIX ACL xattr changes are refused. */
  permissions?: boolean
  /** `symlink` is refused (existing symlinks are still followed and read). */
  symlinks?: boolean
  /** `hardLink` is refused. */
  hardLinks?: boolean
}

/**
 * The methods a {@link Restrictions} adds to its stack.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Restrictions, type RestrictionsStack } from 'anyfs'
 * const r: RestrictionsStack<MemoryBackend> = new Restrictions(new MemoryBackend(), { symlinks: true })
 * r.denied.symlinks // true
 * ```
 */
export interface RestrictionsStack<B extends Fs> extends MiddlewareStack<B> {
  /** What is denied. */
  readonly denied: Readonly<Required<DeniedFeatures>>
}

/**
 * A stack of type `B` with some operation groups switched off, keeping `B`'s capabilities. By
 * default nothing is denied; each denied group fails with `EPERM` (`FeatureNotEnabled`) before
 * reaching the wrapped stack, whether or not its paths exist. O(1) per call, no lock.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { FsError, MemoryBackend, RestrictionsLayer } from 'anyfs'
 *
 * const fs = new MemoryBackend().layer(RestrictionsLayer.builder().denyHardLinks().denyPermissions().build())
 * fs.writeSync('/a', 'x')
 * fs.symlinkSync('/a', '/link') // symlinks were not denied
 * try {
 *   fs.hardLinkSync('/a', '/b')
 * } catch (err) {
 *   (err as FsError).code // 'EPERM'
 * }
 * ```
 */
export type Restrictions<B extends Fs = FsPosix> = RestrictionsStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link Restrictions}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Restrictions, type RestrictionsConstructor } from 'anyfs'
 * const make: RestrictionsConstructor = Restrictions
 * const fs = new make(new MemoryBackend(), { permissions: true })
 * ```
 */
export interface RestrictionsConstructor {
  /** `inner` with the groups in `denied` switched off (none if omitted). */
  new <B extends Fs>(inner: B, denied?: DeniedFeatures): Restrictions<B>
  /** The prototype shared by every restricted stack. */
  readonly prototype: Restrictions
}

const DENIED_KEYS = ['permissions', 'symlinks', 'hardLinks'] as const

function checkDenied(value: unknown, name: string): Readonly<Required<DeniedFeatures>> {
  const given = checkOptions(value, name)
  for (const key of Object.keys(given)) {
    if (!(DENIED_KEYS as readonly string[]).includes(key)) {
      throw invalidArgValue(`${name}.${key}`, given[key], `is not a feature group (one of ${DENIED_KEYS.join(', ')})`)
    }
  }
  const out = { permissions: false, symlinks: false, hardLinks: false }
  for (const key of DENIED_KEYS) {
    const v = given[key]
    if (v === undefined) continue
    if (typeof v !== 'boolean') throw invalidArgType(`${name}.${key}`, 'of type boolean', v)
    out[key] = v
  }
  return Object.freeze(out)
}

/** The runtime class: every operation, typed down by {@link Restrictions}. */
const RestrictionsImpl = class Restrictions extends MiddlewareImpl {
  readonly denied: Readonly<Required<DeniedFeatures>>

  constructor(inner: unknown, denied?: DeniedFeatures) {
    const handle = stackHandle(inner, 'inner')
    const d = checkDenied(denied, 'denied')
    super(
      call(() => handle.wrapRestrictions(d.permissions, d.symlinks, d.hardLinks)),
      inner,
    )
    this.denied = d
  }
}

/**
 * Creates a {@link Restrictions}: `new Restrictions(backend, { hardLinks: true })`, the seeds'
 * `Restrictions::new(backend).deny_hard_links()`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Restrictions } from 'anyfs'
 * const fs = new Restrictions(new MemoryBackend(), { symlinks: true, hardLinks: true, permissions: true })
 * ```
 */
export const Restrictions: RestrictionsConstructor = RestrictionsImpl as unknown as RestrictionsConstructor

/**
 * What a {@link RestrictionsLayer} makes of a stack: a {@link Restrictions} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, Restrictions, RestrictionsKind, Wrapped } from 'anyfs'
 * type W = Wrapped<RestrictionsKind, MemoryBackend> // Restrictions<MemoryBackend>
 * ```
 */
export interface RestrictionsKind extends LayerKind {
  /** A {@link Restrictions} over the wrapped stack. */
  readonly out: Restrictions<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in {@link Restrictions}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, RestrictionsLayer } from 'anyfs'
 * const fs = new MemoryBackend().layer(RestrictionsLayer.builder().denyPermissions().build())
 * ```
 */
export class RestrictionsLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: RestrictionsKind | undefined

  /** What every stack this layer wraps denies. */
  readonly denied: Readonly<Required<DeniedFeatures>>

  /**
   * A layer denying the groups in `denied` (none if omitted).
   *
   * @example
   * ```ts
   * import { RestrictionsLayer } from 'anyfs'
   * const layer = new RestrictionsLayer({ symlinks: true })
   * ```
   */
  constructor(denied: DeniedFeatures = {}) {
    this.denied = checkDenied(denied, 'denied')
  }

  /**
   * A builder denying nothing yet.
   *
   * @example
   * ```ts
   * import { RestrictionsLayer } from 'anyfs'
   * const layer = RestrictionsLayer.builder().denySymlinks().denyHardLinks().build()
   * ```
   */
  static builder(): RestrictionsLayerBuilder {
    return new RestrictionsLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, RestrictionsLayer } from 'anyfs'
   * const fs = new RestrictionsLayer({ permissions: true }).wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): Restrictions<B> {
    return new Restrictions(inner, this.denied)
  }

  /**
   * The seeds' spelling of {@link RestrictionsLayer.wrap}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, RestrictionsLayer } from 'anyfs'
   * const fs = RestrictionsLayer.builder().denyPermissions().build().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): Restrictions<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link RestrictionsLayer}; starts denying nothing.
 *
 * @example
 * ```ts
 * import { RestrictionsLayer, type RestrictionsLayerBuilder } from 'anyfs'
 * const b: RestrictionsLayerBuilder = RestrictionsLayer.builder().denyPermissions()
 * ```
 */
export class RestrictionsLayerBuilder {
  readonly #denied = { permissions: false, symlinks: false, hardLinks: false }

  /**
   * Refuse `setPermissions`, `setOwner` and POSIX ACL xattr changes.
   *
   * @example
   * ```ts
   * RestrictionsLayer.builder().denyPermissions()
   * ```
   */
  denyPermissions(): this {
    this.#denied.permissions = true
    return this
  }

  /**
   * Refuse `symlink`.
   *
   * @example
   * ```ts
   * RestrictionsLayer.builder().denySymlinks()
   * ```
   */
  denySymlinks(): this {
    this.#denied.symlinks = true
    return this
  }

  /**
   * Refuse `hardLink`.
   *
   * @example
   * ```ts
   * RestrictionsLayer.builder().denyHardLinks()
   * ```
   */
  denyHardLinks(): this {
    this.#denied.hardLinks = true
    return this
  }

  /**
   * The layer (a snapshot of the builder).
   *
   * @example
   * ```ts
   * const layer = RestrictionsLayer.builder().denyHardLinks().build()
   * ```
   */
  build(): RestrictionsLayer {
    return new RestrictionsLayer({ ...this.#denied })
  }
}
