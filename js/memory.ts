/**
 * {@link MemoryBackend}: the in-memory backend.
 *
 * @module
 */

import { native } from './native'
import { NativeStack } from './stack'
import { checkIndex } from './validate'

/**
 * Options of {@link MemoryBackend}.
 *
 * @example
 * ```ts
 * import { MemoryBackend, type MemoryBackendOptions } from 'anyfs'
 * const options: MemoryBackendOptions = { capacity: 64 * 1024 * 1024 }
 * const backend = new MemoryBackend(options)
 * ```
 */
export interface MemoryBackendOptions {
  /**
   * The most bytes of file content the filesystem holds; growing past it fails with `ENOSPC`
   * (`QuotaExceeded`), and `statfs` reports it as the total. Default: only memory limits it.
   */
  capacity?: number
  /**
   * Run async calls on the blocking pool instead of the calling thread. Off by default: the
   * memory backend never blocks, so its async calls are computed at once and return a settled
   * promise. Turn it on to keep the event loop free during very large reads and writes, at the
   * cost of a thread hop per call.
   */
  offload?: boolean
}

/**
 * A complete in-memory POSIX filesystem (every capability up to {@link FsPosix}): inodes, hard
 * links, symlinks, permissions, timestamps, handles, advisory locks and extended attributes.
 * The backend itself has every operation; wrap it in a {@link FileStorage} for symlink-aware
 * path resolution and canonicalization, or in middleware with {@link NativeStack.layer}.
 *
 * Its async methods never hop threads (unless `offload` is set); they compute and return a
 * settled promise.
 *
 * @example
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 *
 * const backend = new MemoryBackend({ capacity: 100 * 1024 * 1024 })
 * const fs = new FileStorage(backend)
 * await fs.createDirAll('/workspace/src')
 * await fs.write('/workspace/src/a.txt', 'hello')
 * const data: Buffer = await fs.read('/workspace/src/a.txt')
 * fs.writeSync('/workspace/b.txt', data)
 * ```
 */
export class MemoryBackend extends NativeStack {
  /**
   * An empty filesystem holding only the root directory.
   *
   * @example
   * ```ts
   * import { MemoryBackend } from 'anyfs'
   * const small = new MemoryBackend({ capacity: 1024 })
   * ```
   */
  constructor(options: MemoryBackendOptions = {}) {
    const { capacity, offload } = options
    if (capacity !== undefined) checkIndex(capacity, 'options.capacity')
    super(native.NativeFs.memory(capacity, offload === true))
  }
}
