/**
 * How a JS layer's handler is running: inside a synchronous call (it must answer with a
 * value) or an asynchronous one (it may answer with a promise), and the checks both modes
 * share.
 *
 * Inside a synchronous call everything is synchronous: the `*Sync` twins count their depth
 * here, and a `Middleware`'s forwarding methods read it to call their inner's `*Sync` twin.
 * Sound because a synchronous call runs to its end on the JS thread: no promise continuation
 * can run in the middle of it.
 *
 * @internal
 * @module
 */

import { FsError } from '../errors'

/** Synchronous calls into JS layers in progress on this thread. */
let depth = 0

/** Whether a synchronous call is in progress. */
export function inSync(): boolean {
  return depth > 0
}

/** Runs `run` as part of a synchronous call. */
export function asSync<T>(run: () => T): T {
  depth++
  try {
    return run()
  } finally {
    depth--
  }
}

/** Runs `run` as an asynchronous call (a promise's continuation never runs in sync mode). */
export function asAsync<T>(run: () => T): T {
  const saved = depth
  depth = 0
  try {
    return run()
  } finally {
    depth = saved
  }
}

/** Whether `value` is a promise (or any thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/** The constructor of `async function`s. */
const AsyncFunction: unknown = Object.getPrototypeOf(async () => {}).constructor

/** Whether `fn` is an `async` function (it always returns a promise). */
export function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn instanceof (AsyncFunction as typeof Function)
}

/**
 * The error of a synchronous call that reached a handler answering with a promise: waiting for
 * it would block the very thread that has to settle it.
 */
export function promiseInSyncCall(layer: string, op: string, path: string | undefined, ranIt: boolean): FsError {
  const how = ranIt ? 'returned a Promise' : 'is an async function'
  const init = {
    code: 'EDEADLK',
    kind: 'Deadlock' as const,
    syscall: `${op}Sync`,
    message:
      `${op}Sync: the JS layer ${layer}.${op} ${how}, and a synchronous call cannot wait for a promise ` +
      `(the thread it blocks is the one that would settle it). Use the async ${op}(), or make the ` +
      `handler return a value (e.g. \`return super.${op}(...)\` without \`async\`/\`await\`).`,
  }
  return new FsError(path === undefined ? init : { ...init, path })
}

/** Swallows a promise's rejection (for promises a failed synchronous call leaves behind). */
export function abandon(value: PromiseLike<unknown>): void {
  value.then(undefined, () => {})
}

/**
 * `promise`, or an `ETIMEDOUT` rejection if it has not settled after `ms` milliseconds
 * (`Infinity`: no limit). The timer is cleared as soon as the promise settles.
 */
export function withTimeout<T>(promise: PromiseLike<T>, ms: number, layer: string, op: string, path: string | undefined): Promise<T> {
  if (ms === Infinity) return Promise.resolve(promise)
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const init = {
        code: 'ETIMEDOUT',
        kind: 'Timeout' as const,
        syscall: op,
        message: `${op}: the JS layer ${layer}.${op} did not settle within ${ms} ms (its timeout option)`,
      }
      reject(new FsError(path === undefined ? init : { ...init, path }))
    }, ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}
