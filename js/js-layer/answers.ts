/**
 * What a JS layer's handlers answer with: the check of each kind of answer (a wrong one is a
 * clear `EIO` error naming the layer, the operation and what came back), and the compact form
 * it crosses into native code in (the slot layouts of `crates/anyfs-node/src/convert.rs`).
 *
 * @internal
 * @module
 */

import { scratch } from '../native'
import { DirEntry, Metadata, type FileType, type StatFs, type TimeInput } from '../types'
import { wrongAnswer } from './failure'
import type { DirEntryInit, MetadataInit } from './handlers'

/** The kinds of answer, by what an operation returns. */
export type AnswerKind = 'unit' | 'bool' | 'num' | 'str' | 'bytes' | 'meta' | 'dir' | 'statfs' | 'strs' | 'stream'

/** Where a checked answer came from, for error messages. */
export interface Origin {
  readonly layer: string
  readonly op: string
  readonly path: string | undefined
}

const TYPE_CODE: Readonly<Record<string, number>> = { file: 0, directory: 1, symlink: 2 }
const DEFAULT_MODE = [0o644, 0o755, 0o777] as const
const STATFS_KEYS = ['totalBytes', 'usedBytes', 'availableBytes', 'totalInodes', 'usedInodes', 'availableInodes', 'blockSize', 'maxNameLength'] as const

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

/** Milliseconds of a time field, `NaN` for "not recorded"; `undefined` if malformed. */
function millis(t: TimeInput): number | undefined {
  if (t === undefined || t === null) return Number.NaN
  if (t instanceof Date) return Number.isNaN(t.getTime()) ? undefined : t.getTime()
  return typeof t === 'number' && Number.isFinite(t) ? t : undefined
}

/** Writes metadata slots into `out`; false if `m` is not metadata. */
function metadataSlots(m: unknown, out: Float64Array | number[]): boolean {
  if (m instanceof Metadata) {
    const times = [m.createdMs, m.modifiedMs, m.accessedMs, m.changedMs].map((t) => t ?? Number.NaN)
    const slots = [TYPE_CODE[m.fileType] ?? 0, m.size, m.mode & 0o7777, m.inode, m.nlink, m.uid, m.gid, ...times]
    slots.forEach((v, i) => (out[i] = v))
    return true
  }
  if (m === null || typeof m !== 'object') return false
  const init = m as MetadataInit
  const type = TYPE_CODE[init.fileType as FileType]
  if (type === undefined) return false
  const { size = 0, inode = 0, nlink = 1, uid = 0, gid = 0 } = init
  const mode = init.mode ?? DEFAULT_MODE[type as 0 | 1 | 2]
  if (![size, inode, nlink, uid, gid, mode].every(isCount)) return false
  const times = [init.created, init.modified, init.accessed, init.changed].map(millis)
  if (times.some((t) => t === undefined)) return false
  const slots = [type, size, mode & 0o7777, inode, nlink, uid, gid, ...(times as number[])]
  slots.forEach((v, i) => (out[i] = v))
  return true
}

/** A directory entry from an answer element; undefined if malformed. */
function dirEntry(e: unknown): DirEntry | undefined {
  if (e instanceof DirEntry) return e
  if (e === null || typeof e !== 'object') return undefined
  const { name, fileType, inode = 0 } = e as DirEntryInit
  const type = TYPE_CODE[fileType as FileType]
  if (typeof name !== 'string' || name === '' || name.includes('/') || type === undefined || !isCount(inode)) return undefined
  return new DirEntry(name, inode, type)
}

const EXPECTED: Readonly<Record<AnswerKind, string>> = {
  unit: 'nothing',
  bool: 'a boolean',
  num: 'a non-negative integer',
  str: 'a string',
  bytes: 'a Buffer or Uint8Array',
  meta: 'a Metadata or { fileType, size, ... }',
  dir: 'an array of DirEntry or { name, fileType }',
  statfs: 'a StatFs object of non-negative integers',
  strs: 'an array of strings',
  stream: 'a stream',
}

/**
 * `value` as the consumer form of a `kind` answer (a `Buffer` for bytes, `Metadata`,
 * `DirEntry[]`); throws the layer's wrong-answer error otherwise.
 */
export function checkAnswer(kind: AnswerKind, value: unknown, from: Origin): unknown {
  const bad = () => wrongAnswer(from.layer, from.op, from.path, EXPECTED[kind], value)
  switch (kind) {
    case 'unit':
    case 'stream':
      return value
    case 'bool':
      if (typeof value !== 'boolean') throw bad()
      return value
    case 'num':
      if (!isCount(value)) throw bad()
      return value
    case 'str':
      if (typeof value !== 'string') throw bad()
      return value
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw bad()
      return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    case 'meta': {
      if (value instanceof Metadata) return value
      const slots: number[] = []
      if (!metadataSlots(value, slots)) throw bad()
      return new Metadata(slots)
    }
    case 'dir': {
      if (!Array.isArray(value)) throw bad()
      const out = new Array<DirEntry>(value.length)
      for (let i = 0; i < value.length; i++) {
        const e = dirEntry(value[i])
        if (e === undefined) throw bad()
        out[i] = e
      }
      return out
    }
    case 'statfs': {
      if (value === null || typeof value !== 'object') throw bad()
      const s = value as Record<string, unknown>
      if (!STATFS_KEYS.every((k) => isCount(s[k]))) throw bad()
      return Object.fromEntries(STATFS_KEYS.map((k) => [k, s[k]])) as unknown as StatFs
    }
    case 'strs':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad()
      return value
  }
}

/**
 * A checked answer in the form the adapter reads (see `crates/anyfs-node/src/js_backend/value.rs`):
 * metadata and statfs go into the scratch slots, listings become `[names, pairs]`.
 */
export function forNative(kind: AnswerKind, value: unknown): unknown {
  switch (kind) {
    case 'meta':
      metadataSlots(value, scratch)
      return undefined
    case 'statfs': {
      const s = value as StatFs
      STATFS_KEYS.forEach((k, i) => (scratch[i] = s[k]))
      return undefined
    }
    case 'dir': {
      const entries = value as DirEntry[]
      const pairs = new Float64Array(entries.length * 2)
      entries.forEach((e, i) => {
        pairs[2 * i] = e.inode
        pairs[2 * i + 1] = TYPE_CODE[e.fileType] ?? 0
      })
      return [entries.map((e) => e.name).join('/'), pairs]
    }
    case 'unit':
    case 'stream':
      return undefined
    default:
      return value
  }
}
