/**
 * {@link Overlay} and {@link OverlayLayer}: a writable upper stack over a read-only base.
 *
 * @module
 */

import type { NativeChange, NativeOverlay } from '../../binding.js'
import type { FsFull, FsInode } from '../capabilities'
import { invalidArgValue } from '../errors'
import { native } from '../native'
import { call, MiddlewareImpl, settle, stackHandle, type LayerKind, type MiddlewareStack } from './common'

/**
 * One difference between an {@link Overlay} and its base.
 *
 * @example
 * ```ts
 * import type { OverlayChange } from 'anyfs'
 * const change: OverlayChange = { kind: 'modified', path: '/app/config.json' }
 * ```
 */
export interface OverlayChange {
  /**
   * - `added`: exists in the overlay, not in the base;
   * - `modified`: exists in both, same type, the overlay's version lives in the upper layer;
   * - `deleted`: exists in the base, deleted in the overlay (a whiteout);
   * - `replaced`: the overlay's node hides the base's wholesale (a directory removed and
   *   created again, or a node whose type changed).
   */
  kind: 'added' | 'modified' | 'deleted' | 'replaced'
  /** The path it is about. */
  path: string
}

/**
 * The methods an {@link Overlay} adds to its stack.
 *
 * @typeParam Base - the base layer's type.
 * @typeParam Upper - the upper layer's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Overlay, type OverlayStack } from 'anyfs'
 * const o: OverlayStack<MemoryBackend, MemoryBackend> = new Overlay(new MemoryBackend(), new MemoryBackend())
 * o.diffSync() // []
 * ```
 */
export interface OverlayStack<Base extends FsFull, Upper extends FsFull> extends MiddlewareStack<Base> {
  /** The read-only base layer (the same as {@link MiddlewareStack.inner}). */
  readonly base: Base
  /** The writable upper layer, holding the changes, whiteouts and markers. */
  readonly upper: Upper
  /**
   * Every difference from the base, sorted by path (a directory before its entries). Walks the
   * upper layer only: O(size of the changes), whatever the base's size.
   *
   * @example
   * ```ts
   * for (const { kind, path } of await overlay.diff()) console.log(kind, path)
   * ```
   */
  diff(): Promise<OverlayChange[]>
  /** Synchronous {@link OverlayStack.diff}. */
  diffSync(): OverlayChange[]
  /**
   * Applies the changes onto `target` (typically the base itself, or another stack holding a
   * copy of it) and returns them: deleted and replaced paths are removed from `target`, added
   * and modified ones written with the overlay's content and permissions (files are streamed).
   * Not atomic; the overlay keeps its changes, so call {@link OverlayStack.discard} after a
   * successful commit onto the base.
   *
   * @example
   * ```ts
   * await overlay.commit(overlay.base)
   * await overlay.discard()
   * ```
   */
  commit(target: FsFull): Promise<OverlayChange[]>
  /** Synchronous {@link OverlayStack.commit}. */
  commitSync(target: FsFull): OverlayChange[]
  /**
   * Drops every change: empties the upper layer, so the overlay shows the base again.
   *
   * @example
   * ```ts
   * await overlay.discard()
   * ```
   */
  discard(): Promise<void>
  /** Synchronous {@link OverlayStack.discard}. */
  discardSync(): void
}

/**
 * What an {@link Overlay} offers beyond its own methods: {@link FsFull}, and {@link FsInode}
 * when both layers have it. Never handles, locks or extended attributes: copying a node up
 * could not carry them faithfully, so the overlay does not offer them (its run-time
 * `capabilities` agree).
 *
 * @typeParam Base - the base layer's type.
 * @typeParam Upper - the upper layer's type.
 *
 * @example
 * ```ts
 * import type { FsFull, FsInode, OverlayCapabilities } from 'anyfs'
 * type Both = OverlayCapabilities<FsFull & FsInode, FsFull & FsInode> // FsFull & FsInode
 * ```
 */
export type OverlayCapabilities<Base, Upper> = FsFull & (Base extends FsInode ? (Upper extends FsInode ? FsInode : unknown) : unknown)

