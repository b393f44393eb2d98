/**
 * {@link PathFilter} and {@link PathFilterLayer}: glob allow/deny rules on resolved paths,
 * deny by default (`EACCES`).
 *
 * @module
 */

import type { Fs, FsPosix } from '../capabilities'
import { invalidArgType, invalidArgValue } from '../errors'
import { native } from '../native'
import { call, MiddlewareImpl, stackHandle, type LayerKind, type MiddlewareStack, type StackCapabilities } from './common'

/**
 * One {@link PathFilter} rule.
 *
 * @example
 * ```ts
 * import type { PathRule } from 'anyfs'
 * const rules: PathRule[] = [
 *   { kind: 'allow', pattern: '/workspace/**' },
 *   { kind: 'deny', pattern: '.env' }, // any depth, as in .gitignore
 * ]
 * ```
 */
export interface PathRule {
  /** Whether matching paths are allowed or denied. */
  kind: 'allow' | 'deny'
  /** A glob pattern (see {@link PathFilter} for the syntax). */
  pattern: string
}

/**
 * The methods a {@link PathFilter} adds to its stack.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { MemoryBackend, PathFilter, type PathFilterStack } from 'anyfs'
 * const f: PathFilterStack<MemoryBackend> = new PathFilter(new MemoryBackend(), [{ kind: 'allow', pattern: '/ws/**' }])
 * f.rules.length // 1
 * ```
 */
export interface PathFilterStack<B extends Fs> extends MiddlewareStack<B> {
  /** The rules, in the order they were given. */
  readonly rules: readonly Readonly<PathRule>[]
}

/**
 * A stack of type `B` that only lets through the paths its rules allow, keeping `B`'s
 * capabilities. Denied paths fail with `EACCES` (`AccessDenied`), naming the path the caller
 * gave.
 *
 * Rules (`globset` globs, matched against the whole absolute path):
 * - `*`, `?` and `[...]` stay inside one path component; only `**` crosses `/`.
 *   `/workspace/**` matches everything below `/workspace` and `/workspace` itself.
 * - A pattern that does not start with `/` matches at any depth, as in `.gitignore`: `.env`
 *   matches `/.env` and `/a/b/.env`, `*.key` every file whose name ends in `.key`.
 * - **Deny rules win** over allow rules, whatever their order, and **nothing is allowed unless
 *   a rule allows it** (deny by default). Denying a node denies everything below it.
 * - The directories on the way to an allowed pattern may be looked up (not listed, read or
 *   changed), so path resolution can reach the allowed tree.
 *
 * Every path is checked as written and as **resolved** through the wrapped stack (symlinks
 * followed, `..` taken physically), so neither a symlink nor `..` leads to a denied node;
 * `rename`, `copy` and links check both paths; `readDir` leaves denied entries out.
 * Per call: one resolution walk (O(path components)) and two glob-set matches.
 *
 * @typeParam B - the wrapped stack's type.
 *
 * @example
 * ```ts
 * import { FileStorage, FsError, MemoryBackend, PathFilterLayer } from 'anyfs'
 *
 * const backend = new MemoryBackend()
 * backend.createDirAllSync('/workspace/src')
 * backend.writeSync('/workspace/.env', 'TOKEN=1')
 * backend.symlinkSync('/workspace/.env', '/workspace/env-link')
 * const fs = new FileStorage(backend.layer(PathFilterLayer.builder().allow('/workspace/**').deny('.env').build()))
 * await fs.write('/workspace/src/a.txt', 'hello')
 * ;(await fs.readDir('/workspace')).map((e) => e.name) // ['env-link', 'src']: no .env
 * await fs.read('/workspace/env-link').catch((err: FsError) => err.code) // 'EACCES'
 * ```
 */
export type PathFilter<B extends Fs = FsPosix> = PathFilterStack<B> & StackCapabilities<B>

/**
 * The constructor of {@link PathFilter}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, PathFilter, type PathFilterConstructor } from 'anyfs'
 * const make: PathFilterConstructor = PathFilter
 * const fs = new make(new MemoryBackend(), [{ kind: 'allow', pattern: '/tmp/**' }])
 * ```
 */
export interface PathFilterConstructor {
  /**
   * `inner` filtered by `rules` (none: everything is denied). A pattern that is not a valid
   * glob is a `TypeError` naming it.
   */
  new <B extends Fs>(inner: B, rules?: readonly PathRule[]): PathFilter<B>
  /** The prototype shared by every filter. */
  readonly prototype: PathFilter
}

/** A checked, frozen rule; a bad glob is a `TypeError` with the pattern in its message. */
function checkRule(value: unknown, name: string): Readonly<PathRule> {
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'of type object', value)
  const { kind, pattern } = value as Record<string, unknown>
  if (kind !== 'allow' && kind !== 'deny') throw invalidArgValue(`${name}.kind`, kind, "must be 'allow' or 'deny'")
  return Object.freeze({ kind, pattern: checkPattern(pattern, `${name}.pattern`) })
}

function checkPattern(pattern: unknown, name: string): string {
  if (typeof pattern !== 'string') throw invalidArgType(name, 'of type string', pattern)
  const reason = native.pathFilterPatternError(pattern)
  if (reason !== null && reason !== undefined) {
    throw invalidArgValue(name, JSON.stringify(pattern), `is not a valid glob pattern (${reason})`)
  }
  return pattern
}

function checkRules(value: unknown, name: string): readonly Readonly<PathRule>[] {
  if (value === undefined) return Object.freeze([])
  if (!Array.isArray(value)) throw invalidArgType(name, 'an array of { kind, pattern } rules', value)
  return Object.freeze(value.map((r, i) => checkRule(r, `${name}[${i}]`)))
}

