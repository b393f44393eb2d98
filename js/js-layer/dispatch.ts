/**
 * The JS side of the native adapter (`crates/anyfs-node/src/js_backend/`): the dispatcher the
 * adapter calls for every operation of a JS layer, and the adapters themselves.
 *
 * The dispatcher takes `(op, id, s0, s1, bytes, n0, n1, n2)`: `id` 0 is a synchronous call
 * (answer now, with a value or an error descriptor; a promise is refused with `EDEADLK`), any
 * other id an asynchronous one (answer now, or return `null` and settle later with
 * `jsSettle(id, answer)`). It never throws: every failure becomes a descriptor.
 *
 * @internal
 * @module
 */

import { FsError } from '../errors'
import { CAPABILITY_NAMES, native, type NativeFs } from '../native'
import type { CapabilityName } from '../stack'
import { checkAnswer, forNative, type Origin } from './answers'
import { descriptor, layerError } from './failure'
import { abandon, asSync, isAsyncFunction, isThenable, promiseInSyncCall, withTimeout } from './mode'
import { BY_CODE, CAPABILITY_OPS, OPS, type NativeArgs, type OpSpec } from './ops'

/** The dispatcher's signature (see the module docs). */
type Dispatch = (op: number, id: number, s0?: string, s1?: string, bytes?: Uint8Array, n0?: number, n1?: number, n2?: number) => unknown

/** A function-valued property of a JS layer. */
type Method = (...args: unknown[]) => unknown

/** The op codes the adapter calls. */
const NATIVE_CODES: readonly number[] = BY_CODE.flatMap((o, code) => (o?.native ? [code] : []))

/** The path an operation's errors name. */
function pathOf(spec: OpSpec, args: unknown[]): string | undefined {
  const at = spec.pathArg === undefined ? undefined : args[spec.pathArg]
  return typeof at === 'string' ? at : undefined
}

/** An answer as the adapter reads it; `readAt` answers with the bytes read. */
function answerFor(spec: OpSpec, value: unknown, args: unknown[]): unknown {
  if (spec.name === 'readAt') return (args[1] as Buffer).subarray(0, value as number)
  return forNative(spec.kind, value)
}

/** Hands an async call's answer to the adapter (a call that timed out meanwhile drops it). */
function settle(id: number, answer: () => unknown, from: Origin): void {
  let value: unknown
  try {
    value = answer()
  } catch (err) {
    value = descriptor(layerError(err, from.layer, from.op, from.path))
  }
  try {
    native.jsSettle(id, value)
  } catch {
    // Nothing is waiting any more.
  }
}

/** The descriptor of an operation the adapter does not know (a version mismatch). */
function unknownOp(code: number): Error {
  return descriptor(new FsError({ code: 'ENOSYS', kind: 'NotSupported', syscall: `op ${code}` }))
}

/**
 * The dispatcher of an object with `*Sync` twins (a `Middleware`): sync calls go to the twin,
 * async ones to the async method; both already answer in checked, consumer form.
 */
function twinsDispatcher(target: object, layer: string): Dispatch {
  const t = target as Record<string, Method>
  return (code, id, s0, s1, bytes, n0, n1, n2) => {
    const spec = BY_CODE[code]
    if (spec === undefined) return unknownOp(code)
    const args = spec.args([s0, s1, bytes, n0, n1, n2] as NativeArgs)
    const from: Origin = { layer, op: spec.name, path: pathOf(spec, args) }
    try {
      if (id === 0) return answerFor(spec, (t[`${spec.name}Sync`] as Method).apply(target, args), args)
      const answer = (t[spec.name] as Method).apply(target, args)
      if (!isThenable(answer)) return answerFor(spec, answer, args)
      answer.then(
        (value) => settle(id, () => answerFor(spec, value, args), from),
        (err: unknown) => settle(id, () => descriptor(layerError(err, layer, spec.name, from.path)), from),
      )
      return null
    } catch (err) {
      return descriptor(layerError(err, layer, spec.name, from.path))
    }
  }
}

/**
 * The dispatcher of an object of handlers (a JS backend): one handler per operation, checked
 * here; a promise gets `timeout` ms (the adapter waits a little longer, so this clearer error
 * wins whenever the JS thread is free to report it).
 */
