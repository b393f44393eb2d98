/**
 * The shell's TOML configuration: a backend and a stack of middleware layers, checked key by
 * key so a mistake names the key (`layer[1].max_ops: ...`). The format is documented in the
 * README ("The anyfs shell") and shown in examples/sandbox.toml:
 *
 * ```toml
 * [backend]
 * type = "mem"                  # mem | sqlite | stdfs | vrootfs
 *
 * [shell]
 * cwd = "/workspace"
 *
 * [[layer]]                     # the first layer wraps the backend, the last is outermost
 * type = "quota"
 * max_total_size = "50 MiB"
 * ```
 *
 * Range checks are the library's own: each option is tried on its layer alone and the
 * library's message is reported under the TOML key's name.
 *
 * @internal
 * @module
 */

import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

import type { SqliteBackendOptions } from '../sqlite'
import { CacheLayer } from '../middleware/cache'
import { DryRunLayer } from '../middleware/dry-run'
import { PathFilterLayer, type PathRule } from '../middleware/path-filter'
import { QuotaLayer } from '../middleware/quota'
import { RateLimitLayer } from '../middleware/rate-limit'
import { ReadOnlyLayer } from '../middleware/read-only'
import { RestrictionsLayer } from '../middleware/restrictions'
import { TracingLayer } from '../middleware/tracing'
import { SqliteBackend } from '../sqlite'
import { describeError } from './format'

/** A configuration the shell cannot use; the message names the file and the key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** The backend types, by the name `--backend` and `type = ...` take. */
export const BACKEND_TYPES = ['mem', 'sqlite', 'stdfs', 'vrootfs'] as const

/** A backend to open. */
export type BackendSpec =
  | { readonly type: 'mem'; readonly capacity?: number }
  | { readonly type: 'sqlite'; readonly path: string | null; readonly options: SqliteBackendOptions }
  | { readonly type: 'stdfs' | 'vrootfs'; readonly root: string }

/** Anything with the `wrap` of a layer: every native middleware layer. */
export interface WrappingLayer {
  wrap(inner: never): unknown
}

/** One middleware layer to add. */
export type LayerSpec =
  | { readonly type: Exclude<LayerType, 'overlay'>; readonly where: string; readonly layer: WrappingLayer }
  | { readonly type: 'overlay'; readonly where: string; readonly upper: BackendSpec }

/** What the shell runs over: a backend, its layers (innermost first) and where to start. */
export interface StackSpec {
  readonly backend: BackendSpec
  readonly layers: readonly LayerSpec[]
  /** The working directory to start in (created if missing). */
  readonly cwd?: string
}

/** How one TOML key of an options-style layer maps to the layer's option. */
interface OptionKey {
  /** The option's name in the layer's options object. */
  readonly option: string
  /** The value is a size: an integer of bytes or a string such as `"50 MiB"`. */
  readonly size?: boolean
}

/** An options-style layer: TOML keys, and the layer made from checked options. */
interface OptionsLayer {
  readonly keys: Readonly<Record<string, OptionKey>>
  make(options: Record<string, unknown>): WrappingLayer
}

const OPTIONS_LAYERS = {
  quota: {
    keys: {
      max_total_size: { option: 'maxTotalSize', size: true },
      max_file_size: { option: 'maxFileSize', size: true },
      max_node_count: { option: 'maxNodeCount' },
      max_dir_entries: { option: 'maxDirEntries' },
      max_path_depth: { option: 'maxPathDepth' },
    },
    make: (o) => new QuotaLayer(o),
  },
  restrictions: {
    keys: {
      deny_permissions: { option: 'permissions' },
      deny_symlinks: { option: 'symlinks' },
      deny_hard_links: { option: 'hardLinks' },
    },
    make: (o) => new RestrictionsLayer(o),
  },
  read_only: { keys: {}, make: () => new ReadOnlyLayer() },
  rate_limit: {
    keys: { max_ops: { option: 'maxOps' }, window_ms: { option: 'windowMs' }, max_burst: { option: 'maxBurst' } },
    make: (o) => new RateLimitLayer(o),
  },
  tracing: {
    keys: { level: { option: 'level' }, target: { option: 'target' } },
    make: (o) => new TracingLayer(o),
  },
  dry_run: { keys: { max_operations: { option: 'maxOperations' } }, make: (o) => new DryRunLayer(o) },
  cache: {
    keys: {
      max_entries: { option: 'maxEntries' },
      max_size: { option: 'maxSize', size: true },
      max_entry_size: { option: 'maxEntrySize', size: true },
      ttl_ms: { option: 'ttl' },
    },
    make: (o) => new CacheLayer(o),
  },
} satisfies Record<string, OptionsLayer>

/** The layer types, by the name `type = ...` takes. */
export type LayerType = keyof typeof OPTIONS_LAYERS | 'path_filter' | 'overlay'

const LAYER_TYPES: readonly LayerType[] = [...(Object.keys(OPTIONS_LAYERS) as LayerType[]), 'path_filter', 'overlay']

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
}

