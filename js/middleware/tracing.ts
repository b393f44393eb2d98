/**
 * {@link Tracing} and {@link TracingLayer}: one {@link TraceEvent} per operation (path, bytes,
 * outcome, latency), delivered to JS listeners one by one or as columnar {@link TraceBatch}es.
 *
 * @module
 */

import { EventEmitter } from 'node:events'

import type { Fs, FsPosix } from '../capabilities'
import { invalidArgValue } from '../errors'
import { native } from '../native'
import { call, checkFunction, checkInt, checkOptions, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * One completed operation, as a {@link Tracing} stack reports it.
 *
 * @example
 * ```ts
 * import type { TraceEvent } from 'anyfs'
 * function log(e: TraceEvent) {
 *   console.log(`${e.operation} ${e.path ?? ''} ${e.ok ? 'ok' : e.code} ${e.durationMs.toFixed(3)}ms`)
 * }
 * ```
 */
export interface TraceEvent {
  /** The operation, by its method name: `'read'`, `'writeAt'`, `'createDirAll'`, ... */
  readonly operation: string
  /** The path it named: the source of `rename`/`copy`, the `original` of links. */
  readonly path?: string
  /** The second path: the destination of `rename`/`copy`, the new link of `symlink`/`hardLink`. */
  readonly dest?: string
  /** Bytes read (`read`, `readRange`, `readAt`, `getXattr`) or written (`write`, `append`, `writeAt`, `setXattr`); the new length for `truncate`. */
  readonly bytes?: number
  /** The handle of handle operations (for `open`, the handle it returned). */
  readonly handle?: number
  /** The inode of inode operations. */
  readonly inode?: number
  /** Whether the operation succeeded. */
  readonly ok: boolean
  /** The error's POSIX code (`'ENOENT'`, ...) when it failed. */
  readonly code?: string
  /** Time spent in the wrapped stack, in milliseconds (fractional). */
  readonly durationMs: number
}

/**
 * Completed operations as columns, for exporters: what a `'batch'` listener of a {@link Tracing}
 * stack receives, with no object made per event. Event `i` of the batch is described by entry
 * `i` of each column; numbers a {@link TraceEvent} would leave out are `-1` here. Every column
 * is a view of one buffer that belongs to this batch alone (keep it or transfer it as you like).
 * {@link TraceBatch.event} builds the {@link TraceEvent} of one entry when an object is wanted.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Tracing, type TraceBatch } from 'anyfs'
 *
 * const traced = new Tracing(new MemoryBackend())
 * let failures = 0
 * let slowest = 0
 * traced.events.on('batch', (b: TraceBatch) => {
 *   for (let i = 0; i < b.length; i++) {
 *     if (b.ok[i] === 0) console.warn(b.operationNames[b.operation[i]], b.path(i), b.codeNames[b.code[i]])
 *     slowest = Math.max(slowest, b.durationMs[i])
 *   }
 *   failures += b.length - b.ok.reduce((n, ok) => n + ok, 0)
 * })
 * ```
 */
export interface TraceBatch {
  /** How many events the batch holds (the length of every column). */
  readonly length: number
  /**
   * The operation names {@link TraceBatch.operation} indexes: the stack's table, which only
   * grows (names are the method names, as in {@link TraceEvent.operation}).
   */
  readonly operationNames: readonly string[]
  /** Per event, the index of its operation in {@link TraceBatch.operationNames}. */
  readonly operation: Float64Array
  /** Per event, 1 if it succeeded, 0 if it failed. */
  readonly ok: Float64Array
  /** The POSIX codes {@link TraceBatch.code} indexes: the stack's table, which only grows. */
  readonly codeNames: readonly string[]
  /** Per event, the index of its error's code in {@link TraceBatch.codeNames}, or -1 when it succeeded. */
  readonly code: Float64Array
  /** The batch's paths back to back; the `*Start`/`*End` columns cut them out. */
  readonly text: string
  /** Per event, where its path starts in {@link TraceBatch.text} (UTF-16 units, as `slice` counts), or -1 without one. */
  readonly pathStart: Float64Array
  /** Per event, where its path ends in {@link TraceBatch.text}, or -1 without one. */
  readonly pathEnd: Float64Array
  /** Per event, where its second path (see {@link TraceEvent.dest}) starts in {@link TraceBatch.text}, or -1 without one. */
  readonly destStart: Float64Array
  /** Per event, where its second path ends in {@link TraceBatch.text}, or -1 without one. */
  readonly destEnd: Float64Array
  /** Per event, the bytes read or written (see {@link TraceEvent.bytes}), or -1. */
  readonly bytes: Float64Array
  /** Per event, its handle (see {@link TraceEvent.handle}), or -1. */
  readonly handle: Float64Array
  /** Per event, its inode (see {@link TraceEvent.inode}), or -1. */
  readonly inode: Float64Array
  /** Per event, the time spent in the wrapped stack, in milliseconds (fractional). */
  readonly durationMs: Float64Array
  /**
   * The path of event `index`, or `undefined` without one.
   *
   * @example
   * ```ts
   * traced.events.on('batch', (b) => { for (let i = 0; i < b.length; i++) console.log(b.path(i)) })
   * ```
   */
  path(index: number): string | undefined
  /**
   * The second path of event `index` (the destination of `rename`/`copy`, ...), or `undefined`.
   *
   * @example
   * ```ts
   * traced.events.on('batch', (b) => { for (let i = 0; i < b.length; i++) if (b.dest(i) !== undefined) console.log(b.path(i), '->', b.dest(i)) })
   * ```
   */
  dest(index: number): string | undefined
  /**
   * Event `index` as the {@link TraceEvent} an `'event'` listener gets (a new object per call).
   * Throws a `RangeError` when `index` is not an integer in `[0, length)`.
   *
   * @example
   * ```ts
   * traced.events.on('batch', (b) => { if (b.length > 0) console.log(b.event(0)) })
   * ```
   */
  event(index: number): TraceEvent
}

/**
 * A listener of {@link TraceBatch}es (`'batch'` on {@link TracingStack.events}).
 *
 * @example
 * ```ts
 * import type { TraceBatchListener } from 'anyfs'
 * const count: TraceBatchListener = (batch) => console.log(`${batch.length} operations`)
 * ```
 */
export type TraceBatchListener = (batch: TraceBatch) => void

/**
 * The events a {@link Tracing} stack's {@link TracingStack.events} emitter emits.
 *
 * @example
 * ```ts
 * import type { TraceEventMap } from 'anyfs'
 * const names: (keyof TraceEventMap)[] = ['event', 'batch']
 * ```
 */
export interface TraceEventMap {
  /** One completed operation. */
  event: [TraceEvent]
  /** The operations delivered together (at least one), as columns. */
  batch: [TraceBatch]
}

/**
 * A listener of {@link TraceEvent}s.
 *
 * @example
 * ```ts
 * import type { TraceListener } from 'anyfs'
 * const failures: TraceListener = (e) => { if (!e.ok) console.warn(e) }
 * ```
 */
export type TraceListener = (event: TraceEvent) => void

/**
 * The `tracing` level of the spans a {@link Tracing} stack also emits for Rust `tracing`
 * subscribers in the process (JS listeners receive every event whatever the level).
 *
 * @example
 * ```ts
 * import type { TraceLevel } from 'anyfs'
 * const level: TraceLevel = 'info'
 * ```
 */
export type TraceLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error'

/**
 * Options of {@link Tracing} and {@link TracingLayer}.
 *
 * @example
 * ```ts
 * import type { TracingOptions } from 'anyfs'
 * const options: TracingOptions = { target: 'agent::fs', level: 'info', onEvent: (e) => console.log(e.operation) }
 * ```
 */
export interface TracingOptions {
  /** The `tracing` target of the native spans (default `'anyfs'`). */
  target?: string
  /** The `tracing` level of the native spans (default `'debug'`). */
  level?: TraceLevel
  /** A listener added to the stack's {@link TracingStack.events} at once. */
  onEvent?: TraceListener
  /** A `'batch'` listener added to the stack's {@link TracingStack.events} at once. */
  onBatch?: TraceBatchListener
  /**
   * Most events held while the JS thread is busy (default 100 000); beyond it the newest are
   * dropped and counted in {@link TracingStack.dropped}.
   */
  maxPending?: number
}

/**
 * The methods a {@link Tracing} stack adds.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Tracing, type TracingStack } from 'anyfs'
 * const t: TracingStack<MemoryBackend> = new Tracing(new MemoryBackend())
 * t.events.on('event', (e) => console.log(e.operation))
 * ```
 */
export interface TracingStack<B extends Fs> extends MiddlewareStack<B> {
  /**
   * Emits `'event'` with one {@link TraceEvent} per completed operation, in completion order,
   * and `'batch'` with the same operations as columns ({@link TraceBatch}), one batch per
   * delivery, before their `'event'`s. Events are made only while an `'event'` or `'batch'`
   * listener is attached: without one the layer costs only its native `tracing` spans, and
   * operations made meanwhile are not reported later.
   */
  readonly events: EventEmitter<TraceEventMap>
  /** The `tracing` target of the native spans. */
  readonly target: string
  /** The `tracing` level of the native spans. */
  readonly level: TraceLevel
  /** Events dropped because more than `maxPending` waited for the JS thread. */
  readonly dropped: number
  /**
   * Delivers every event queued so far, now, on this thread (they would otherwise arrive after
   * the current JS task). Returns how many it delivered.
   *
   * @example
   * ```ts
   * traced.writeSync('/a', 'x')
   * traced.flush() // the write's event has been emitted when this returns
   * ```
   */
  flush(): number
}

/**
 * A stack of type `B` that reports every operation, keeping `B`'s capabilities. Each completed
 * call becomes a {@link TraceEvent} (operation, paths, bytes, handle or inode, outcome, POSIX
 * code, duration) emitted as `'event'` on {@link TracingStack.events}; the native layer also
 * opens a Rust `tracing` span per call (for `tracing` subscribers, with `target` and `level`).
 *
 * Delivery: events are queued inside the filesystem call and emitted on the JS thread *after*
 * it, never within it — sync calls, async calls and calls running on the blocking pool alike —
 * in the order the calls completed. They arrive once the current JS task ends (or at once with
 * {@link TracingStack.flush}); pending events are also flushed when the process exits. A
 * listener never runs inside the engine, so it may call the same stack; a listener that
 * throws is reported with `process.emitWarning` (the thrown error itself), and the other
 * listeners still get the event and the ones after it.
 *
 * Batches: a `'batch'` listener gets the same operations as an {@link TraceBatch}, one per
 * delivery and before their `'event'`s: typed-array columns (operation, outcome and code,
 * path offsets, bytes, handle, inode, duration) over the batch's buffer, with no JS object per
 * operation — the way for an exporter to ship events in bulk.
 *
 * Cost: the native side appends each event to a columnar buffer (numbers and one string of
 * paths, no JS object); everything queued during a JS task crosses to JS as one batch. Event
 * objects are built in JS, one per event, only while an `'event'` listener is attached: such a
 * listener costs a few hundred nanoseconds per operation on top of its own work; a `'batch'`
 * listener saves the objects but not the native recording, which is most of the cost of cheap
 * operations (measured by `benchmark/suites/layers.mjs`, rows "Tracing (a JS listener per
 * event)" and "Tracing (a batch listener)"). The buffer holds at
 * most `maxPending` events (about 88 bytes each plus their paths): a synchronous loop longer
 * than that, which gives JS no turn to take them, drops the newest and counts them in
 * {@link TracingStack.dropped}; no filesystem call ever waits for a listener.
 *
 * Streams are recorded when opened; the bytes that flow through them later are not.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend, TracingLayer, type TraceEvent } from 'anyfs'
 *
 * const seen: TraceEvent[] = []
 * const traced = new MemoryBackend().layer(TracingLayer.builder().onEvent((e) => seen.push(e)).build())
 * const fs = new FileStorage(traced)
 * await fs.write('/a.txt', 'hello')
 * await fs.read('/missing').catch(() => {})
 * traced.flush()
 * seen.map((e) => [e.operation, e.ok, e.bytes ?? e.code]) // [['write', true, 5], ['read', false, 'ENOENT']]
 * ```
 */
export type Tracing<B extends Fs = FsPosix> = TracingStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link Tracing}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Tracing, type TracingConstructor } from 'anyfs'
 * const make: TracingConstructor = Tracing
 * const traced = new make(new MemoryBackend(), { level: 'info' })
 * ```
 */
export interface TracingConstructor {
  /** `inner`, traced with `options`. */
  new <B extends Fs>(inner: B, options?: TracingOptions): Tracing<B>
  /** The prototype shared by every traced stack. */
  readonly prototype: Tracing
}

const LEVELS: readonly TraceLevel[] = ['trace', 'debug', 'info', 'warn', 'error']
const OPTION_KEYS = ['target', 'level', 'onEvent', 'onBatch', 'maxPending'] as const
const DEFAULT_MAX_PENDING = 100_000

interface CheckedOptions {
  target: string
  level: TraceLevel
  onEvent: TraceListener | undefined
  onBatch: TraceBatchListener | undefined
  maxPending: number
}

function checkTarget(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidArgValue(name, value, 'must be a non-empty string')
  return value
}

function checkLevel(value: unknown, name: string): TraceLevel {
  if (!LEVELS.includes(value as TraceLevel)) throw invalidArgValue(name, value, `must be one of ${LEVELS.join(', ')}`)
  return value as TraceLevel
}

function checkTracingOptions(value: unknown, name: string): CheckedOptions {
  const given = checkOptions(value, name)
  for (const key of Object.keys(given)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw invalidArgValue(`${name}.${key}`, given[key], `is not a tracing option (one of ${OPTION_KEYS.join(', ')})`)
    }
  }
  const onEvent = given.onEvent
  if (onEvent !== undefined) checkFunction(onEvent, `${name}.onEvent`)
  const onBatch = given.onBatch
  if (onBatch !== undefined) checkFunction(onBatch, `${name}.onBatch`)
  return {
    target: given.target === undefined ? 'anyfs' : checkTarget(given.target, `${name}.target`),
    level: given.level === undefined ? 'debug' : checkLevel(given.level, `${name}.level`),
    onEvent: onEvent as TraceListener | undefined,
    onBatch: onBatch as TraceBatchListener | undefined,
    maxPending: given.maxPending === undefined ? DEFAULT_MAX_PENDING : checkInt(given.maxPending, `${name}.maxPending`, 1),
  }
}

/**
 * The layout of a native batch (mirrors `crates/anyfs-node/src/layers/tracing/columns.rs`):
 * eleven columns of `n` numbers each, one after the other in one `Float64Array`, in the order
 * below; the paths back to back in one string (offsets in UTF-16 units); -1 for an absent
 * field; and the operation and error names first used in the batch, appended to the stack's
 * tables.
 */
const STRIDE = 11
const C_OP = 0
const C_CODE = 1
const C_OK = 2
const C_PATH_START = 3
const C_PATH_END = 4
const C_DEST_START = 5
const C_DEST_END = 6
const C_BYTES = 7
const C_HANDLE = 8
const C_INODE = 9
const C_DURATION = 10

/** A batch as the native queue hands it over. */
type NativeBatch = [numbers: Float64Array, text: string, newOps: string[], newCodes: string[]]

/** The runtime {@link TraceBatch}: views of one native batch's columns, no copy. */
class ColumnBatch implements TraceBatch {
  readonly length: number
  readonly operationNames: readonly string[]
  readonly operation: Float64Array
  readonly ok: Float64Array
  readonly codeNames: readonly string[]
  readonly code: Float64Array
  readonly text: string
  readonly pathStart: Float64Array
  readonly pathEnd: Float64Array
  readonly destStart: Float64Array
  readonly destEnd: Float64Array
  readonly bytes: Float64Array
  readonly handle: Float64Array
  readonly inode: Float64Array
  readonly durationMs: Float64Array

  constructor(numbers: Float64Array, text: string, operationNames: readonly string[], codeNames: readonly string[]) {
    const n = numbers.length / STRIDE
    const column = (c: number): Float64Array => numbers.subarray(c * n, (c + 1) * n)
    this.length = n
    this.operationNames = operationNames
    this.operation = column(C_OP)
    this.ok = column(C_OK)
    this.codeNames = codeNames
    this.code = column(C_CODE)
    this.text = text
    this.pathStart = column(C_PATH_START)
    this.pathEnd = column(C_PATH_END)
    this.destStart = column(C_DEST_START)
    this.destEnd = column(C_DEST_END)
    this.bytes = column(C_BYTES)
    this.handle = column(C_HANDLE)
    this.inode = column(C_INODE)
    this.durationMs = column(C_DURATION)
  }

  path(index: number): string | undefined {
    const i = checkInt(index, 'index', 0, this.length - 1)
    return cut(this.text, this.pathStart[i] as number, this.pathEnd[i] as number)
  }

  dest(index: number): string | undefined {
    const i = checkInt(index, 'index', 0, this.length - 1)
    return cut(this.text, this.destStart[i] as number, this.destEnd[i] as number)
  }

  event(index: number): TraceEvent {
    return eventAt(this, checkInt(index, 'index', 0, this.length - 1))
  }
}

/** `text[start, end)`, or `undefined` for an absent path (-1). */
function cut(text: string, start: number, end: number): string | undefined {
  return start < 0 ? undefined : text.slice(start, end)
}

/** The {@link TraceEvent} of entry `i` (in range): present fields only, in a fixed order. */
function eventAt(b: ColumnBatch, i: number): TraceEvent {
  const e: Record<string, unknown> = { operation: b.operationNames[b.operation[i] as number] }
  const pathStart = b.pathStart[i] as number
  if (pathStart >= 0) e.path = b.text.slice(pathStart, b.pathEnd[i])
  const destStart = b.destStart[i] as number
  if (destStart >= 0) e.dest = b.text.slice(destStart, b.destEnd[i])
  const bytes = b.bytes[i] as number
  if (bytes >= 0) e.bytes = bytes
  const handle = b.handle[i] as number
  if (handle >= 0) e.handle = handle
  const inode = b.inode[i] as number
  if (inode >= 0) e.inode = inode
  e.ok = b.ok[i] === 1
  const code = b.code[i] as number
  if (code >= 0) e.code = b.codeNames[code]
  e.durationMs = b.durationMs[i]
  return e as unknown as TraceEvent
}

/** Reports a listener's exception without letting it reach the code that made the call. */
function report(err: unknown): void {
  process.emitWarning(err instanceof Error ? err : String(err), { type: 'AnyfsTraceListenerError' })
}

/** Live traced stacks, flushed when the process exits so no event is silently lost. */
const live = new Set<WeakRef<{ flush(): number }>>()
const forget = new FinalizationRegistry<WeakRef<{ flush(): number }>>((ref) => live.delete(ref))
let exitHook = false

function register(stack: { flush(): number }): void {
  const ref = new WeakRef(stack)
  live.add(ref)
  forget.register(stack, ref)
  if (!exitHook) {
    exitHook = true
    process.on('exit', () => {
      for (const r of live) r.deref()?.flush()
    })
  }
}

/** The emitter's event names that make the native side record events. */
const LISTENED = new Set<string | symbol>(['event', 'batch'])

/** The runtime class: every operation, typed down by {@link Tracing}. */
const TracingImpl = class Tracing extends MiddlewareImpl {
  readonly events: EventEmitter<TraceEventMap>
  readonly target: string
  readonly level: TraceLevel
  readonly #queue: InstanceType<typeof native.NativeTraceQueue>
  /** Operation and error names by the indexes native batches use (sent once each). */
  readonly #ops: string[] = []
  readonly #codes: string[] = []
  /** The `'event'` listeners as last read; `undefined` once they changed. */
  #listeners: TraceListener[] | undefined = undefined
  /** While a batch is being emitted: batches taken meanwhile (a listener's `flush()`), next in line. */
  #backlog: NativeBatch[] | undefined = undefined

  /**
   * What the native queue calls on the JS thread when events wait, with the traced stack they
   * belong to. Static and capturing nothing: the native side holds it strongly, and holds the
   * stack strongly only while events wait (see `crates/anyfs-node/src/layers/tracing.rs`), so
   * an idle traced stack stays collectable even when its listeners refer to it.
   */
  static #dispatch(this: void, target: object | null, numbers: Float64Array, text: string, newOps: string[], newCodes: string[]): void {
    if (target !== null && #queue in target) (target as Tracing).#deliver([numbers, text, newOps, newCodes])
  }

  constructor(inner: unknown, options?: TracingOptions) {
    const handle = stackHandle(inner, 'inner')
    const o = checkTracingOptions(options, 'options')
    const events = new EventEmitter<TraceEventMap>()
    const queue = call(() => new native.NativeTraceQueue(Tracing.#dispatch, o.maxPending))
    super(
      call(() => handle.wrapTracing(o.target, o.level, queue)),
      inner,
    )
    queue.attach(this)
    // Events are made only while someone listens: an emitter drops what nobody listens to,
    // and making them is most of the layer's cost.
    const untyped = events as EventEmitter
    const listening = (): boolean => events.listenerCount('event') + events.listenerCount('batch') > 0
    untyped.on('newListener', (name: string | symbol) => {
      if (LISTENED.has(name)) {
        this.#listeners = undefined
        queue.setListening(true)
      }
    })
    untyped.on('removeListener', (name: string | symbol) => {
      if (LISTENED.has(name)) {
        this.#listeners = undefined
        queue.setListening(listening())
      }
    })
    this.events = events
    this.target = o.target
    this.level = o.level
    this.#queue = queue
    if (o.onEvent !== undefined) events.on('event', o.onEvent)
    if (o.onBatch !== undefined) events.on('batch', o.onBatch)
    register(this)
  }

  get dropped(): number {
    return this.#queue.dropped
  }

  flush(): number {
    return this.#deliver(this.#queue.take() as NativeBatch)
  }

  /**
   * Emits a native batch, or queues it behind the one being emitted (when a listener flushes),
   * so events still reach listeners in the order the calls completed. Returns how many events
   * the batch holds.
   */
  #deliver(batch: NativeBatch): number {
    const [numbers, , newOps, newCodes] = batch
    // The name tables grow in the order batches were taken, even when nobody listens: later
    // batches index them.
    for (const name of newOps) this.#ops.push(name)
    for (const name of newCodes) this.#codes.push(name)
    if (numbers.length === 0) return 0
    if (this.#backlog !== undefined) {
      this.#backlog.push(batch)
    } else {
      const backlog: NativeBatch[] = (this.#backlog = [])
      try {
        for (let next: NativeBatch | undefined = batch; next !== undefined; next = backlog.shift()) {
          this.#emit(new ColumnBatch(next[0], next[1], this.#ops, this.#codes))
        }
      } finally {
        this.#backlog = undefined
      }
    }
    return numbers.length / STRIDE
  }

  /**
   * Hands a batch to every `'batch'` listener, then builds each event and hands it to every
   * `'event'` listener, in order; each listener on its own, so one that throws (reported as a
   * warning) does not starve the others.
   */
  #emit(batch: ColumnBatch): void {
    const emitter = this.events
    // A snapshot, as `emit` takes: listeners added by a listener get the next batch.
    for (const listener of emitter.rawListeners('batch') as TraceBatchListener[]) {
      try {
        listener.call(emitter, batch)
      } catch (err) {
        report(err)
      }
    }
    // Read once per batch (and again only when a listener is added or removed): a copy of the
    // listener array per event would cost more than the event itself.
    this.#listeners = undefined
    for (let i = 0; i < batch.length; i++) {
      const listeners = (this.#listeners ??= emitter.rawListeners('event') as TraceListener[])
      if (listeners.length === 0) break
      const event = eventAt(batch, i)
      for (const listener of listeners) {
        try {
          listener.call(emitter, event)
        } catch (err) {
          report(err)
        }
      }
    }
  }
}

/**
 * Creates a {@link Tracing} stack: `new Tracing(backend, options)`, the seeds'
 * `Tracing::new(backend).with_target(..).with_level(..)`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, Tracing } from 'anyfs'
 * const traced = new Tracing(new MemoryBackend(), { target: 'anyfs', level: 'debug' })
 * traced.events.on('event', (e) => console.log(e.operation, e.path, e.durationMs))
 * ```
 */
