/**
 * Argument checks for the public methods: `typeof` tests only, so a valid call pays a few
 * nanoseconds. Bad arguments throw node-style `TypeError`/`RangeError`s before anything crosses
 * into native code.
 *
 * @internal
 * @module
 */

import type { Data } from './capabilities'
import { invalidArgType, invalidArgValue, outOfRange } from './errors'

export function checkPath(value: unknown, name = 'path'): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value)
}

export function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value)
}

export function checkData(value: unknown, name = 'data'): asserts value is Data {
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw invalidArgType(name, 'of type string or an instance of Buffer or Uint8Array', value)
  }
}

export function checkBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw invalidArgType(name, 'an instance of Buffer or Uint8Array', value)
  }
}

/** A non-negative safe integer (sizes, offsets, inodes, handles). */
export function checkIndex(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value)
  if (!Number.isSafeInteger(value) || value < 0) {
    throw outOfRange(name, 'an integer >= 0 && <= 9007199254740991', value)
  }
}

/** Bytes as the native side takes them (strings are encoded once, as UTF-8). */
export function toBytes(data: Data): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data
}

/** A time as milliseconds since the epoch; `NaN` means "leave unchanged". */
export function toMillis(value: unknown, name: string): number {
  if (value === undefined || value === null) return Number.NaN
  if (value instanceof Date) {
    const ms = value.getTime()
    if (Number.isNaN(ms)) throw invalidArgValue(name, value, 'is an invalid Date')
    return ms
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw outOfRange(name, 'a finite number of milliseconds', value)
    return value
  }
  throw invalidArgType(name, 'a Date, a number of milliseconds, null or undefined', value)
}

/** An owner id; `-1` means "leave unchanged". */
export function toOwner(value: unknown, name: string): number {
  if (value === undefined || value === null) return -1
  checkIndex(value, name)
  if (value > 0xffff_ffff) throw outOfRange(name, 'an integer >= 0 && <= 4294967295', value)
  return value
}