/**
 * A size: a non-negative integer of bytes, or a string such as `"512"`, `"50 MiB"`, `"1.5GB"`
 * (`KiB`/`MiB`/`GiB`/`TiB` and `K`/`M`/`G`/`T` are powers of 1024, `KB`/`MB`/`GB`/`TB` of 1000).
 * `undefined` when it is neither.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value)
  if (m === null) return undefined
  const unit = SIZE_UNITS[(m[2] ?? '').toLowerCase() || 'b']
  if (unit === undefined) return undefined
  const bytes = Number(m[1]) * unit
  return Number.isSafeInteger(bytes) ? bytes : undefined
}

/** The TOML type of a value, for messages. */
function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return 'a date'
  if (value !== null && typeof value === 'object') return 'a table'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  return `${typeof value === 'boolean' ? 'the boolean' : 'the number'} ${String(value)}`
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
}

/** A TOML table being read: each key taken is remembered, so leftovers are reported. */
class Table {
  readonly #seen = new Set<string>()

  constructor(
    readonly path: string,
    readonly values: Record<string, unknown>,
  ) {}

  /** The dotted name of `key` in this table, for messages. */
  name(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`
  }

  fail(key: string, reason: string): never {
    throw new ConfigError(`${this.name(key)}: ${reason}`)
  }

  take(key: string): unknown {
    this.#seen.add(key)
    return this.values[key]
  }

  string(key: string): string | undefined {
    const v = this.take(key)
    if (v === undefined) return undefined
    if (typeof v !== 'string') this.fail(key, `expected a string, got ${typeName(v)}`)
    return v
  }

  nonEmptyString(key: string): string | undefined {
    const v = this.string(key)
    if (v === '') this.fail(key, 'must not be empty')
    return v
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key)
    if (v === undefined) return undefined
    if (!(allowed as readonly string[]).includes(v)) {
      this.fail(key, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`)
    }
    return v as T
  }

  strings(key: string): string[] | undefined {
    const v = this.take(key)
    if (v === undefined) return undefined
    if (!Array.isArray(v)) this.fail(key, `expected an array of strings, got ${typeName(v)}`)
    return v.map((item: unknown, i) => {
      if (typeof item !== 'string') this.fail(`${key}[${i}]`, `expected a string, got ${typeName(item)}`)
      return item
    })
  }

  table(key: string): Table | undefined {
    const v = this.take(key)
    if (v === undefined) return undefined
    if (!isTable(v)) this.fail(key, `expected a table, got ${typeName(v)}`)
    return new Table(this.name(key), v)
  }

  /** Reports the first key not taken, with the keys `what` knows. */
  finish(what: string): void {
    for (const key of Object.keys(this.values)) {
      if (!this.#seen.has(key)) {
        const known = [...this.#seen].join(', ')
        this.fail(key, `unknown key in ${what} (known keys: ${known})`)
      }
    }
  }
}

/**
 * A library error about an option, reworded for the TOML key `key`:
 * `The value of "maxOps" is out of range. It must be ... Received 0` becomes
 * `layer[1].max_ops: must be ... (got 0)`.
 */
