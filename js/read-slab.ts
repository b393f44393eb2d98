/**
 * Whole-file synchronous reads without a fresh `ArrayBuffer` per small file.
 *
 * In Node 20, `Buffer.allocUnsafe(4096)` costs about 2 µs: 4 KiB is past Node's own 8 KiB pool
 * (it pools only below 4 KiB), so each call makes a new `ArrayBuffer`, four times the
 * engine's read of the file. So small results are carved out of a 64 KiB slab, the way Node's
 * pool carves `Buffer.allocUnsafe`'s small buffers: the engine copies the file straight into
 * the slab's free tail and the caller gets a view of those bytes. Like a pooled Buffer, such
 * a view's `.buffer` is the shared slab (and keeps it alive); its bytes are its own. Slabs
 * are marked untransferable, as Node's pool is, so a view's memory cannot be detached from
 * under the next read.
 *
 * What remains is the price of fresh memory: copying 4 KiB into bytes never touched before
 * costs about 0.5 µs more than into reused ones, whether the pages are faulted in by the copy
 * or prefaulted in one `madvise` (measured: no faster). Node's own `Buffer`s pay it too.
 *
 * A larger file comes back as a `Buffer` of its own when the engine lends its content: copied
 * once from the engine, or (MemoryBackend, 256 KiB and more, Linux) a private mapping of the
 * engine's memfd, not copied at all. A small file that misses the tail, or any file of an
 * engine that does not lend, is parked natively (read once) and taken into a fresh slab
 * (small files) or as a `Buffer` of its own (`takeRead`: one copy up to 8 MiB, none above).
 *
 * @internal
 * @module
 */

import { markAsUntransferable } from 'node:worker_threads'
import type { NativeFs } from './native'

/** The size of one slab (measured: 16 KiB to 1 MiB all read a 4 KiB file within 5%). */
const SLAB_SIZE = 64 * 1024
/** Files up to this size that miss the current slab start a new one (16 KiB: a slab serves at least four). */
const SLAB_FILE_MAX = SLAB_SIZE / 4

function newSlab(): Buffer {
  const slab = Buffer.allocUnsafeSlow(SLAB_SIZE)
  markAsUntransferable(slab.buffer)
  return slab
}

let slab = newSlab()
let used = 0

/** A view of `length` bytes of the current slab at `at`; the next result starts 8-aligned after it. */
function carve(at: number, length: number): Buffer {
  used = (at + length + 7) & ~7
  return Buffer.from(slab.buffer, slab.byteOffset + at, length)
}

/** The whole content of `path` through native handle `n` (errors are the caller's to map). */
export function readWhole(n: NativeFs, path: string): Buffer {
  const at = used
  const length = n.readInto(path, slab, at)
  if (typeof length !== 'number') return length
  if (at + length <= SLAB_SIZE) return carve(at, length)
  if (length <= SLAB_FILE_MAX) {
    slab = newSlab()
    n.takeReadInto(slab)
    return carve(0, length)
  }
  return n.takeRead()
}