export const Tracing: TracingConstructor = TracingImpl as unknown as TracingConstructor

/**
 * What a {@link TracingLayer} makes of a stack: a {@link Tracing} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, Tracing, TracingKind, Wrapped } from 'anyfs'
 * type W = Wrapped<TracingKind, MemoryBackend> // Tracing<MemoryBackend>
 * ```
 */
export interface TracingKind extends LayerKind {
  /** A {@link Tracing} over the wrapped stack. */
  readonly out: Tracing<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in {@link Tracing}. Its listeners are added to every stack it
 * wraps.
 *
 * @example
 * ```ts
 * import { MemoryBackend, TracingLayer } from 'anyfs'
 * const traced = new MemoryBackend().layer(new TracingLayer())
 * traced.events.on('event', (e) => console.log(e))
 * ```
 */
export class TracingLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: TracingKind | undefined

  /** The options every stack this layer wraps gets. */
  readonly options: Readonly<TracingOptions>

  /**
   * A layer with `options` (checked now).
   *
   * @example
   * ```ts
   * import { TracingLayer } from 'anyfs'
   * const layer = new TracingLayer({ level: 'info', onEvent: (e) => console.log(e.operation) })
   * ```
   */
  constructor(options: TracingOptions = {}) {
    const o = checkTracingOptions(options, 'options')
    const kept: TracingOptions = { target: o.target, level: o.level, maxPending: o.maxPending }
    if (o.onEvent !== undefined) kept.onEvent = o.onEvent
    if (o.onBatch !== undefined) kept.onBatch = o.onBatch
    this.options = Object.freeze(kept)
  }

