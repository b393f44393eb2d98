/**
 * Whole-file synchronous reads without a fresh `ArrayBuffer` per small file.
 *
 * In Node 20, `Buffer.allocUnsafe(4096)` costs about 2 µs: 4 KiB is past Node's own 8 KiB pool
 * (it pools only below 4 KiB), so each call makes a new `ArrayBuffer`, four times the
 * engine's read of the file. So small results are carved out of a 256 KiB slab, prefaulted in
 * one system call, the way Node's
 * pool carves `Buffer.allocUnsafe`'s small buffers: the engine copies the file straight into
 * the slab's free tail and the caller gets a view of those bytes. Like a pooled Buffer, such
 * a view's `.buffer` is the shared slab (and keeps it alive); its bytes are its own. Slabs
 * are marked untransferable, as Node's pool is, so a view's memory cannot be detached from
 * under the next read.
 *
 * A file that does not fit the tail is parked natively (read once) and taken into a fresh
 * slab (small files), a buffer of its own (up to 8 MiB), or handed over without a copy.
 *
 * @internal
 * @module
 */

import { markAsUntransferable } from 'node:worker_threads'
import { native, type NativeFs } from './native'

/** The size of one slab. */
const SLAB_SIZE = 256 * 1024
/** Files up to this size that miss the current slab start a new one. */
const SLAB_FILE_MAX = SLAB_SIZE / 4
/** Above this size the native side hands its own buffer over instead of copying (convert.rs). */
const COPY_LIMIT = 8 * 1024 * 1024

function newSlab(): Buffer {
  const slab = Buffer.allocUnsafeSlow(SLAB_SIZE)
  markAsUntransferable(slab.buffer)
  // One system call instead of a page fault per 4 KiB inside the reads (crates/anyfs-node/src/prefault.rs).
  native.prefault(slab)
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
  if (at + length <= SLAB_SIZE) return carve(at, length)
  if (length <= SLAB_FILE_MAX) {
    slab = newSlab()
    n.takeReadInto(slab)
    return carve(0, length)
  }
  if (length > COPY_LIMIT) return n.takeRead()
  const out = Buffer.allocUnsafe(length)
  n.takeReadInto(out)
  return out
}
