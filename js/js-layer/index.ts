/**
 * Middleware and backends written in JavaScript, composable in any order with native layers:
 * {@link Middleware} (a base class forwarding everything to its inner filesystem) and
 * {@link JsBackend} (a complete backend from an object of handlers).
 *
 * @module
 */

import type { Fs } from '../capabilities'
import { nativeOf, setJsAdapter } from '../stack'
import { handlersAdapter, looksLikeHandlers, twinsAdapter, type Forwarding } from './dispatch'
import { blockingOf, Middleware, overriddenBy, setHandlerWrapper } from './middleware'
import { JsBackend, wrapHandlers } from './backend'
import { DEFAULT_TIMEOUT, layerName } from './options'

/** The native stack under a chain of layers, and every op one of them overrides. */
function forwarding(layer: Middleware<Fs>): Forwarding {
  const overridden = new Set<string>()
  let at: unknown = layer
  for (; at instanceof Middleware; at = at.inner) for (const op of overriddenBy(at)) overridden.add(op)
  return { below: nativeOf(at) ?? null, overridden }
}

setHandlerWrapper(wrapHandlers)
setJsAdapter((value) => {
  if (value instanceof Middleware) {
    return twinsAdapter(value, value.capabilities, value.timeout, value.name, blockingOf(value), forwarding(value))
  }
  if (looksLikeHandlers(value)) return handlersAdapter(value, DEFAULT_TIMEOUT, layerName(undefined, value, 'JsBackend'))
  return undefined
})

export { JsBackend, Middleware }
export type { JsBackendBase, JsBackendConstructor, JsCapabilities } from './backend'
export type {
  DirEntryInit,
  JsFs,
  JsFsDir,
  JsFsFull,
  JsFsFuse,
  JsFsHandles,
  JsFsInode,
  JsFsLink,
  JsFsLock,
  JsFsPermissions,
  JsFsPosix,
  JsFsRead,
  JsFsStats,
  JsFsSync,
  JsFsWrite,
  JsFsXattr,
  MaybePromise,
  MetadataInit,
} from './handlers'
export type { MiddlewareOptions } from './middleware'