function keyError(err: unknown, key: string): ConfigError {
  const message = err instanceof Error ? err.message : String(err)
  const reason = message
    .replace(/^The value of (["'])[^"']*\1 is out of range\. It /, '')
    .replace(/^The (["'])[^"']*\1 argument /, '')
    .replace(/^The argument (["'])[^"']*\1 /, '')
    .replace(/\. Received ([^]*)$/, ' (got $1)')
  return new ConfigError(`${key}: ${reason}`)
}

/** Relative host paths in a config file are relative to the file's directory. */
function hostPath(base: string, path: string): string {
  return resolve(base, path)
}

function readBackend(t: Table, base: string): BackendSpec {
  // "memory" is accepted for "mem", as --backend accepts it.
  if (t.values['type'] === 'memory') t.values['type'] = 'mem'
  const type = t.oneOf('type', BACKEND_TYPES)
  if (type === undefined) t.fail('type', `missing: one of ${BACKEND_TYPES.map((b) => JSON.stringify(b)).join(', ')}`)
  let spec: BackendSpec
  if (type === 'mem') {
    const raw = t.take('capacity')
    const capacity = raw === undefined ? undefined : parseSize(raw)
    if (raw !== undefined && capacity === undefined) t.fail('capacity', sizeReason(raw))
    spec = capacity === undefined ? { type: 'mem' } : { type: 'mem', capacity }
  } else if (type === 'sqlite') {
    const path = t.nonEmptyString('path')
    const options: SqliteBackendOptions = {}
    const synchronous = t.oneOf('synchronous', ['off', 'normal', 'full', 'extra'] as const)
    if (synchronous !== undefined) options.synchronous = synchronous
    const busy = t.take('busy_timeout_ms')
    if (busy !== undefined) {
      if (typeof busy !== 'number' || !Number.isSafeInteger(busy) || busy < 0) {
        t.fail('busy_timeout_ms', `expected an integer of milliseconds >= 0, got ${typeName(busy)}`)
      }
      options.busyTimeoutMs = busy
    }
    for (const [key, option] of [['page_size', 'pageSize'], ['chunk_size', 'chunkSize']] as const) {
      const raw = t.take(key)
      if (raw === undefined) continue
      const bytes = parseSize(raw)
      if (bytes === undefined) t.fail(key, sizeReason(raw))
      try {
        // The library's own range check, on a throwaway in-memory database.
        SqliteBackend.inMemory({ [option]: bytes })
      } catch (err) {
        throw keyError(err, t.name(key))
      }
      options[option] = bytes
    }
    if (path === undefined && (synchronous !== undefined || busy !== undefined)) {
      t.fail(synchronous !== undefined ? 'synchronous' : 'busy_timeout_ms', 'applies only to a database file: set path')
    }
    spec = { type: 'sqlite', path: path === undefined ? null : hostPath(base, path), options }
  } else {
    const root = t.nonEmptyString('root')
    if (root === undefined) t.fail('root', `missing: the host directory a ${type} backend serves`)
    spec = { type, root: hostPath(base, root) }
  }
  t.finish(`a ${type} backend`)
  return spec
}

function sizeReason(value: unknown): string {
  return `expected a size (a number of bytes, or a string such as "50 MiB"), got ${typeName(value)}`
}

function readLayer(t: Table, base: string): LayerSpec {
  const type = t.oneOf('type', LAYER_TYPES)
  if (type === undefined) t.fail('type', `missing: one of ${LAYER_TYPES.map((l) => JSON.stringify(l)).join(', ')}`)
  const where = t.path
  if (type === 'overlay') {
    const upperTable = t.table('upper')
    const upper: BackendSpec = upperTable === undefined ? { type: 'mem' } : readBackend(upperTable, base)
    t.finish('an overlay layer')
    return { type, where, upper }
  }
  if (type === 'path_filter') {
    const rules: PathRule[] = []
    for (const kind of ['allow', 'deny'] as const) {
      const patterns = t.strings(kind) ?? []
      patterns.forEach((pattern, i) => {
        try {
          new PathFilterLayer([{ kind, pattern }])
        } catch (err) {
          throw keyError(err, t.name(`${kind}[${i}]`))
        }
        rules.push({ kind, pattern })
      })
    }
    t.finish('a path_filter layer')
    return { type, where, layer: new PathFilterLayer(rules) }
  }
  const def: OptionsLayer = OPTIONS_LAYERS[type]
  const options: Record<string, unknown> = {}
  for (const [key, { option, size }] of Object.entries(def.keys)) {
    let value = t.take(key)
    if (value === undefined) continue
    if (size === true) {
      const bytes = parseSize(value)
      if (bytes === undefined) t.fail(key, sizeReason(value))
      value = bytes
    }
    try {
      def.make({ [option]: value })
    } catch (err) {
      throw keyError(err, t.name(key))
    }
    options[option] = value
  }
  t.finish(`a ${type} layer`)
  try {
    return { type, where, layer: def.make(options) }
  } catch (err) {
    throw new ConfigError(`${where}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** Reads a parsed TOML document; `base` is the directory relative host paths start from. */
export function readConfig(doc: Record<string, unknown>, base: string): StackSpec {
  const top: Table = new Table('', doc)
  const backendTable = top.table('backend')
  const backend: BackendSpec = backendTable === undefined ? { type: 'mem' } : readBackend(backendTable, base)
  const shell = top.table('shell')
  let cwd: string | undefined
  if (shell !== undefined) {
    cwd = shell.nonEmptyString('cwd')
    if (cwd !== undefined && !cwd.startsWith('/')) shell.fail('cwd', `must be an absolute store path, got ${JSON.stringify(cwd)}`)
    shell.finish('[shell]')
  }
  const rawLayers = top.take('layer')
  const layers: LayerSpec[] = []
  if (rawLayers !== undefined) {
    if (!Array.isArray(rawLayers)) top.fail('layer', `expected an array of tables ([[layer]]), got ${typeName(rawLayers)}`)
    rawLayers.forEach((raw: unknown, i) => {
      if (!isTable(raw)) top.fail(`layer[${i}]`, `expected a table, got ${typeName(raw)}`)
      layers.push(readLayer(new Table(`layer[${i}]`, raw), base))
    })
  }
  top.finish('the configuration (top level)')
  return cwd === undefined ? { backend, layers } : { backend, layers, cwd }
}

/** Loads and checks the TOML file at `file`; every problem is a {@link ConfigError} naming the file. */
export async function loadConfig(file: string): Promise<StackSpec> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read the configuration: ${describeError(err, 'open')}`)
  }
  const toml = await import('smol-toml')
  let doc: Record<string, unknown>
  try {
    doc = toml.parse(text, { unsafeKeyBehaviour: 'throw' })
  } catch (err) {
    if (err instanceof toml.TomlError) throw new ConfigError(`${file}:${err.line}:${err.column}: ${err.message.trimEnd()}`)
    throw new ConfigError(`${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  try {
    return readConfig(doc, dirname(resolve(file)))
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${file}: ${err.message}`)
    throw err
  }
}
