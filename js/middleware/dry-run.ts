/**
 * {@link DryRun} and {@link DryRunLayer}: mutations are recorded instead of executed.
 *
 * @module
 */

import type { NativeDryRun, NativeOperation } from '../../binding.js'
import type { Fs, FsPosix } from '../capabilities'
import { invalidArgValue } from '../errors'
import type { OpenFlags } from '../types'
import { call, checkInt, checkOptions, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * A recorded write of data: `write`, `append`, `truncate` (`size` is the new length) or
 * `openWrite` (`size` is what was written through the stream so far).
 *
 * @example
 * ```ts
 * import type { RecordedWrite } from 'anyfs'
 * const op: RecordedWrite = { op: 'write', path: '/a.txt', size: 5 }
 * ```
 */
export interface RecordedWrite {
  /** The operation. */
  op: 'write' | 'append' | 'truncate' | 'openWrite'
  /** The file. */
  path: string
  /** Bytes written, or the new length. */
  size: number
}

/**
 * A recorded creation or removal of one path.
 *
 * @example
 * ```ts
 * import type { RecordedPathOp } from 'anyfs'
 * const op: RecordedPathOp = { op: 'createDirAll', path: '/a/b' }
 * ```
 */
export interface RecordedPathOp {
  /** The operation. */
  op: 'removeFile' | 'createDir' | 'createDirAll' | 'removeDir' | 'removeDirAll'
  /** The node. */
  path: string
}

/**
 * A recorded `rename` or `copy`.
 *
 * @example
 * ```ts
 * import type { RecordedMove } from 'anyfs'
 * const op: RecordedMove = { op: 'rename', from: '/draft', to: '/final' }
 * ```
 */
export interface RecordedMove {
  /** The operation. */
  op: 'rename' | 'copy'
  /** The source. */
  from: string
  /** The destination. */
  to: string
}

/**
 * A recorded `symlink` or `hardLink`.
 *
 * @example
 * ```ts
 * import type { RecordedLink } from 'anyfs'
 * const op: RecordedLink = { op: 'symlink', original: '/target', link: '/link' }
 * ```
 */
export interface RecordedLink {
  /** The operation. */
  op: 'symlink' | 'hardLink'
  /** The target (symlink) or the existing file (hard link). */
  original: string
  /** The link that would be created. */
  link: string
}

/**
 * A recorded `setTimes`.
 *
 * @example
 * ```ts
 * import type { RecordedSetTimes } from 'anyfs'
 * const op: RecordedSetTimes = { op: 'setTimes', path: '/a', accessed: null, modified: new Date(0) }
 * ```
 */
export interface RecordedSetTimes {
  /** The operation. */
  op: 'setTimes'
  /** The node. */
  path: string
  /** The new access time, or `null` to leave it. */
  accessed: Date | null
  /** The new modification time, or `null` to leave it. */
  modified: Date | null
}

/**
 * A recorded `setPermissions`.
 *
 * @example
 * ```ts
 * import type { RecordedSetPermissions } from 'anyfs'
 * const op: RecordedSetPermissions = { op: 'setPermissions', path: '/a', mode: 0o600 }
 * ```
 */
export interface RecordedSetPermissions {
  /** The operation. */
  op: 'setPermissions'
  /** The node. */
  path: string
  /** The permission bits. */
  mode: number
}

/**
 * A recorded `setOwner`.
 *
 * @example
 * ```ts
 * import type { RecordedSetOwner } from 'anyfs'
 * const op: RecordedSetOwner = { op: 'setOwner', path: '/a', uid: 1000, gid: null }
 * ```
 */
export interface RecordedSetOwner {
  /** The operation. */
  op: 'setOwner'
  /** The node. */
  path: string
  /** The new owner, or `null` to leave it. */
  uid: number | null
  /** The new group, or `null` to leave it. */
  gid: number | null
}

/**
 * A recorded `open` with flags that may write, create or truncate (a read-only `open` is
 * forwarded, not recorded).
 *
 * @example
 * ```ts
 * import { OpenFlags, type RecordedOpen } from 'anyfs'
 * const op: RecordedOpen = { op: 'open', path: '/a', flags: OpenFlags.WRITE | OpenFlags.CREATE }
 * ```
 */
export interface RecordedOpen {
  /** The operation. */
  op: 'open'
  /** The file. */
  path: string
  /** The {@link OpenFlags} bits. */
  flags: number
}

/**
 * A recorded `writeAt` on a handle from a recorded `open`.
 *
 * @example
 * ```ts
 * import type { RecordedWriteAt } from 'anyfs'
 * const op: RecordedWriteAt = { op: 'writeAt', path: '/a', offset: 0, size: 3 }
 * ```
 */
export interface RecordedWriteAt {
  /** The operation. */
  op: 'writeAt'
  /** The file the handle was opened on. */
  path: string
  /** The position. */
  offset: number
  /** Bytes written. */
  size: number
}

/**
 * A recorded `setXattr` (with the value's `size`) or `removeXattr`.
 *
 * @example
 * ```ts
 * import type { RecordedXattr } from 'anyfs'
 * const op: RecordedXattr = { op: 'setXattr', path: '/a', name: 'user.tag', size: 4 }
 * ```
 */
export interface RecordedXattr {
  /** The operation. */
  op: 'setXattr' | 'removeXattr'
  /** The node. */
  path: string
  /** The attribute. */
  name: string
  /** `setXattr`: the value's length. */
  size?: number
}

/**
 * One mutation a {@link DryRun} recorded instead of executing, discriminated by `op` (the
 * method's name); data payloads are reduced to their size.
 *
 * @example
 * ```ts
 * import type { DryRunOperation } from 'anyfs'
 * function describe(o: DryRunOperation): string {
 *   switch (o.op) {
 *     case 'write': return `write ${o.size} bytes to ${o.path}`
 *     case 'rename': return `rename ${o.from} -> ${o.to}`
 *     default: return o.op
 *   }
 * }
 * ```
 */
export type DryRunOperation =
  | RecordedWrite
  | RecordedPathOp
  | RecordedMove
  | RecordedLink
  | RecordedSetTimes
  | RecordedSetPermissions
  | RecordedSetOwner
  | RecordedOpen
  | RecordedWriteAt
  | RecordedXattr

/**
 * The methods a {@link DryRun} adds to its stack.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { DryRun, MemoryBackend, type DryRunStack } from 'anyfs'
 * const d: DryRunStack<MemoryBackend> = new DryRun(new MemoryBackend())
 * d.createDirSync('/x')
 * d.operations() // [{ op: 'createDir', path: '/x' }]
 * ```
 */
export interface DryRunStack<B extends Fs> extends MiddlewareStack<B> {
  /**
   * The recorded operations, oldest first.
   *
   * @example
   * ```ts
   * for (const o of dry.operations()) console.log(o.op)
   * ```
   */
  operations(): DryRunOperation[]
  /**
   * Removes and returns the recorded operations.
   *
   * @example
   * ```ts
   * const batch = dry.takeOperations()
   * dry.operations().length // 0
   * ```
   */
  takeOperations(): DryRunOperation[]
  /**
   * Forgets the recorded operations and the dropped count.
   *
   * @example
   * ```ts
   * dry.clear()
   * ```
   */
  clear(): void
  /** Operations discarded because the log was full (see {@link DryRunOptions.maxOperations}). */
  readonly dropped: number
}

/**
 * A stack of type `B` that records every mutating operation instead of executing it, keeping
 * `B`'s capabilities. Mutations (`write`, `append`, removals, `rename`, `copy`, `truncate`,
 * `openWrite`, `setTimes`, directory creation, links, permissions, owner, xattrs, writing
 * `open`s and their `writeAt`s) are checked for a valid path, recorded as a
 * {@link DryRunOperation} and answered with success without reaching the wrapped stack; reads
 * see the wrapped stack unchanged, so a write followed by a read returns the **old** content.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { DryRunLayer, FsError, MemoryBackend } from 'anyfs'
 *
 * const fs = new MemoryBackend().layer(new DryRunLayer())
 * fs.writeSync('/test.txt', 'hello') // recorded, not written
 * try {
 *   fs.readSync('/test.txt')
 * } catch (err) {
 *   (err as FsError).code // 'ENOENT'
 * }
 * fs.operations() // [{ op: 'write', path: '/test.txt', size: 5 }]
 * ```
 */
export type DryRun<B extends Fs = FsPosix> = DryRunStack<B> & StackCapabilities<B>

/**
 * Options of {@link DryRun} and {@link DryRunLayer}.
 *
 * @example
 * ```ts
 * import type { DryRunOptions } from 'anyfs'
 * const options: DryRunOptions = { maxOperations: 10_000 }
 * ```
 */
export interface DryRunOptions {
  /** Keep only the newest this many operations (default: unbounded). */
  maxOperations?: number
}

/**
 * The constructor of {@link DryRun}.
 *
 * @example
 * ```ts
 * import { DryRun, MemoryBackend, type DryRunConstructor } from 'anyfs'
 * const make: DryRunConstructor = DryRun
 * const dry = new make(new MemoryBackend(), { maxOperations: 100 })
 * ```
 */
export interface DryRunConstructor {
  /** `inner` in dry-run mode, with an empty log. */
  new <B extends Fs>(inner: B, options?: DryRunOptions): DryRun<B>
  /** The prototype shared by every dry-run stack. */
  readonly prototype: DryRun
}

function checkDryRunOptions(value: unknown, name: string): Readonly<DryRunOptions> {
  const given = checkOptions(value, name)
  for (const key of Object.keys(given)) {
    if (key !== 'maxOperations') throw invalidArgValue(`${name}.${key}`, given[key], 'is not a dry-run option (maxOperations)')
  }
  const out: DryRunOptions = {}
  if (given.maxOperations !== undefined) out.maxOperations = checkInt(given.maxOperations, `${name}.maxOperations`, 1)
  return Object.freeze(out)
}

/** A recorded operation as its typed union member. */
function typed(o: NativeOperation): DryRunOperation {
  const path = o.path
  switch (o.op) {
    case 'write':
    case 'append':
    case 'truncate':
    case 'openWrite':
      return { op: o.op, path, size: o.size ?? 0 }
    case 'rename':
    case 'copy':
      return { op: o.op, from: path, to: o.dest ?? '' }
    case 'symlink':
    case 'hardLink':
      return { op: o.op, original: o.dest ?? '', link: path }
    case 'setTimes':
      return {
        op: 'setTimes',
        path,
        accessed: o.accessed === undefined || o.accessed === null ? null : new Date(o.accessed),
        modified: o.modified === undefined || o.modified === null ? null : new Date(o.modified),
      }
    case 'setPermissions':
      return { op: 'setPermissions', path, mode: o.mode ?? 0 }
    case 'setOwner':
      return { op: 'setOwner', path, uid: o.uid ?? null, gid: o.gid ?? null }
    case 'open':
      return { op: 'open', path, flags: o.flags ?? 0 }
    case 'writeAt':
      return { op: 'writeAt', path, offset: o.offset ?? 0, size: o.size ?? 0 }
    case 'setXattr':
      return { op: 'setXattr', path, name: o.name ?? '', size: o.size ?? 0 }
    case 'removeXattr':
      return { op: 'removeXattr', path, name: o.name ?? '' }
    default:
      // A kind of mutation newer than this file: its name and path still arrive.
      return { op: o.op, path } as RecordedPathOp
  }
}

/** The runtime class: every operation, typed down by {@link DryRun}. */
const DryRunImpl = class DryRun extends MiddlewareImpl {
  readonly #dry: NativeDryRun

  constructor(inner: unknown, options?: DryRunOptions) {
    const handle = stackHandle(inner, 'inner')
    const o = checkDryRunOptions(options, 'options')
    const dry = call(() => handle.wrapDryRun(o.maxOperations))
    super(dry.stack(), inner)
    this.#dry = dry
  }

  operations(): DryRunOperation[] {
    return this.#dry.operations().map(typed)
  }

  takeOperations(): DryRunOperation[] {
    return this.#dry.takeOperations().map(typed)
  }

  clear(): void {
    this.#dry.clear()
  }

  get dropped(): number {
    return this.#dry.dropped
  }
}

/**
 * Creates a {@link DryRun}: `new DryRun(backend)`, the seeds' `DryRun::new(backend)`.
 *
 * @example
 * ```ts
 * import { DryRun, MemoryBackend } from 'anyfs'
 * const dry = new DryRun(new MemoryBackend())
 * dry.removeDirAllSync('/important') // recorded only
 * dry.operations() // [{ op: 'removeDirAll', path: '/important' }]
 * ```
 */
export const DryRun: DryRunConstructor = DryRunImpl as unknown as DryRunConstructor

/**
 * What a {@link DryRunLayer} makes of a stack: a {@link DryRun} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, DryRun, DryRunKind, Wrapped } from 'anyfs'
 * type W = Wrapped<DryRunKind, MemoryBackend> // DryRun<MemoryBackend>
 * ```
 */
export interface DryRunKind extends LayerKind {
  /** A {@link DryRun} over the wrapped stack. */
  readonly out: DryRun<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in a {@link DryRun}; each stack it wraps gets its own log.
 *
 * @example
 * ```ts
 * import { DryRunLayer, MemoryBackend } from 'anyfs'
 * const dry = new MemoryBackend().layer(DryRunLayer.builder().maxOperations(1000).build())
 * ```
 */
export class DryRunLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: DryRunKind | undefined

  /** The options every stack this layer wraps gets. */
  readonly options: Readonly<DryRunOptions>

  /**
   * A layer with `options` (checked now).
   *
   * @example
   * ```ts
   * import { DryRunLayer } from 'anyfs'
   * const layer = new DryRunLayer({ maxOperations: 100 })
   * ```
   */
  constructor(options: DryRunOptions = {}) {
    this.options = checkDryRunOptions(options, 'options')
  }

  /**
   * A builder (unbounded log by default).
   *
   * @example
   * ```ts
   * import { DryRunLayer } from 'anyfs'
   * const layer = DryRunLayer.builder().maxOperations(1000).build()
   * ```
   */
  static builder(): DryRunLayerBuilder {
    return new DryRunLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { DryRunLayer, MemoryBackend } from 'anyfs'
   * const dry = new DryRunLayer().wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): DryRun<B> {
    return new DryRun(inner, this.options)
  }

  /**
   * The seeds' spelling of {@link DryRunLayer.wrap}.
   *
   * @example
   * ```ts
   * import { DryRunLayer, MemoryBackend } from 'anyfs'
   * const dry = new DryRunLayer().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): DryRun<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link DryRunLayer}.
 *
 * @example
 * ```ts
 * import { DryRunLayer, type DryRunLayerBuilder } from 'anyfs'
 * const b: DryRunLayerBuilder = DryRunLayer.builder().maxOperations(50)
 * ```
 */
export class DryRunLayerBuilder {
  #maxOperations: number | undefined

  /**
   * Keep only the newest `max` operations (an integer >= 1); older ones are dropped and counted.
   *
   * @example
   * ```ts
   * DryRunLayer.builder().maxOperations(10_000)
   * ```
   */
  maxOperations(max: number): this {
    this.#maxOperations = checkInt(max, 'max', 1)
    return this
  }

  /**
   * The layer (a snapshot of the builder).
   *
   * @example
   * ```ts
   * const layer = DryRunLayer.builder().build()
   * ```
   */
  build(): DryRunLayer {
    return new DryRunLayer(this.#maxOperations === undefined ? {} : { maxOperations: this.#maxOperations })
  }
}
