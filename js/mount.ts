/**
 * {@link MountHandle}: any native stack as a real filesystem, through FUSE (Linux).
 *
 * Programs in other processes (`ls`, `cp`, `git`, `sqlite3`...) then use the stack like a
 * disk; every layer applies (a quota is `ENOSPC` to them, a path filter hides what it denies).
 * The FUSE threads call the native stack directly, so a stack without JS layers never enters
 * JS and never waits for the event loop.
 *
 * **Stacks with JS layers** ({@link Middleware}, {@link JsBackend}, in any order with native
 * layers) mount too: a kernel request that reaches a JS layer is queued to the JS thread and the
 * FUSE thread waits for the handler's value or promise. Programs in other processes, and async
 * calls of this process (`fs.promises.readFile` on the mount: libuv's pool makes the syscall,
 * the JS thread stays free), are served normally. A *synchronous* call of the JS thread on the
 * mount (`fs.readFileSync('/mnt/x/f')`) blocks the very thread the JS layer needs: a request
 * that would have to run JS then fails at once with `EDEADLK` (errno 35 on Linux; node, whose
 * libuv has no name for it, reports `errno: -35`, "Unknown system error -35"), and the first
 * such answer prints why on stderr. Requests served without JS (operations no JS layer
 * overrides go straight to the native stack below) still work. `execFileSync` of a program
 * that uses the mount blocks the JS thread too, but the request then comes from another
 * process, so it cannot be told apart: it waits for the JS layer's `timeout` and fails with
 * `ETIMEDOUT`. Use the async `child_process` functions with such mounts.
 *
 * Programs do their file I/O through handles: the kernel's requests reach a layer's `open`,
 * `readAt`, `writeAt` and `close` handlers (and `lookup`, `metadataByInode` and the namespace
 * operations), not its whole-file `read`/`write`. A JS layer that polices writes for programs
 * on the mount overrides `open` (refusing a writable open) as well as `write`.
 *
 * **Caches.** The kernel trusts names and attributes for `entryTtl`/`attrTtl` seconds and keeps
 * file data across opens. Changes through the mount are always coherent; in-process changes
 * made through {@link MountHandle.stack} (or a `FileStorage` over it) update the kernel at once;
 * other in-process changes need {@link MountHandle.invalidate} or wait for the TTLs.
 *
 * A mount lives until {@link MountHandle.unmount}, process exit, or `SIGINT`/`SIGTERM`/`SIGHUP`
 * (after which the process ends as it would have, unless the program listens for the signal
 * itself). It does not end when the handle becomes unreachable: a mount that vanished whenever
 * the garbage collector ran would be a surprise. With `autoUnmount` (on by default where
 * `fusermount3` allows it) even `SIGKILL` leaves no mount behind.
 *
 * @module
 */

import { native } from './native'
import type { FsFuse } from './capabilities'
import { NativeStack, nativeOf } from './stack'
import type { NativeFs } from './native'
import { invalidArgType, outOfRange } from './errors'
import { checkPath } from './validate'

type NativeMount = InstanceType<typeof native.NativeMount>

/** The mounted stack as {@link MountHandle.stack} hands it out (a watched native stack). */
class WatchedStack extends NativeStack {
  constructor(handle: NativeFs) {
    super(handle)
  }
}

/**
 * The kind of a {@link MountError}: the name of the Rust `MountError` variant.
 *
 * @example
 * ```ts
 * import { MountError, type MountErrorKind } from 'anyfs'
 * function retryable(err: MountError): boolean {
 *   const kinds: MountErrorKind[] = ['MountPointBusy']
 *   return kinds.includes(err.kind)
 * }
 * ```
 */
export type MountErrorKind =
  | 'PlatformNotSupported'
  | 'DriverNotInstalled'
  | 'InvalidMountPoint'
  | 'MountPointBusy'
  | 'PermissionDenied'
  | 'Backend'
  | 'Platform'
  | 'MissingMountPoint'

