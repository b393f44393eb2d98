// anyfs in the benchmark's adapter shape: FileStorage over MemoryBackend, the way users call it.
import anyfs from '../dist/index.js'

const { FileStorage, MemoryBackend } = anyfs

/** anyfs FileStorage over MemoryBackend: sync, async (settled promises, no pool hop), batch. */
export function anyfsMemory() {
  const fs = new FileStorage(new MemoryBackend())
  const p = (rel) => '/' + rel
  return {
    name: 'anyfs (memory)',
    teardown: () => {},
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
