/**
 * The operations of a JS layer, one table: the capability each belongs to, whether a JS
 * backend must implement it, what it answers with, and how the adapter's arguments
 * (`s0, s1, bytes, n0, n1, n2`, see `crates/anyfs-node/src/js_backend/fs.rs`) become the
 * handler's.
 *
 * @internal
 * @module
 */

import { OP } from '../native'
import type { CapabilityName } from '../stack'
import type { LockType } from '../types'
import type { AnswerKind } from './answers'

/** The adapter's arguments of one call. */
export type NativeArgs = readonly [s0?: string, s1?: string, bytes?: Uint8Array, n0?: number, n1?: number, n2?: number]

/** One operation. */
export interface OpSpec {
  /** The async method's name (`read`); the sync twin adds `Sync`. */
  readonly name: string
  /** The capability it belongs to. */
  readonly cap: CapabilityName
  /** Whether a JS backend with `cap` must implement it (the others are composed or refused). */
  readonly required: boolean
  /** What it answers with. */
  readonly kind: AnswerKind
  /** Whether the adapter calls it (streams are served by `read`, `write`, `append`). */
  readonly native: boolean
  /** The handler's arguments from the adapter's. */
  readonly args: (a: NativeArgs) => unknown[]
  /** The path its errors name, from the handler's arguments. */
  readonly pathArg: number | undefined
}

const time = (ms: number | undefined): Date | null => (ms === undefined || Number.isNaN(ms) ? null : new Date(ms))
const owner = (id: number | undefined): number | null => (id === undefined || id < 0 ? null : id)
const lockType = (code: number | undefined): LockType => (code === 1 ? 'exclusive' : 'shared')

const p = (a: NativeArgs) => [a[0]]
const two = (a: NativeArgs) => [a[0], a[1]]
const none = () => []
const n0 = (a: NativeArgs) => [a[3]]

function op(name: string, cap: CapabilityName, required: boolean, kind: AnswerKind, args: OpSpec['args'], pathArg: number | undefined = 0, native = true): OpSpec {
  return { name, cap, required, kind, args, pathArg, native }
}

/** Every operation, in capability order. */
export const OPS: readonly OpSpec[] = [
  op('read', 'FsRead', true, 'bytes', p),
  op('readToString', 'FsRead', false, 'str', p),
  op('readRange', 'FsRead', true, 'bytes', (a) => [a[0], a[3], a[4]]),
  op('exists', 'FsRead', false, 'bool', p),
  op('metadata', 'FsRead', true, 'meta', p),
  op('openRead', 'FsRead', false, 'stream', p, 0, false),
  op('write', 'FsWrite', true, 'unit', (a) => [a[0], a[2]]),
  op('append', 'FsWrite', true, 'unit', (a) => [a[0], a[2]]),
  op('removeFile', 'FsWrite', true, 'unit', p),
  op('rename', 'FsWrite', true, 'unit', two),
  op('copy', 'FsWrite', false, 'unit', two),
  op('truncate', 'FsWrite', true, 'unit', (a) => [a[0], a[3]]),
  op('openWrite', 'FsWrite', false, 'stream', p, 0, false),
  op('setTimes', 'FsWrite', false, 'unit', (a) => [a[0], time(a[3]), time(a[4])]),
  op('readDir', 'FsDir', true, 'dir', p),
  op('createDir', 'FsDir', true, 'unit', p),
  op('createDirAll', 'FsDir', false, 'unit', p),
  op('removeDir', 'FsDir', true, 'unit', p),
  op('removeDirAll', 'FsDir', false, 'unit', p),
  op('symlink', 'FsLink', true, 'unit', two, 1),
  op('hardLink', 'FsLink', true, 'unit', two),
  op('readLink', 'FsLink', true, 'str', p),
  op('symlinkMetadata', 'FsLink', true, 'meta', p),
  op('setPermissions', 'FsPermissions', true, 'unit', (a) => [a[0], a[3]]),
  op('setOwner', 'FsPermissions', false, 'unit', (a) => [a[0], owner(a[3]), owner(a[4])]),
  op('sync', 'FsSync', true, 'unit', none, undefined),
  op('fsync', 'FsSync', true, 'unit', p),
  op('statfs', 'FsStats', true, 'statfs', none, undefined),
  op('pathToInode', 'FsInode', true, 'num', p),
  op('inodeToPath', 'FsInode', true, 'str', n0, undefined),
  op('lookup', 'FsInode', true, 'num', (a) => [a[3], a[0]], undefined),
  op('metadataByInode', 'FsInode', true, 'meta', n0, undefined),
  op('open', 'FsHandles', true, 'num', (a) => [a[0], a[3]]),
  op('readAt', 'FsHandles', true, 'num', (a) => [a[3], Buffer.alloc(a[4] ?? 0), a[5]], undefined),
  op('writeAt', 'FsHandles', true, 'num', (a) => [a[3], a[2], a[4]], undefined),
  op('close', 'FsHandles', true, 'unit', n0, undefined),
  op('lock', 'FsLock', true, 'unit', (a) => [a[3], lockType(a[4])], undefined),
  op('tryLock', 'FsLock', true, 'bool', (a) => [a[3], lockType(a[4])], undefined),
  op('unlock', 'FsLock', true, 'unit', n0, undefined),
  op('getXattr', 'FsXattr', true, 'bytes', two),
  op('setXattr', 'FsXattr', true, 'unit', (a) => [a[0], a[1], a[2]]),
  op('removeXattr', 'FsXattr', true, 'unit', two),
  op('listXattr', 'FsXattr', true, 'strs', p),
]

/** Operations by name. */
export const BY_NAME: ReadonlyMap<string, OpSpec> = new Map(OPS.map((o) => [o.name, o]))

/** Operations by the adapter's op code (the numbering of `crates/anyfs-node/src/batch.rs`). */
export const BY_CODE: readonly (OpSpec | undefined)[] = (() => {
  const out: (OpSpec | undefined)[] = []
  for (const o of OPS) {
    const code = OP[o.name]
    if (code === undefined) throw new Error(`anyfs: no op code for ${o.name}`)
    out[code] = o
  }
  return out
})()

/** The capability names in bit order, and the ops each one needs from a JS backend. */
export const CAPABILITY_OPS: ReadonlyMap<CapabilityName, readonly OpSpec[]> = (() => {
  const m = new Map<CapabilityName, OpSpec[]>()
  for (const o of OPS) {
    if (!o.required) continue
    const list = m.get(o.cap) ?? []
    list.push(o)
    m.set(o.cap, list)
  }
  return m
})()
