/**
 * {@link JsBackend}: a complete backend written in JavaScript, as an object of handlers.
 *
 * @module
 */

import type { Fs, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsStats, FsSync, FsXattr } from '../capabilities'
import { invalidArgType } from '../errors'
import type { LayeredStack } from '../middleware/common'
import { NativeStack } from '../stack'
import { handlersAdapter } from './dispatch'
import type { JsFs, JsFsHandles, JsFsInode, JsFsLink, JsFsLock, JsFsPermissions, JsFsPosix, JsFsStats, JsFsSync, JsFsXattr } from './handlers'
import type { MiddlewareOptions } from './middleware'
import { checkTimeout, layerName } from './options'

/**
 * The capability interfaces a backend with handlers `H` has beyond {@link Fs}: one per
 * handler interface `H` implements ({@link JsFsLink} gives {@link FsLink}, ...).
 *
 * @typeParam H - the handlers' type.
 *
 * @example
 * ```ts
 * import type { JsCapabilities, JsFs, JsFsLink } from 'anyfs'
 * type Links = JsCapabilities<JsFs & JsFsLink> // FsLink
 * ```
 */
export type JsCapabilities<H> = (H extends JsFsLink ? FsLink : unknown) &
  (H extends JsFsPermissions ? FsPermissions : unknown) &
  (H extends JsFsSync ? FsSync : unknown) &
  (H extends JsFsStats ? FsStats : unknown) &
  (H extends JsFsInode ? FsInode : unknown) &
  (H extends JsFsHandles ? FsHandles : unknown) &
  (H extends JsFsLock ? FsLock : unknown) &
  (H extends JsFsXattr ? FsXattr : unknown)

/**
 * What every {@link JsBackend} has: the {@link Fs} operations (each async with a `*Sync` twin),
 * and, as every stack, its capability names, batches and layering ({@link LayeredStack}), plus
 * its handlers.
 *
 * @typeParam H - the handlers' type.
 *
 * @example
 * ```ts
 * import { JsBackend, type JsBackendBase, type JsFs } from 'anyfs'
 * declare const handlers: JsFs
 * const backend: JsBackendBase<JsFs> = new JsBackend(handlers)
 * backend.handlers === handlers // true
 * ```
 */
export interface JsBackendBase<H extends JsFs> extends LayeredStack {
  /** The handler object (shared, not copied). */
  readonly handlers: H
}