/**
 * A union filesystem, Docker-style: reads see the `upper` layer, then the `base`; every change
 * goes to `upper`; `base` is never written.
 *
 * - The first change to a base file copies it up (with its parents, permissions and times);
 *   `write`, `copy` and `openWrite` replace it, so they only create the upper file.
 * - Removing a base node writes one whiteout; removing a whole base directory is one marker,
 *   O(1) however large it is. Listings merge both layers and never show whiteouts or markers;
 *   names starting with `.wh.` are reserved (`EINVAL`).
 * - {@link OverlayStack.diff} lists the changes, {@link OverlayStack.commit} applies them
 *   elsewhere, {@link OverlayStack.discard} drops them.
 *
 * Both layers need {@link FsFull}. Async calls run on the blocking pool when either layer does.
 *
 * @typeParam Base - the base layer's type.
 * @typeParam Upper - the upper layer's type.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, Overlay } from 'anyfs'
 *
 * const template = new MemoryBackend()
 * template.createDirAllSync('/app/src')
 * template.writeSync('/app/src/main.rs', 'fn main() {}')
 *
 * const overlay = new Overlay(template, new MemoryBackend())
 * const fs = new FileStorage(overlay)
 * await fs.append('/app/src/main.rs', ' // edited')  // copied up, then changed
 * await fs.write('/app/notes.txt', 'new')
 * template.readToStringSync('/app/src/main.rs')       // 'fn main() {}': the base is untouched
 * await overlay.diff() // [{ kind: 'added', path: '/app/notes.txt' }, { kind: 'modified', path: '/app/src/main.rs' }]
 * await overlay.discard()                               // back to the template
 * ```
 */
export type Overlay<Base extends FsFull = FsFull, Upper extends FsFull = FsFull> = OverlayStack<Base, Upper> &
  OverlayCapabilities<Base, Upper>

/**
 * The constructor of {@link Overlay}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Overlay, type OverlayConstructor } from 'anyfs'
 * const make: OverlayConstructor = Overlay
 * const o = new make(new MemoryBackend(), new MemoryBackend())
 * ```
 */
export interface OverlayConstructor {
  /** `upper` over `base` (both native stacks with {@link FsFull}). */
  new <Base extends FsFull, Upper extends FsFull>(base: Base, upper: Upper): Overlay<Base, Upper>
  /** The prototype shared by every overlay. */
  readonly prototype: Overlay
}

const KINDS = new Set(['added', 'modified', 'deleted', 'replaced'])

function changes(list: NativeChange[]): OverlayChange[] {
  return list.map((c) => {
    if (!KINDS.has(c.kind)) throw new Error(`anyfs: unknown overlay change kind ${c.kind}`)
    return { kind: c.kind as OverlayChange['kind'], path: c.path }
  })
}

