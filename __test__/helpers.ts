// Shared test helpers: the three ways a call can run, and an adapter that drives one API in
// each of them, so every operation is tested sync, async (settled promise) and async on the
// blocking pool ("offload") with one test body.

import type { ExecutionContext } from 'ava'

import { FileStorage, FsError, MemoryBackend, type FsCanonicalize, type FsPosix } from '../js/index'

export type Mode = 'sync' | 'async' | 'offload'
export const MODES: readonly Mode[] = ['sync', 'async', 'offload']

/** The async signatures of every operation (what the adapter exposes in every mode). */
type AsyncOps<T> = {
  [K in keyof T as K extends `${string}Sync` ? never : T[K] extends (...a: never[]) => Promise<unknown> ? K : never]: T[K]
}
export type Api = AsyncOps<FsPosix & FsCanonicalize>

/**
 * Drives `target` in `mode`: `sync` calls the `*Sync` twin (and checks it did not return a
 * promise), the async modes call the async method (and check it returned one).
 */
export function api(target: object, mode: Mode): Api {
  const t = target as Record<string, (...args: unknown[]) => unknown>
  return new Proxy({} as Api, {
    get(_, name: string) {
      return (...args: unknown[]) => {
        if (mode === 'sync') {
          try {
            const fn = t[`${name}Sync`]
            if (typeof fn !== 'function') throw new Error(`no ${name}Sync`)
            const r = fn.apply(target, args)
            if (r instanceof Promise) throw new Error(`${name}Sync returned a promise`)
            return Promise.resolve(r)
          } catch (err) {
            return Promise.reject(err)
          }
        }
        const fn = t[name]
        if (typeof fn !== 'function') throw new Error(`no ${name}`)
        const r = fn.apply(target, args)
        if (!(r instanceof Promise)) throw new Error(`${name} did not return a promise`)
        return r
      }
    },
  })
}

/** A fresh MemoryBackend whose async calls run as `mode` says. */
export function backend(mode: Mode): MemoryBackend {
  return new MemoryBackend({ offload: mode === 'offload' })
}

/** A fresh FileStorage over a fresh MemoryBackend, driven in `mode`. */
export function storage(mode: Mode): { fs: Api; raw: FileStorage<MemoryBackend> } {
  const raw = new FileStorage(backend(mode))
  return { fs: api(raw, mode), raw }
}

/** Asserts that `promise` rejects with an FsError of `code` and returns it. */
export async function rejectsCode(t: ExecutionContext, promise: Promise<unknown>, code: string): Promise<FsError> {
  const err = await t.throwsAsync(promise, { instanceOf: FsError })
  t.is(err?.code, code, err?.message)
  return err as FsError
}

/** Gives the event loop turns until `done()` holds (events arrive on a later turn, not a fixed one). */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Resolves with the first process warning whose message is `message` (other tests warn too). */
export function warningWith(message: string): Promise<Error> {
  return new Promise((resolve) => {
    const seen = (w: Error): void => {
      if (w.message !== message) return
      process.off('warning', seen)
      resolve(w)
    }
    process.on('warning', seen)
  })
}
