/**
 * Opens what a {@link StackSpec} describes: the backend, its middleware layers in order
 * (innermost first), and the {@link FileStorage} every shell command goes through. Each layer
 * keeps a describer for the `stack` command.
 *
 * @internal
 * @module
 */

import type { FsFull } from '../capabilities'
import { MemoryBackend } from '../memory'
import type { CacheStack } from '../middleware/cache'
import type { DryRunOperation, DryRunStack } from '../middleware/dry-run'
import { Overlay, type OverlayChange } from '../middleware/overlay'
import type { PathFilterStack } from '../middleware/path-filter'
import type { QuotaStack } from '../middleware/quota'
import type { RateLimitStack } from '../middleware/rate-limit'
import type { RestrictionsStack } from '../middleware/restrictions'
import type { TraceEvent, TracingStack } from '../middleware/tracing'
import { SqliteBackend } from '../sqlite'
import { NativeStack } from '../stack'
import { StdFsBackend } from '../stdfs'
import { FileStorage } from '../storage'
import { VRootFsBackend } from '../vrootfs'
import type { BackendSpec, LayerSpec, StackSpec } from './config'
import { humanSize } from './format'

/** The storage the shell works on: symlinks, permissions, sync and statfs are always there. */
export type Storage = FileStorage<FsFull>

/** One layer of the open stack (or its backend), as the `stack` command shows it. */
export interface LayerInfo {
  /** The layer's type, as the configuration names it. */
  readonly name: string
  /** Its settings and state, on one line. */
  describe(): Promise<string>
  /** Longer state (recorded operations, overlay changes), one line each. */
  details(): Promise<string[]>
}

/** An open stack. */
export interface OpenedStack {
  /** The storage over the outermost layer: every command goes through it. */
  readonly storage: Storage
  /** The outermost layer (what a mount serves). */
  readonly top: NativeStack
  /** Every layer, outermost first, the backend last. */
  readonly layers: readonly LayerInfo[]
  /** Delivers trace events still waiting, so they print before the next prompt. */
  flush(): void
}

const NO_DETAILS = async (): Promise<string[]> => []

/** Opens a backend; host errors (a missing root, a file that is not a database) throw `FsError`s. */
function openBackend(spec: BackendSpec): { stack: NativeStack; info: LayerInfo } {
  switch (spec.type) {
    case 'mem': {
      const stack = spec.capacity === undefined ? new MemoryBackend() : new MemoryBackend({ capacity: spec.capacity })
      const text = spec.capacity === undefined ? 'in memory' : `in memory, capacity ${humanSize(spec.capacity)}`
      return { stack, info: { name: 'mem', describe: async () => text, details: NO_DETAILS } }
    }
    case 'sqlite': {
      const stack = spec.path === null ? SqliteBackend.inMemory(spec.options) : SqliteBackend.open(spec.path, spec.options)
      const text = spec.path === null ? 'in-memory database' : `database ${spec.path}`
      return { stack, info: { name: 'sqlite', describe: async () => text, details: NO_DETAILS } }
    }
    case 'stdfs':
    case 'vrootfs': {
      const stack = spec.type === 'stdfs' ? new StdFsBackend(spec.root) : new VRootFsBackend(spec.root)
      const text = `host directory ${stack.root}${spec.type === 'vrootfs' ? ' (contained)' : ''}`
      return { stack, info: { name: spec.type, describe: async () => text, details: NO_DETAILS } }
    }
  }
}

function describeRecorded(op: DryRunOperation): string {
  switch (op.op) {
    case 'rename':
    case 'copy':
      return `${op.op} ${op.from} -> ${op.to}`
    case 'symlink':
    case 'hardLink':
      return `${op.op} ${op.original} <- ${op.link}`
    case 'write':
    case 'append':
    case 'truncate':
    case 'openWrite':
    case 'writeAt':
      return `${op.op} ${op.path} (${op.size} bytes)`
    default:
      return `${op.op} ${op.path}`
  }
}