/** The runtime class: every operation, typed down by {@link PathFilter}. */
const PathFilterImpl = class PathFilter extends MiddlewareImpl {
  readonly rules: readonly Readonly<PathRule>[]

  constructor(inner: unknown, rules?: readonly PathRule[]) {
    const handle = stackHandle(inner, 'inner')
    const checked = checkRules(rules, 'rules')
    const native = checked.map((r) => ({ allow: r.kind === 'allow', pattern: r.pattern }))
    super(
      call(() => handle.wrapPathFilter(native)),
      inner,
    )
    this.rules = checked
  }
}

/**
 * Creates a {@link PathFilter}: `new PathFilter(backend, rules)`.
 *
 * @example
 * ```ts
 * import { MemoryBackend, PathFilter } from 'anyfs'
 * const fs = new PathFilter(new MemoryBackend(), [
 *   { kind: 'allow', pattern: '/workspace/**' },
 *   { kind: 'allow', pattern: '/tmp/**' },
 *   { kind: 'deny', pattern: '.git' }, // every .git directory and all below it
 * ])
 * ```
 */
export const PathFilter: PathFilterConstructor = PathFilterImpl as unknown as PathFilterConstructor

/**
 * What a {@link PathFilterLayer} makes of a stack: a {@link PathFilter} over it (see {@link LayerKind}).
 *
 * @example
 * ```ts
 * import type { MemoryBackend, PathFilter, PathFilterKind, Wrapped } from 'anyfs'
 * type W = Wrapped<PathFilterKind, MemoryBackend> // PathFilter<MemoryBackend>
 * ```
 */
export interface PathFilterKind extends LayerKind {
  /** A {@link PathFilter} over the wrapped stack. */
  readonly out: PathFilter<Extract<this['in'], Fs>>
}

/**
 * The layer that wraps a stack in a {@link PathFilter}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, PathFilterLayer } from 'anyfs'
 * const sandbox = new MemoryBackend().layer(
 *   PathFilterLayer.builder()
 *     .allow('/workspace/**')
 *     .deny('.env') // at any depth
 *     .deny('secrets') // every secrets directory, and all below it
 *     .deny('*.key')
 *     .build(),
 * )
 * ```
 */
export class PathFilterLayer {
  /** Type-level only (always `undefined` at run time): what this layer makes of a stack. */
  declare readonly layerKind: PathFilterKind | undefined

  /** The rules every stack this layer wraps gets, in order. */
  readonly rules: readonly Readonly<PathRule>[]

  /**
   * A layer with `rules` (none: it denies everything). Patterns are checked now.
   *
   * @example
   * ```ts
   * import { PathFilterLayer } from 'anyfs'
   * const layer = new PathFilterLayer([{ kind: 'allow', pattern: '/data/**' }])
   * ```
   */
  constructor(rules: readonly PathRule[] = []) {
    this.rules = checkRules(rules, 'rules')
  }

  /**
   * A builder with no rules yet.
   *
   * @example
   * ```ts
   * import { PathFilterLayer } from 'anyfs'
   * const layer = PathFilterLayer.builder().allow('/workspace/**').deny('.env').build()
   * ```
   */
  static builder(): PathFilterLayerBuilder {
    return new PathFilterLayerBuilder()
  }

  /**
   * Wraps `inner` (what `inner.layer(this)` calls).
   *
   * @example
   * ```ts
   * import { MemoryBackend, PathFilterLayer } from 'anyfs'
   * const fs = new PathFilterLayer([{ kind: 'allow', pattern: '/**' }]).wrap(new MemoryBackend())
   * ```
   */
  wrap<B extends Fs>(inner: B): PathFilter<B> {
    return new PathFilter(inner, this.rules)
  }

  /**
   * The seeds' spelling of {@link PathFilterLayer.wrap}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, PathFilterLayer } from 'anyfs'
   * const fs = PathFilterLayer.builder().allow('/ws/**').build().layer(new MemoryBackend())
   * ```
   */
  layer<B extends Fs>(backend: B): PathFilter<B> {
    return this.wrap(backend)
  }
}

/**
 * Builder of {@link PathFilterLayer}; starts with no rules (everything denied). Each pattern is
 * checked where it is added: a pattern that is not a valid glob is a `TypeError` with the
 * pattern in its message.
 *
 * @example
 * ```ts
 * import { PathFilterLayer, type PathFilterLayerBuilder } from 'anyfs'
 * const b: PathFilterLayerBuilder = PathFilterLayer.builder().allow('/workspace/**')
 * ```
 */
export class PathFilterLayerBuilder {
  readonly #rules: PathRule[] = []

  /**
   * Allow paths matching `pattern` (unless a deny rule matches them).
   *
   * @example
   * ```ts
   * PathFilterLayer.builder().allow('/workspace/**').allow('/tmp/**')
   * ```
   */
  allow(pattern: string): this {
    this.#rules.push({ kind: 'allow', pattern: checkPattern(pattern, 'pattern') })
    return this
  }

  /**
   * Deny paths matching `pattern` and everything below them.
   *
   * @example
   * ```ts
   * PathFilterLayer.builder().allow('/**').deny('secrets')
   * ```
   */
  deny(pattern: string): this {
    this.#rules.push({ kind: 'deny', pattern: checkPattern(pattern, 'pattern') })
    return this
  }

  /**
   * The layer (a snapshot of the rules so far).
   *
   * @example
   * ```ts
   * const layer = PathFilterLayer.builder().allow('/ws/**').build()
   * ```
   */
  build(): PathFilterLayer {
    return new PathFilterLayer([...this.#rules])
  }
}
