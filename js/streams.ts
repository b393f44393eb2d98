/**
 * Node streams over the native streaming handles behind `openRead`/`openWrite`.
 *
 * For non-blocking stacks each chunk is a synchronous native call (no thread hop); blocking
 * stacks read and write each chunk on the blocking pool.
 *
 * @internal
 * @module
 */

import { Readable, Writable } from 'node:stream'

import { toFsError } from './errors'
import type { NativeReader, NativeWriter } from './native'

/** Chunk size when the consumer does not ask for one. */
const CHUNK = 64 * 1024

/** Wraps a native reader; the native handle is released on end, error or destroy. */
export function readStream(reader: NativeReader, pool: boolean): Readable {
  let busy = false
  return new Readable({
    highWaterMark: CHUNK,
    read(size) {
      if (pool) {
        if (busy) return
        busy = true
        reader.readAsync(size || CHUNK).then(
          (chunk) => {
            busy = false
            this.push(chunk)
          },
          (err: unknown) => this.destroy(toFsError(err) as Error),
        )
        return
      }
      let chunk: Buffer | null
      try {
        chunk = reader.read(size || CHUNK)
      } catch (err) {
        this.destroy(toFsError(err) as Error)
        return
      }
      this.push(chunk)
    },
    destroy(err, callback) {
      reader.close()
      callback(err)
    },
  })
}

/** Wraps a native writer; `end()` flushes it, `destroy()` drops it. */
export function writeStream(writer: NativeWriter, pool: boolean): Writable {
  return new Writable({
    highWaterMark: CHUNK,
    write(chunk: Buffer, _encoding, callback) {
      if (pool) {
        writer.writeAsync(chunk).then(
          () => callback(),
          (err: unknown) => callback(toFsError(err) as Error),
        )
        return
      }
      try {
        writer.write(chunk)
      } catch (err) {
        callback(toFsError(err) as Error)
        return
      }
      callback()
    },
    final(callback) {
      if (pool) {
        writer.closeAsync().then(
          () => callback(),
          (err: unknown) => callback(toFsError(err) as Error),
        )
        return
      }
      try {
        writer.close()
      } catch (err) {
        callback(toFsError(err) as Error)
        return
      }
      callback()
    },
    destroy(err, callback) {
      // After `final` the writer is already closed and this is a no-op; before it (an error or
      // an explicit destroy) the partial write is dropped without a flush.
      writer.abort()
      callback(err)
    },
  })
}