/** The describer of a middleware layer, by its type. */
function layerInfo(spec: LayerSpec, stack: NativeStack, upper: LayerInfo | null): LayerInfo {
  const name = spec.type
  const info = (describe: () => string | Promise<string>, details: () => Promise<string[]> = NO_DETAILS): LayerInfo => ({
    name,
    describe: async () => describe(),
    details,
  })
  switch (spec.type) {
    case 'quota': {
      const q = stack as unknown as QuotaStack<FsFull>
      return info(() => {
        const { limits } = q
        const used = q.usage()
        const parts = [
          `${humanSize(used.totalSize)} used${limits.maxTotalSize === undefined ? '' : ` of ${humanSize(limits.maxTotalSize)}`}`,
          `${used.nodeCount} nodes${limits.maxNodeCount === undefined ? '' : ` of ${limits.maxNodeCount}`}`,
        ]
        if (limits.maxFileSize !== undefined) parts.push(`files up to ${humanSize(limits.maxFileSize)}`)
        if (limits.maxDirEntries !== undefined) parts.push(`${limits.maxDirEntries} entries per directory`)
        if (limits.maxPathDepth !== undefined) parts.push(`depth ${limits.maxPathDepth}`)
        return parts.join(', ')
      })
    }
    case 'path_filter': {
      const f = stack as unknown as PathFilterStack<FsFull>
      return info(() => (f.rules.length === 0 ? 'everything denied' : f.rules.map((r) => `${r.kind} ${r.pattern}`).join(', ')))
    }
    case 'restrictions': {
      const r = stack as unknown as RestrictionsStack<FsFull>
      return info(() => {
        const denied = [r.denied.permissions && 'permission changes', r.denied.symlinks && 'symlinks', r.denied.hardLinks && 'hard links']
        const list = denied.filter((d): d is string => typeof d === 'string')
        return list.length === 0 ? 'nothing denied' : `denied: ${list.join(', ')}`
      })
    }
    case 'read_only':
      return info(() => 'every change refused (EROFS)')
    case 'rate_limit': {
      const r = stack as unknown as RateLimitStack<FsFull>
      return info(() => `${r.config.maxOps} operations per ${r.config.windowMs} ms, bursts of ${r.config.maxBurst}`)
    }
    case 'tracing': {
      const t = stack as unknown as TracingStack<FsFull>
      return info(() => `level ${t.level}, events printed to stderr${t.dropped > 0 ? `, ${t.dropped} dropped` : ''}`)
    }
    case 'dry_run': {
      const d = stack as unknown as DryRunStack<FsFull>
      return info(
        () => `${d.operations().length} changes recorded, none applied`,
        async () => d.operations().map(describeRecorded),
      )
    }
    case 'cache': {
      const c = stack as unknown as CacheStack<FsFull>
      return info(() => {
        const s = c.stats()
        return `${s.entries} entries (${humanSize(s.bytes)}), ${s.hits} hits, ${s.misses} misses`
      })
    }
    case 'overlay': {
      const o = stack as unknown as { diff(): Promise<OverlayChange[]> }
      return info(
        async () => `upper ${upper?.name ?? '?'}, ${(await o.diff()).length} changes over the base`,
        async () => (await o.diff()).map((c) => `${c.kind} ${c.path}`),
      )
    }
  }
}

/** What to do with each trace event of a tracing layer. */
export type TracePrinter = (event: TraceEvent) => void

/**
 * Opens the backend and layers of `spec`. Fails (an `FsError` or `TypeError`) when the backend
 * cannot be opened or the stack lacks what the shell needs (links, permissions, statfs).
 */
export function openStack(spec: StackSpec, onTrace: TracePrinter): OpenedStack {
  const backend = openBackend(spec.backend)
  let top: NativeStack = backend.stack
  const layers: LayerInfo[] = [backend.info]
  const traced: TracingStack<FsFull>[] = []
  for (const layer of spec.layers) {
    let next: unknown
    let upperInfo: LayerInfo | null = null
    if (layer.type === 'overlay') {
      const upper = openBackend(layer.upper)
      upperInfo = upper.info
      next = new Overlay(top as unknown as FsFull, upper.stack as unknown as FsFull)
    } else {
      // Every layer's `wrap` takes any native stack; the config only typed it loosely.
      const wrapping = layer.layer as { wrap(inner: NativeStack): unknown }
      next = wrapping.wrap(top)
    }
    if (!(next instanceof NativeStack)) throw new TypeError(`${layer.where}: the layer did not produce a native stack`)
    top = next
    if (layer.type === 'tracing') {
      const t = next as unknown as TracingStack<FsFull>
      t.events.on('event', onTrace)
      traced.push(t)
    }
    layers.unshift(layerInfo(layer, next, upperInfo))
  }
  const missing = (['FsLink', 'FsPermissions', 'FsSync', 'FsStats'] as const).filter((c) => !top.capabilities.includes(c))
  if (missing.length > 0) throw new TypeError(`the stack lacks ${missing.join(', ')}, which the shell needs`)
  const storage = new FileStorage(top as unknown as FsFull)
  return {
    storage,
    top,
    layers,
    flush: () => {
      for (const t of traced) t.flush()
    },
  }
}