/**
 * A complete backend written in JavaScript: an object (or class instance) of handlers, one per
 * operation ({@link JsFs}, {@link JsFsLink}, ...), each returning its result or a promise of
 * it. Wrapped this way it is a stack like any native backend: {@link FileStorage}, native
 * middleware ({@link Quota}, {@link PathFilter}, ...) and {@link Middleware} layers all accept
 * it, and its type has exactly the capabilities its handlers' type implements — a backend
 * implementing only {@link JsFs} gives a `FileStorage` without `symlink()`.
 *
 * Its capabilities at run time are the handler groups it implements completely (half a group
 * is a `TypeError`); a few optional handlers are composed from the others when absent
 * (`readToString`, `exists`, `copy`, `createDirAll`, `removeDirAll`), and streams are served by
 * `read`, `write` and `append`. Handlers receive checked arguments: absolute paths as the
 * layer above passes them, data as `Buffer`s, times as `Date | null`.
 *
 * Calls go through the native adapter: sync calls call the handler directly (a promise there
 * fails with `EDEADLK`); async calls run on the blocking pool and wait for the handler's
 * promise, at most `timeout` ms (`ETIMEDOUT`) — or, with `{ synchronous: true }` (handlers that
 * never answer with a promise), are served on the JS thread like sync calls, with no thread
 * hop. Errors are handled as in {@link Middleware}.
 *
 * @typeParam H - the handlers' type.
 *
 * @example
 * ```ts
 * import { FileStorage, FsError, JsBackend, QuotaLayer, type JsFs } from 'anyfs'
 *
 * const notFound = (path: string) => new FsError({ code: 'ENOENT', kind: 'NotFound', syscall: 'read', path })
 * class MapFs implements JsFs {
 *   files = new Map<string, Buffer>()
 *   dirs = new Set(['/'])
 *   read(path: string) { const d = this.files.get(path); if (!d) throw notFound(path); return d }
 *   readRange(path: string, offset: number, length: number) { return this.read(path).subarray(offset, offset + length) }
 *   metadata(path: string) {
 *     if (this.dirs.has(path)) return { fileType: 'directory' as const }
 *     return { fileType: 'file' as const, size: this.read(path).length }
 *   }
 *   write(path: string, data: Uint8Array) { this.files.set(path, Buffer.from(data)) }
 *   append(path: string, data: Uint8Array) { this.write(path, Buffer.concat([this.files.get(path) ?? Buffer.alloc(0), data])) }
 *   removeFile(path: string) { if (!this.files.delete(path)) throw notFound(path) }
 *   rename(from: string, to: string) { this.write(to, this.read(from)); this.files.delete(from) }
 *   truncate(path: string, size: number) { const d = Buffer.alloc(size); this.read(path).copy(d); this.write(path, d) }
 *   readDir(path: string) {
 *     const prefix = path === '/' ? '/' : `${path}/`
 *     const names = [...this.files.keys(), ...this.dirs].filter((p) => p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
 *     return names.map((p) => ({ name: p.slice(prefix.length), fileType: this.dirs.has(p) ? ('directory' as const) : ('file' as const) }))
 *   }
 *   createDir(path: string) { this.dirs.add(path) }
 *   removeDir(path: string) { this.dirs.delete(path) }
 * }
 *
 * const backend = new JsBackend(new MapFs())
 * const fs = new FileStorage(backend.layer(new QuotaLayer({ maxTotalSize: 1024 })))
 * await fs.write('/notes.txt', 'hello')
 * fs.readToStringSync('/notes.txt') // 'hello'
 * // fs.symlink('/notes.txt', '/link') // compile error: MapFs implements no JsFsLink
 * ```
 */
export type JsBackend<H extends JsFs = JsFsPosix> = JsBackendBase<H> & JsCapabilities<H>

/**
 * The constructor of {@link JsBackend}.
 *
 * @example
 * ```ts
 * import { JsBackend, type JsBackendConstructor, type JsFs } from 'anyfs'
 * declare const handlers: JsFs
 * const make: JsBackendConstructor = JsBackend
 * const backend = new make(handlers, { timeout: 2_000 })
 * ```
 */
export interface JsBackendConstructor {
  /**
   * A backend calling `handlers` (checked now: less than {@link JsFs}, or half a capability,
   * is a `TypeError` naming the missing handlers).
   */
  new <H extends JsFs>(handlers: H, options?: MiddlewareOptions): JsBackend<H>
  /** The prototype shared by every JS backend. */
  readonly prototype: JsBackend
}

/** The runtime class: every operation, typed down by {@link JsBackend}. */
const JsBackendImpl = class JsBackend extends NativeStack {
  readonly handlers: object

  constructor(handlers: object, options: MiddlewareOptions = {}) {
    if (handlers === null || typeof handlers !== 'object') throw invalidArgType('handlers', 'of type object', handlers)
    if (handlers instanceof NativeStack) throw invalidArgType('handlers', 'an object of handlers, not a native stack', handlers)
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const { synchronous = false } = options
    if (typeof synchronous !== 'boolean') throw invalidArgType('options.synchronous', 'of type boolean', synchronous)
    super(handlersAdapter(handlers, checkTimeout(options.timeout), layerName(options.name, handlers, 'JsBackend'), synchronous))
    this.handlers = handlers
  }
}

/**
 * Creates a {@link JsBackend} over an object of handlers: `new JsBackend(handlers, options)`.
 *
 * @example
 * ```ts
 * import { JsBackend, type JsFs } from 'anyfs'
 * declare const handlers: JsFs
 * const backend = new JsBackend(handlers, { name: 'MapFs' })
 * backend.capabilities // ['FsRead', 'FsWrite', 'FsDir']
 * ```
 */
export const JsBackend: JsBackendConstructor = JsBackendImpl as unknown as JsBackendConstructor

/** Wraps a handler object (used by `Middleware` for a plain-object inner). @internal */
export function wrapHandlers(handlers: object): unknown {
  return new JsBackendImpl(handlers)
}
