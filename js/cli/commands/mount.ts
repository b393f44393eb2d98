/**
 * `mount` and `unmount`: serve the open stack (every layer of it) as a host filesystem with
 * FUSE, where this build has mounting.
 *
 * Mounting is optional: the commands look for `MountHandle` on the package's entry point (or a
 * `mount` module next to it) when first used, and say plainly when there is none, so the
 * shell works the same in builds without FUSE. They expect
 * `MountHandle.isAvailable(): boolean`, `MountHandle.mount(stack, mountPoint, { readOnly })`
 * returning a handle (or a promise of one) and `handle.unmount()` (sync or async).
 *
 * @internal
 * @module
 */

import * as anyfs from '../../index'
import { UsageError, type Command, type Mounted } from '../command'
import { printable } from '../format'
import { hostPath } from '../paths'

/** The part of `MountHandle` the shell uses. */
interface MountApi {
  isAvailable(): boolean
  mount(stack: unknown, mountPoint: string, options?: { readOnly?: boolean }): unknown
}

function isMountApi(value: unknown): value is MountApi {
  if ((typeof value !== 'function' && typeof value !== 'object') || value === null) return false
  const v = value as Partial<Record<keyof MountApi, unknown>>
  return typeof v.isAvailable === 'function' && typeof v.mount === 'function'
}

function isMounted(value: unknown): value is Mounted {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Mounted>).unmount === 'function'
}

/** `MountHandle` from the entry point, or from a `mount` module beside it; `null` when the build has neither. */
function mountApi(): MountApi | null {
  const exported = (anyfs as Record<string, unknown>)['MountHandle']
  if (isMountApi(exported)) return exported
  try {
    // A computed path: the module is optional, so the compiler must not require it.
    const mod = require(['..', '..', 'mount'].join('/')) as Record<string, unknown>
    return isMountApi(mod['MountHandle']) ? mod['MountHandle'] : null
  } catch (err) {
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND') return null
    throw err
  }
}

const mount: Command = {
  name: 'mount',
  usage: 'mount [-r] [mountpoint]',
  summary: 'serve the store on a host directory with FUSE (-r: read-only); alone, list mounts',
  flags: 'r',
  max: 1,
  operands: ['host'],
  async run(ctx, { flags, operands }) {
    const target = operands[0]
    if (target === undefined) {
      for (const point of ctx.shell.mounts.keys()) ctx.io.out(`${printable(point)}\n`)
      return
    }
    const api = mountApi()
    let available: boolean | null = null
    try {
      available = api === null ? null : api.isAvailable()
    } catch {
      // A build whose native part lacks mounting: the same as none.
    }
    if (api === null || available === null) throw new Error('mounting is not available in this build (it has no FUSE support)')
    if (!available) throw new Error('mounting is not available on this machine (FUSE is missing: install fuse3)')
    const point = hostPath(target)
    if (ctx.shell.mounts.has(point)) throw new Error(`'${printable(point)}' is already mounted by this shell`)
    const handle: unknown = await api.mount(ctx.shell.stack.top, point, flags.has('r') ? { readOnly: true } : {})
    if (!isMounted(handle)) throw new Error('the mount returned no handle to unmount it with')
    ctx.shell.mounts.set(point, handle)
    ctx.io.out(`mounted on ${printable(point)}${flags.has('r') ? ' (read-only)' : ''}\n`)
  },
}

const unmount: Command = {
  name: 'unmount',
  aliases: ['umount'],
  usage: 'unmount [mountpoint]',
  summary: 'unmount what mount mounted (the only mount, when there is one)',
  max: 1,
  operands: ['host'],
  async run(ctx, { operands }) {
    const mounts = ctx.shell.mounts
    let point: string
    if (operands[0] !== undefined) point = hostPath(operands[0])
    else if (mounts.size === 1) point = [...mounts.keys()][0] ?? ''
    else if (mounts.size === 0) throw new Error('nothing is mounted')
    else throw new UsageError('several mounts: name the mount point')
    const handle = mounts.get(point)
    if (handle === undefined) throw new Error(`'${printable(point)}' is not mounted by this shell`)
    await handle.unmount()
    mounts.delete(point)
  },
}

/** The mount commands. */
export const mountCommands: readonly Command[] = [mount, unmount]