/**
 * Why mounting or unmounting failed. `kind` names the problem; the message says what to do
 * (for `DriverNotInstalled`, how to install FUSE).
 *
 * @example
 * ```ts
 * import { MemoryBackend, MountError, MountHandle } from 'anyfs'
 * try {
 *   await MountHandle.mount(new MemoryBackend(), '/does/not/exist')
 * } catch (err) {
 *   if (err instanceof MountError && err.kind === 'InvalidMountPoint') console.error(err.message)
 * }
 * ```
 */
export class MountError extends Error {
  /** What went wrong. */
  readonly kind: MountErrorKind
  /** The mount point the error is about, if any. */
  readonly path: string | undefined

  /**
   * @param kind - what went wrong
   * @param message - the explanation
   * @param path - the mount point, if the error is about one
   *
   * @example
   * ```ts
   * import { MountError } from 'anyfs'
   * const err = new MountError('MountPointBusy', 'files are open', '/mnt/x')
   * ```
   */
  constructor(kind: MountErrorKind, message: string, path?: string) {
    super(message)
    this.name = 'MountError'
    this.kind = kind
    this.path = path
  }
}

const MAGIC = '\u0001anyfs-mount\u0001'

/** A native mount error as a {@link MountError}; anything else unchanged. */
function toMountError(err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.startsWith(MAGIC)) return err
  const [kind = 'Platform', path = '', message = ''] = err.message.slice(MAGIC.length).split('\u0001')
  return new MountError(kind as MountErrorKind, message, path === '' ? undefined : path)
}

function call<T>(f: () => T): T {
  try {
    return f()
  } catch (err) {
    throw toMountError(err)
  }
}

/**
 * Options of a mount. Every field is optional.
 *
 * @example
 * ```ts
 * import { MemoryBackend, MountHandle, type MountOptions } from 'anyfs'
 * const options: MountOptions = { readOnly: true, uid: process.getuid?.(), attrTtl: 5 }
 * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ro', options)
 * await mount.unmount()
 * ```
 */
export interface MountOptions {
  /** Refuse every change with `EROFS`. Default `false`. */
  readOnly?: boolean
  /** Let other users use the mount (non-root needs `user_allow_other` in `/etc/fuse.conf`). */
  allowOther?: boolean
  /**
   * Have `fusermount3` unmount when this process ends in any way, even `SIGKILL`. Default:
   * on where `fusermount3` is installed and allowed (root, or `user_allow_other`).
   */
  autoUnmount?: boolean
  /** Owner reported for every node instead of the stack's own. */
  uid?: number
  /** Group reported for every node instead of the stack's own. */
  gid?: number
  /**
   * Let the kernel check permission bits against the caller. Default `true`. The check re-reads
   * a directory's attributes after each change in it: off, creates and unlinks cost one round
   * trip less.
   */
  defaultPermissions?: boolean
  /** The source name in `/proc/mounts` and `df`. Default `'anyfs'`. */
  fsName?: string
  /** Largest write request in bytes. Default 1 MiB (at most 16 MiB). */
  maxWrite?: number
  /**
   * Seconds the kernel may cache a name (default 1). In-process changes made through
   * {@link MountHandle.stack} reach programs at once whatever this is; other in-process changes
   * within this time, or at once after {@link MountHandle.invalidate}.
   */
  entryTtl?: number
  /** Seconds the kernel may cache attributes (default 1). */
  attrTtl?: number
  /**
   * Threads serving kernel requests. Default: one per CPU, from 2 to 4. One thread answers a
   * single program's one-at-a-time requests fastest; more serve several programs in parallel.
   */
  threads?: number
  /**
   * Forward `flock(2)` to the stack's locks, so programs and in-process lock holders exclude
   * each other. Costs a round trip per `open(2)`. Default `false`.
   */
  forwardLocks?: boolean
}

const BOOLS = ['readOnly', 'allowOther', 'autoUnmount', 'defaultPermissions', 'forwardLocks'] as const
const INTS = ['uid', 'gid', 'maxWrite', 'threads'] as const
const SECONDS = ['entryTtl', 'attrTtl'] as const

