// anyfs in the benchmark's adapter shape: FileStorage over a backend, the way users call it.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import anyfs from '../dist/index.js'

const { FileStorage, MemoryBackend } = anyfs

/** Streams `total` bytes in `chunk`-sized pieces into a Writable. */
export async function streamInto(writable, chunk, total) {
  async function* pieces() {
    for (let done = 0; done < total; done += chunk.length) yield chunk
  }
  await pipeline(Readable.from(pieces()), writable)
}

/** Drains a Readable; returns the byte count. */
export async function drain(readable) {
  let n = 0
  for await (const piece of readable) n += piece.length
  return n
}

/**
 * The adapter of a FileStorage `fs`: sync, async (a settled promise for memory, the blocking
 * pool for host and SQLite backends), batch, and streams.
 */
export function storageAdapter(name, fs, { teardown = () => {} } = {}) {
  const p = (rel) => '/' + rel
  return {
    name,
    teardown,
    sync: {
      mkdir: (r) => fs.createDirAllSync(p(r)),
      write: (r, d) => fs.writeSync(p(r), d),
      stat: (r) => fs.metadataSync(p(r)),
      read: (r) => fs.readSync(p(r)),
      readdir: (r) => fs.readDirSync(p(r)),
      unlink: (r) => fs.removeFileSync(p(r)),
    },
    async: {
      mkdir: (r) => fs.createDirAll(p(r)),
      write: (r, d) => fs.write(p(r), d),
      stat: (r) => fs.metadata(p(r)),
      read: (r) => fs.read(p(r)),
      readdir: (r) => fs.readDir(p(r)),
      unlink: (r) => fs.removeFile(p(r)),
      streamWrite: async (r, chunk, total) => streamInto(await fs.openWrite(p(r)), chunk, total),
      streamRead: async (r) => drain(await fs.openRead(p(r))),
    },
    // Many operations in one crossing of the boundary.
    batch: {
      mkdir: (r) => fs.createDirAllSync(p(r)),
      writeMany: (names, d) => fs.batchSync(names.map((n) => ({ op: 'write', path: p(n), data: d }))),
      statMany: (names) => fs.batchSync(names.map((n) => ({ op: 'metadata', path: p(n) }))),
      readMany: (names) => fs.batchSync(names.map((n) => ({ op: 'read', path: p(n) }))),
      readdir: (r) => fs.readDirSync(p(r)),
      unlinkMany: (names) => fs.batchSync(names.map((n) => ({ op: 'removeFile', path: p(n) }))),
    },
  }
}

/** anyfs FileStorage over MemoryBackend. */
export function anyfsMemory() {
  return storageAdapter('anyfs (memory)', new FileStorage(new MemoryBackend()))
}
