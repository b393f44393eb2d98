/**
 * Options shared by `Middleware` and `JsBackend`.
 *
 * @internal
 * @module
 */

import { invalidArgType, outOfRange } from '../errors'

/** Default milliseconds an async call of a JS layer may take. */
export const DEFAULT_TIMEOUT = 30_000

/** A checked timeout: a positive number of milliseconds, or `Infinity`. */
export function checkTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT
  if (typeof value !== 'number') throw invalidArgType('options.timeout', 'of type number', value)
  if (!(value > 0) || (!Number.isFinite(value) && value !== Infinity) || (Number.isFinite(value) && value > 2 ** 31 - 1)) {
    throw outOfRange('options.timeout', 'a number of milliseconds > 0 && <= 2147483647, or Infinity', value)
  }
  return value
}

/** A layer's name: the option, else its class name, else `fallback`. */
export function layerName(value: unknown, owner: object, fallback = 'JsLayer'): string {
  if (value !== undefined && typeof value !== 'string') throw invalidArgType('options.name', 'of type string', value)
  if (value) return value
  const cls = (owner.constructor as { name?: unknown } | undefined)?.name
  return typeof cls === 'string' && cls !== '' && cls !== 'Object' ? cls : fallback
}