  /**
   * A builder with the defaults (target `'anyfs'`, level `'debug'`, no listener).
   *
   * @example
   * ```ts
   * import { TracingLayer } from 'anyfs'
   * const layer = TracingLayer.builder().target('agent::fs').level('info').build()
   * ```
   */
  static builder(): TracingLayerBuilder {
    return new TracingLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, TracingLayer } from 'anyfs'
   * const traced = new TracingLayer().wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): Tracing<B> {
    return new Tracing(inner, this.options)
  }

  /**
   * The seeds' spelling of {@link TracingLayer.wrap}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, TracingLayer } from 'anyfs'
   * const traced = new TracingLayer().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): Tracing<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link TracingLayer}.
 *
 * @example
 * ```ts
 * import { TracingLayer, type TracingLayerBuilder } from 'anyfs'
 * const b: TracingLayerBuilder = TracingLayer.builder().level('warn')
 * ```
 */
export class TracingLayerBuilder {
  readonly #options: TracingOptions = {}

  /**
   * The `tracing` target of the native spans (a non-empty string).
   *
   * @example
   * ```ts
   * TracingLayer.builder().target('myapp::fs')
   * ```
   */
  target(target: string): this {
    this.#options.target = checkTarget(target, 'target')
    return this
  }

  /**
   * The `tracing` level of the native spans.
   *
   * @example
   * ```ts
   * TracingLayer.builder().level('info')
   * ```
   */
  level(level: TraceLevel): this {
    this.#options.level = checkLevel(level, 'level')
    return this
  }