function checkOptions(options: unknown): MountOptions {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
  const o = options as Record<string, unknown>
  for (const k of BOOLS) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw invalidArgType(`options.${k}`, 'of type boolean', o[k])
  }
  for (const k of INTS) {
    const v = o[k]
    if (v === undefined) continue
    if (typeof v !== 'number') throw invalidArgType(`options.${k}`, 'of type number', v)
    if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw outOfRange(`options.${k}`, 'an integer >= 0 && <= 4294967295', v)
  }
  for (const k of SECONDS) {
    const v = o[k]
    if (v === undefined) continue
    if (typeof v !== 'number') throw invalidArgType(`options.${k}`, 'of type number', v)
    if (!Number.isFinite(v) || v < 0) throw outOfRange(`options.${k}`, 'a finite number of seconds >= 0', v)
  }
  if (o.fsName !== undefined && typeof o.fsName !== 'string') throw invalidArgType('options.fsName', 'of type string', o.fsName)
  return o as MountOptions
}

// ---- lifecycle: unmount at exit and on termination signals ----

const live = new Set<MountHandle>()
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let hooked = false

function unmountAll(): void {
  for (const m of [...live]) {
    try {
      m.unmountSync()
    } catch {
      // Exiting anyway; the kernel (or fusermount3's auto-unmount) cleans up what is left.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Decide before unmounting: the last unmount removes this listener.
  const alone = process.listenerCount(signal) === 1
  unmountAll()
  // Nobody else handles it: end the process as the signal would have.
  if (alone) process.kill(process.pid, signal)
}

function hook(): void {
  if (hooked) return
  hooked = true
  process.on('exit', unmountAll)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function unhook(): void {
  if (!hooked) return
  hooked = false
  process.removeListener('exit', unmountAll)
  for (const s of SIGNALS) process.removeListener(s, onSignal)
}

/**
 * A live mount of a native stack. Make one with {@link MountHandle.mount} or
 * {@link MountHandle.builder}.
 *
 * @example
 * ```ts
 * import { execFileSync } from 'node:child_process'
 * import { FileStorage, MemoryBackend, MountHandle } from 'anyfs'
 *
 * const backend = new MemoryBackend()
 * const mount = await MountHandle.mount(backend, '/mnt/ws')
 * execFileSync('git', ['init', '-q'], { cwd: '/mnt/ws' })
 * const fs = new FileStorage(backend)
 * console.log(fs.existsSync('/.git/HEAD')) // true: same data, in-process
 * await mount.unmount()
 * ```
 */
export class MountHandle {
  #native: NativeMount
  #stack: NativeStack | undefined

  private constructor(n: NativeMount) {
    this.#native = n
  }

  /**
   * Mounts `stack` (any native stack with the {@link FsFuse} capabilities: a backend, a
   * middleware stack or a {@link FileStorage}) on `mountPoint`, an existing directory. Rejects
   * with a {@link MountError}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ram', { threads: 2 })
   * await mount.unmount()
   * ```
   */
  static async mount(stack: FsFuse, mountPoint: string, options?: MountOptions): Promise<MountHandle> {
    return MountHandle.mountSync(stack, mountPoint, options)
  }

  /**
   * {@link MountHandle.mount}, synchronously (mounting takes a few milliseconds).
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = MountHandle.mountSync(new MemoryBackend(), '/mnt/ram')
   * mount.unmountSync()
   * ```
   */
  static mountSync(stack: FsFuse, mountPoint: string, options?: MountOptions): MountHandle {
    const n = nativeOf(stack)
    if (n === undefined) throw invalidArgType('stack', 'a native stack (such as a MemoryBackend)', stack)
    checkPath(mountPoint, 'mountPoint')
    const opts = checkOptions(options)
    const handle = new MountHandle(call(() => native.NativeMount.mount(n, mountPoint, opts)))
    live.add(handle)
    hook()
    return handle
  }

  /**
   * A {@link MountBuilder} for `stack`.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.builder(new MemoryBackend()).mountPoint('/mnt/ro').readOnly(true).mount()
   * await mount.unmount()
   * ```
   */
  static builder(stack: FsFuse): MountBuilder {
    return new MountBuilder(stack)
  }

  /**
   * Whether this process can mount: Linux with `/dev/fuse`, as root or with `fusermount3`
   * (Debian: `apt-get install fuse3`).
   *
   * @example
   * ```ts
   * import { MountHandle } from 'anyfs'
   * if (!MountHandle.isAvailable()) console.warn('FUSE is not available here')
   * ```
   */
  static isAvailable(): boolean {
    return native.mountIsAvailable()
  }

  /**
   * The mount point (canonical path).
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ram')
   * console.log(mount.mountPoint) // '/mnt/ram'
   * ```
   */
  get mountPoint(): string {
    return this.#native.mountPoint
  }

  /**
   * Whether it is still mounted: `false` after {@link MountHandle.unmount}, or after someone
   * ran `fusermount3 -u` on it.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ram')
   * await mount.unmount()
   * console.log(mount.mounted) // false
   * ```
   */
  get mounted(): boolean {
    return this.#native.mounted
  }

  /**
   * Unmounts. If files are still open under the mount point, it is detached lazily (gone from
   * the namespace now, ended when the last file closes). Unmounting twice is a no-op.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ram')
   * await mount.unmount()
   * ```
   */
  async unmount(): Promise<void> {
    this.unmountSync()
  }

  /**
   * {@link MountHandle.unmount}, synchronously.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.mountSync(new MemoryBackend(), '/mnt/ram').unmountSync()
   * ```
   */
  unmountSync(): void {
    try {
      call(() => this.#native.unmount())
    } finally {
      this.#forget()
    }
  }

  /**
   * Unmounts, but rejects with a `MountPointBusy` {@link MountError} (and stays mounted) while
   * files are open under the mount point.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountError, MountHandle } from 'anyfs'
   * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ram')
   * try {
   *   await mount.tryUnmount()
   * } catch (err) {
   *   if (err instanceof MountError && err.kind === 'MountPointBusy') await mount.unmount()
   * }
   * ```
   */
  async tryUnmount(): Promise<void> {
    call(() => this.#native.tryUnmount())
    this.#forget()
  }

  /**
   * The mounted stack, for in-process use with the kernel's caches kept current: every change
   * that succeeds through it — or through a {@link FileStorage} over it — drops what the
   * kernel cached about the paths it touched (attributes, data, the name and its directory's
   * listing) before it returns, so programs see it at once however long
   * {@link MountOptions.entryTtl} and {@link MountOptions.attrTtl} are. It is the same data as
   * the stack that was mounted, with the same capabilities.
   *
   * Changes made any other way — through the stack object that was mounted, a JS layer's own
   * state, another process writing the same SQLite file — reach programs when the TTLs expire,
   * or at once after {@link MountHandle.invalidate}. After the unmount it still works, as a
   * plain stack.
   *
   * @example
   * ```ts
   * import { execFileSync } from 'node:child_process'
   * import { FileStorage, MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.mount(new MemoryBackend(), '/mnt/ws', { entryTtl: 60, attrTtl: 60 })
   * const fs = new FileStorage(mount.stack)
   * fs.writeSync('/config.json', '{"v":2}')
   * execFileSync('cat', ['/mnt/ws/config.json']) // '{"v":2}', at once
   * ```
   */
  get stack(): NativeStack {
    this.#stack ??= new WatchedStack(this.#native.watched())
    return this.#stack
  }

  /**
   * Makes programs see an in-process change to `path` (a path of the stack, like `/a/b`) at
   * once, instead of when the kernel's cache expires. Changes made through
   * {@link MountHandle.stack} need no call; use it for changes made behind the mount's back
   * (through the stack object that was mounted, or a JS layer's own state).
   *
   * @example
   * ```ts
   * import { FileStorage, MemoryBackend, MountHandle } from 'anyfs'
   * const backend = new MemoryBackend()
   * const mount = await MountHandle.mount(backend, '/mnt/ram')
   * new FileStorage(backend).writeSync('/config.json', '{}')
   * mount.invalidate('/config.json')
   * ```
   */
  invalidate(path: string): void {
    checkPath(path)
    call(() => this.#native.invalidate(path))
  }

  #forget(): void {
    live.delete(this)
    if (live.size === 0) unhook()
  }
}

/**
 * Sets a mount point and options step by step, then {@link MountBuilder.mount}s.
 *
 * @example
 * ```ts
 * import { MemoryBackend, MountHandle } from 'anyfs'
 * const mount = await MountHandle.builder(new MemoryBackend())
 *   .mountPoint('/mnt/data')
 *   .readOnly(true)
 *   .uid(1000)
 *   .gid(1000)
 *   .mount()
 * await mount.unmount()
 * ```
 */
export class MountBuilder {
  #stack: FsFuse
  #mountPoint: string | undefined
  #options: MountOptions = {}

  /**
   * A builder for `stack`; {@link MountHandle.builder} is the usual way to get one.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountBuilder } from 'anyfs'
   * const builder = new MountBuilder(new MemoryBackend()).mountPoint('/mnt/x')
   * ```
   */
  constructor(stack: FsFuse) {
    this.#stack = stack
  }

  #set<K extends keyof MountOptions>(key: K, value: MountOptions[K]): this {
    this.#options = { ...this.#options, [key]: value }
    return this
  }

  /**
   * The directory to mount on.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).mountPoint('/mnt/x')
   * ```
   */
  mountPoint(path: string): this {
    checkPath(path, 'mountPoint')
    this.#mountPoint = path
    return this
  }

  /**
   * See {@link MountOptions.readOnly}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).readOnly(true)
   * ```
   */
  readOnly(yes = true): this {
    return this.#set('readOnly', yes)
  }

  /**
   * See {@link MountOptions.allowOther}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).allowOther(true)
   * ```
   */
  allowOther(yes = true): this {
    return this.#set('allowOther', yes)
  }

  /**
   * See {@link MountOptions.autoUnmount}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).autoUnmount(false)
   * ```
   */
  autoUnmount(yes = true): this {
    return this.#set('autoUnmount', yes)
  }

  /**
   * See {@link MountOptions.uid}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).uid(1000)
   * ```
   */
  uid(uid: number): this {
    return this.#set('uid', uid)
  }

  /**
   * See {@link MountOptions.gid}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).gid(1000)
   * ```
   */
  gid(gid: number): this {
    return this.#set('gid', gid)
  }

  /**
   * See {@link MountOptions.defaultPermissions}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).defaultPermissions(false)
   * ```
   */
  defaultPermissions(yes = true): this {
    return this.#set('defaultPermissions', yes)
  }

  /**
   * See {@link MountOptions.fsName}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).fsName('ramdisk')
   * ```
   */
  fsName(name: string): this {
    return this.#set('fsName', name)
  }

  /**
   * See {@link MountOptions.maxWrite}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).maxWrite(4 * 1024 * 1024)
   * ```
   */
  maxWrite(bytes: number): this {
    return this.#set('maxWrite', bytes)
  }

  /**
   * Sets both {@link MountOptions.entryTtl} and {@link MountOptions.attrTtl} (seconds).
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).ttl(30)
   * ```
   */
  ttl(seconds: number): this {
    return this.#set('entryTtl', seconds).#set('attrTtl', seconds)
  }

  /**
   * See {@link MountOptions.threads}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).threads(8)
   * ```
   */
  threads(count: number): this {
    return this.#set('threads', count)
  }

  /**
   * See {@link MountOptions.forwardLocks}.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * MountHandle.builder(new MemoryBackend()).forwardLocks(true)
   * ```
   */
  forwardLocks(yes = true): this {
    return this.#set('forwardLocks', yes)
  }

  /**
   * Mounts; rejects with a `MissingMountPoint` {@link MountError} if no mount point was set.
   *
   * @example
   * ```ts
   * import { MemoryBackend, MountHandle } from 'anyfs'
   * const mount = await MountHandle.builder(new MemoryBackend()).mountPoint('/mnt/x').mount()
   * await mount.unmount()
   * ```
   */
  async mount(): Promise<MountHandle> {
    if (this.#mountPoint === undefined) {
      throw new MountError('MissingMountPoint', 'no mount point given: call .mountPoint(path) before .mount()')
    }
    return MountHandle.mountSync(this.#stack, this.#mountPoint, this.#options)
  }
}
