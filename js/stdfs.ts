/**
 * {@link StdFsBackend}: a host directory, served directly by the host kernel.
 *
 * @module
 */

import { realpathSync } from 'node:fs'

import { native, type NativeFs } from './native'
import { openError } from './opening'
import { NativeStack } from './stack'
import { checkPath } from './validate'

/** The native handle of a host directory, or the factory's error as an `FsError`. */
function openRoot(root: unknown): NativeFs {
  checkPath(root, 'root')
  try {
    return native.NativeFs.stdFs(root)
  } catch (err) {
    throw openError(err)
  }
}

/**
 * An existing host directory as a filesystem (every capability up to {@link FsPosix}): the
 * virtual path `/a/b` is the host file `<root>/a/b`, and every call is one or a few system
 * calls relative to a descriptor of the root. Host inode numbers (the root is inode 1), host
 * permissions, `flock` locks, host extended attributes; `sync()` syncs the host filesystem.
 *
 * **It offers NO containment.** The host kernel resolves paths as it does for `node:fs`: a
 * symlink inside the root whose target leaves it (`../../etc`, or an absolute host path) is
 * followed out of it, and so is `..` inside a symlink's target. Never give it untrusted paths
 * or let untrusted parties write into its root; use {@link VRootFsBackend} for that. What it
 * does keep consistent is the virtual namespace: `..` in a caller's path stops at the root
 * (`/..` is `/`), and absolute symlink targets created through it are virtual paths (stored
 * as `<root>/target`, read back as `/target`).
 *
 * **Threads.** Every operation does host I/O, so the async methods run on the native blocking
 * pool and never block the JS thread; the `*Sync` twins run on the JS thread, as node's do.
 *
 * **Platforms.** Linux only for now: elsewhere the constructor throws an {@link FsError} with
 * code `'ENOSYS'` (kind `'NotSupported'`).
 *
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { FileStorage, StdFsBackend } from 'anyfs'
 *
 * const dir = mkdtempSync(join(tmpdir(), 'anyfs-'))
 * const fs = new FileStorage(new StdFsBackend(dir))
 * await fs.createDirAll('/docs')
 * await fs.write('/docs/a.txt', 'hello')
 * readFileSync(join(dir, 'docs/a.txt'), 'utf8') // 'hello': it is a plain host file
 * ```
 */
export class StdFsBackend extends NativeStack {
  /** The canonical host path of the root, as it was when the backend was created. */
  readonly root: string

  /**
   * Serves the existing host directory `root`. Throws an {@link FsError}: `ENOENT` if it does
   * not exist, `ENOTDIR` if it is not a directory, `ENOSYS` on platforms other than Linux.
   *
   * @param root - the host directory (relative to the working directory if relative).
   *
   * @example
   * ```ts
   * import { StdFsBackend } from 'anyfs'
   * const host = new StdFsBackend('/tmp')
   * host.existsSync('/') // true
   * ```
   */
  constructor(root: string) {
    super(openRoot(root))
    this.root = realpathSync(root)
  }
}
