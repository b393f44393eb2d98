/**
 * {@link VRootFsBackend}: a host directory as a virtual root no path can leave.
 *
 * @module
 */

import { realpathSync } from 'node:fs'

import { native, type NativeFs } from './native'
import { openError } from './opening'
import { NativeStack } from './stack'
import { checkPath } from './validate'

/** The native handle of a contained host directory, or the factory's error as an `FsError`. */
function openRoot(root: unknown): NativeFs {
  checkPath(root, 'root')
  try {
    return native.NativeFs.vrootFs(root)
  } catch (err) {
    throw openError(err)
  }
}

/**
 * An existing host directory as a contained virtual root (every capability up to
 * {@link FsPosix}): the virtual path `/a/b` is the host file `<root>/a/b`, resolved as if the
 * process had `chroot`ed into the root. For sandboxes and multi-tenant storage.
 *
 * **What it guarantees.** No caller path reaches a host node outside the root, whatever the tree
 * inside holds: `..` stops at the root; a symlink's absolute target `/x` means `<root>/x`,
 * never the host's `/x`; relative targets that climb (`../../etc`), chains of symlinks, `..`
 * inside targets and magic links (`/proc/self/root`) all stay inside; a symlink swapped in
 * concurrently by another thread or process is contained too, because the Linux kernel resolves
 * every path in one step with `openat2(RESOLVE_IN_ROOT)` and the descriptor it returns is the
 * one used (no check-then-use window). Names with `\` are ordinary names; paths with NUL bytes,
 * relative paths and empty paths are refused (`EINVAL`). Creating a symlink to any target is
 * allowed: the target is data until followed, and following stays inside.
 *
 * **What it does not guard against.** A hard link to an outside file made on the host by
 * someone with access to both *is* that file; a mount inside the root exposes what it mounts;
 * device nodes inside the root are devices; sizes and rates are middleware's job (quotas,
 * rate limits).
 *
 * Otherwise it behaves as {@link StdFsBackend}: host inode numbers (the root is inode 1), host
 * permissions, `flock` locks, host extended attributes, and async methods that run on the
 * native blocking pool so the JS thread stays free.
 *
 * **Platforms.** Linux 5.6 or newer (`openat2`). On older kernels, where `openat2` is blocked
 * (some seccomp profiles) and on other platforms the constructor throws an {@link FsError} with
 * code `'ENOSYS'` (kind `'NotSupported'`) rather than fall back to a weaker check.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { FileStorage, VRootFsBackend } from 'anyfs'
 *
 * const jail = new VRootFsBackend(mkdtempSync(join(tmpdir(), 'tenant-')))
 * const fs = new FileStorage(jail)
 * await fs.write('/a.txt', 'inside')
 * await fs.readToString('/../../../a.txt') // 'inside': climbing stops at the root
 * await fs.symlink('/etc/passwd', '/passwd') // harmless: it means <root>/etc/passwd
 * await fs.exists('/passwd') // false
 * ```
 */
export class VRootFsBackend extends NativeStack {
  /** The canonical host path of the root, as it was when the backend was created. */
  readonly root: string

  /**
   * Serves the existing host directory `root` as a virtual root. Throws an {@link FsError}:
   * `ENOENT` if it does not exist, `ENOTDIR` if it is not a directory, `ENOSYS` where the
   * kernel cannot contain paths (`openat2` missing) or the platform is not Linux.
   *
   * @param root - the host directory (relative to the working directory if relative).
   *
   * @example
   * ```ts
   * import { mkdtempSync } from 'node:fs'
   * import { VRootFsBackend } from 'anyfs'
   * const jail = new VRootFsBackend(mkdtempSync('/tmp/jail-'))
   * jail.readDirSync('/') // []
   * ```
   */
  constructor(root: string) {
    super(openRoot(root))
    this.root = realpathSync(root)
  }
}