  /**
   * A listener added to every traced stack (one; call again to replace it, or add more with
   * `stack.events.on('event', ..)`).
   *
   * @example
   * ```ts
   * TracingLayer.builder().onEvent((e) => { if (!e.ok) console.warn(e.operation, e.code) })
   * ```
   */
  onEvent(listener: TraceListener): this {
    checkFunction(listener, 'listener')
    this.#options.onEvent = listener
    return this
  }

  /**
   * A `'batch'` listener added to every traced stack (one; call again to replace it, or add
   * more with `stack.events.on('batch', ..)`): it gets each delivery's operations as columns
   * ({@link TraceBatch}), with no object per operation, which suits exporters.
   *
   * @example
   * ```ts
   * let bytes = 0
   * TracingLayer.builder().onBatch((b) => { for (let i = 0; i < b.length; i++) bytes += Math.max(0, b.bytes[i]) })
   * ```
   */
  onBatch(listener: TraceBatchListener): this {
    checkFunction(listener, 'listener')
    this.#options.onBatch = listener
    return this
  }

  /**
   * Most events held while the JS thread is busy (default 100 000).
   *
   * @example
   * ```ts
   * TracingLayer.builder().maxPending(10_000)
   * ```
   */
  maxPending(events: number): this {
    this.#options.maxPending = checkInt(events, 'events', 1)
    return this
  }

  /**
   * The layer (a snapshot of the builder).
   *
   * @example
   * ```ts
   * const layer = TracingLayer.builder().level('info').build()
   * ```
   */
  build(): TracingLayer {
    return new TracingLayer({ ...this.#options })
  }
}