function handlersDispatcher(handlers: object, layer: string, timeout: number): Dispatch {
  const h = handlers as Record<string, unknown>
  return (code, id, s0, s1, bytes, n0, n1, n2) => {
    const spec = BY_CODE[code]
    if (spec === undefined) return unknownOp(code)
    const fn = h[spec.name]
    const args = spec.args([s0, s1, bytes, n0, n1, n2] as NativeArgs)
    const from: Origin = { layer, op: spec.name, path: pathOf(spec, args) }
    try {
      if (typeof fn !== 'function') throw new FsError({ code: 'ENOSYS', kind: 'NotSupported', syscall: spec.name })
      if (id === 0) {
        if (isAsyncFunction(fn)) return descriptor(promiseInSyncCall(layer, spec.name, from.path, false))
        const answer = asSync(() => (fn as Method).apply(handlers, args))
        if (isThenable(answer)) {
          abandon(answer)
          return descriptor(promiseInSyncCall(layer, spec.name, from.path, true))
        }
        return answerFor(spec, checkAnswer(spec.kind, answer, from), args)
      }
      const answer = (fn as Method).apply(handlers, args)
      if (!isThenable(answer)) return answerFor(spec, checkAnswer(spec.kind, answer, from), args)
      withTimeout(answer, timeout, layer, spec.name, from.path).then(
        (value) => settle(id, () => answerFor(spec, checkAnswer(spec.kind, value, from), args), from),
        (err: unknown) => settle(id, () => descriptor(layerError(err, layer, spec.name, from.path)), from),
      )
      return null
    } catch (err) {
      return descriptor(layerError(err, layer, spec.name, from.path))
    }
  }
}

/** Capability bits (`caps & (1 << i)` means `CAPABILITY_NAMES[i]`). */
function capabilityBits(names: readonly CapabilityName[]): number {
  return names.reduce((bits, name) => bits | (1 << CAPABILITY_NAMES.indexOf(name)), 0)
}

/**
 * The capabilities a handler object implements: every capability whose required handlers are
 * all there. Half a capability, or less than {@link Fs}, is a `TypeError` naming what is
 * missing.
 */
export function handlerCapabilities(handlers: object, layer: string): CapabilityName[] {
  const h = handlers as Record<string, unknown>
  const caps: CapabilityName[] = []
  for (const [cap, ops] of CAPABILITY_OPS) {
    const missing = ops.filter((o) => typeof h[o.name] !== 'function').map((o) => o.name)
    const basic = cap === 'FsRead' || cap === 'FsWrite' || cap === 'FsDir'
    if (missing.length === 0) caps.push(cap)
    else if (basic || missing.length < ops.length) {
      const err = new TypeError(
        `${layer} is not a complete ${basic ? 'filesystem' : cap}: it lacks ${missing.join(', ')} ` +
          `(${cap} needs ${ops.map((o) => o.name).join(', ')})`,
      )
      ;(err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_VALUE'
      throw err
    }
  }
  return caps
}

/** What a chain of pass-through handlers leads to: a native stack, and the ops none overrides. */
export interface Forwarding {
  readonly below: NativeFs | null
  readonly overridden: ReadonlySet<string>
}

/**
 * A native adapter over an object with `*Sync` twins (a `Middleware`); `blocking`: its async
 * calls run on the pool. The ops `forwarding` says no JS layer overrides go straight to the
 * native stack below, without a call into JS.
 */
export function twinsAdapter(
  target: object,
  capabilities: readonly CapabilityName[],
  timeout: number,
  layer: string,
  blocking: boolean,
  forwarding: Forwarding,
): NativeFs {
  const { below, overridden } = forwarding
  const direct = below === null ? [] : NATIVE_CODES.filter((code) => !overridden.has((BY_CODE[code] as OpSpec).name))
  const spec = { caps: capabilityBits(capabilities), handlers: [...NATIVE_CODES], timeoutMs: timeout, name: layer, blocking, belowOps: direct }
  return native.NativeFs.fromJs(twinsDispatcher(target, layer), spec, below)
}

/**
 * A native adapter over an object of handlers, with the capabilities it implements; unless
 * `synchronous`, its async calls run on the pool.
 */
export function handlersAdapter(handlers: object, timeout: number, layer: string, synchronous = false): NativeFs {
  const caps = handlerCapabilities(handlers, layer)
  const h = handlers as Record<string, unknown>
  const codes = NATIVE_CODES.filter((code) => {
    const o = BY_CODE[code] as OpSpec
    return caps.includes(o.cap) && typeof h[o.name] === 'function'
  })
  if (synchronous) {
    for (const code of codes) {
      const name = (BY_CODE[code] as OpSpec).name
      if (isAsyncFunction(h[name])) {
        const err = new TypeError(`${layer} is declared synchronous, but its ${name} handler is an async function`)
        ;(err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_VALUE'
        throw err
      }
    }
  }
  const spec = { caps: capabilityBits(caps), handlers: codes, timeoutMs: timeout, name: layer, blocking: !synchronous, belowOps: [] }
  return native.NativeFs.fromJs(handlersDispatcher(handlers, layer, timeout), spec, null)
}

/** Whether `value` looks like an object of handlers (it has a method named like an operation). */
export function looksLikeHandlers(value: unknown): value is object {
  return value !== null && typeof value === 'object' && OPS.some((o) => typeof (value as Record<string, unknown>)[o.name] === 'function')
}