/** The runtime class: every operation, typed down by {@link Overlay}. */
const OverlayImpl = class Overlay extends MiddlewareImpl {
  readonly base: unknown
  readonly upper: unknown
  readonly #overlay: NativeOverlay
  readonly #pool: boolean

  constructor(base: unknown, upper: unknown) {
    const b = stackHandle(base, 'base')
    const u = stackHandle(upper, 'upper')
    if (base === upper) throw invalidArgValue('upper', 'the base', 'must be a different stack than the base')
    const overlay = call(() => new native.NativeOverlay(b, u))
    const stack = overlay.stack()
    super(stack, base)
    this.base = base
    this.upper = upper
    this.#overlay = overlay
    this.#pool = stack.blocking
  }

  diffSync(): OverlayChange[] {
    return changes(call(() => this.#overlay.diff()))
  }

  async diff(): Promise<OverlayChange[]> {
    if (!this.#pool) return this.diffSync()
    return changes(await settle(this.#overlay.diffAsync()))
  }

  commitSync(target: unknown): OverlayChange[] {
    const t = stackHandle(target, 'target')
    return changes(call(() => this.#overlay.commit(t)))
  }

  async commit(target: unknown): Promise<OverlayChange[]> {
    const t = stackHandle(target, 'target')
    if (!this.#pool && !t.blocking) return changes(call(() => this.#overlay.commit(t)))
    return changes(await settle(this.#overlay.commitAsync(t)))
  }

  discardSync(): void {
    call(() => this.#overlay.discard())
  }

  async discard(): Promise<void> {
    if (!this.#pool) return this.discardSync()
    await settle(this.#overlay.discardAsync())
  }
}

/**
 * Creates an {@link Overlay}: `new Overlay(base, upper)`, the seeds' `Overlay::new(base, upper)`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Overlay } from 'anyfs'
 * const base = new MemoryBackend()
 * base.writeSync('/readme', 'hi')
 * const fs = new Overlay(base, new MemoryBackend())
 * fs.writeSync('/readme', 'changed')
 * base.readToStringSync('/readme') // 'hi'
 * ```
 */
export const Overlay: OverlayConstructor = OverlayImpl as unknown as OverlayConstructor

/**
 * What an {@link OverlayLayer} makes of a stack: an {@link Overlay} with it as the base (see
 * {@link LayerKind}).
 *
 * @typeParam Upper - the upper layer's type.
 *
 * @example
 * ```ts
 * import type { MemoryBackend, OverlayKind, Wrapped } from 'anyfs'
 * type W = Wrapped<OverlayKind<MemoryBackend>, MemoryBackend> // Overlay<MemoryBackend, MemoryBackend>
 * ```
 */
export interface OverlayKind<Upper extends FsFull> extends LayerKind {
  /** An {@link Overlay} of the upper layer over the wrapped stack. */
  readonly out: Overlay<Extract<this['in'], FsFull>, Upper>
}

/**
 * The layer that lays an upper stack over the stack it wraps (the base):
 * `base.layer(new OverlayLayer(upper))` is `new Overlay(base, upper)`.
 *
 * @typeParam Upper - the upper layer's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, OverlayLayer } from 'anyfs'
 * const template = new MemoryBackend()
 * const fs = template.layer(OverlayLayer.builder().upper(new MemoryBackend()).build())
 * ```
 */
export class OverlayLayer<Upper extends FsFull> {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: OverlayKind<Upper> | undefined

  /** The upper layer every wrapped stack gets (shared: use one layer per overlay). */
  readonly upper: Upper

  /**
   * A layer putting `upper` over what it wraps.
   *
   * @example
   * ```ts
   * import { MemoryBackend, OverlayLayer } from 'anyfs'
   * const layer = new OverlayLayer(new MemoryBackend())
   * ```
   */
  constructor(upper: Upper) {
    stackHandle(upper, 'upper')
    this.upper = upper
  }

  /**
   * A builder; set the upper layer with {@link OverlayLayerBuilder.upper}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, OverlayLayer } from 'anyfs'
   * const layer = OverlayLayer.builder().upper(new MemoryBackend()).build()
   * ```
   */
  static builder(): OverlayLayerBuilder {
    return new OverlayLayerBuilder()
  }

  /**
   * Lays the upper layer over `base` (what `base.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, OverlayLayer } from 'anyfs'
   * const fs = new OverlayLayer(new MemoryBackend()).wrap(new MemoryBackend())
   * ```
   */
  wrap<Base extends FsFull>(base: Base): Overlay<Base, Upper> {
    return new Overlay(base, this.upper)
  }

  /**
   * The seeds' spelling of {@link OverlayLayer.wrap}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, OverlayLayer } from 'anyfs'
   * const fs = new OverlayLayer(new MemoryBackend()).layer(new MemoryBackend())
   * ```
   */
  layer<Base extends FsFull>(base: Base): Overlay<Base, Upper> {
    return this.wrap(base)
  }
}

/**
 * Builder of {@link OverlayLayer}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, OverlayLayer, type OverlayLayerBuilder } from 'anyfs'
 * const b: OverlayLayerBuilder = OverlayLayer.builder()
 * const layer = b.upper(new MemoryBackend()).build()
 * ```
 */
export class OverlayLayerBuilder {
  /**
   * The writable upper layer; gives a builder that can {@link OverlayLayerReady.build}.
   *
   * @example
   * ```ts
   * OverlayLayer.builder().upper(new MemoryBackend())
   * ```
   */
  upper<Upper extends FsFull>(upper: Upper): OverlayLayerReady<Upper> {
    stackHandle(upper, 'upper')
    return new OverlayLayerReady(upper)
  }
}

/**
 * An {@link OverlayLayerBuilder} with its upper layer set.
 *
 * @typeParam Upper - the upper layer's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, OverlayLayer, type OverlayLayerReady } from 'anyfs'
 * const ready: OverlayLayerReady<MemoryBackend> = OverlayLayer.builder().upper(new MemoryBackend())
 * const layer = ready.build()
 * ```
 */
export class OverlayLayerReady<Upper extends FsFull> {
  readonly #upper: Upper

  /** @internal */
  constructor(upper: Upper) {
    this.#upper = upper
  }

  /**
   * The layer.
   *
   * @example
   * ```ts
   * const layer = OverlayLayer.builder().upper(new MemoryBackend()).build()
   * ```
   */
  build(): OverlayLayer<Upper> {
    return new OverlayLayer(this.#upper)
  }
}
