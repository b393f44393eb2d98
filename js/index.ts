/**
 * # anyfs
 *
 * One filesystem API over pluggable storage, with a Rust engine. Start with a backend
 * ({@link MemoryBackend}), wrap it in a {@link FileStorage}, and call node:fs-shaped methods —
 * each one async with a `*Sync` twin:
 *
 * ```ts
 * import { FileStorage, MemoryBackend } from 'anyfs'
 * const fs = new FileStorage(new MemoryBackend())
 * await fs.createDirAll('/workspace/src')
 * await fs.write('/workspace/src/a.txt', 'hello')
 * fs.readSync('/workspace/src/a.txt') // <Buffer 68 65 6c 6c 6f>
 * ```
 *
 * Capabilities are types: {@link Fs}, {@link FsFull}, {@link FsFuse}, {@link FsPosix} and
 * their parts mirror the Rust traits, and a `FileStorage` has exactly the operations of its
 * backend's type. Errors are {@link FsError}s that read like node:fs's.
 *
 * @packageDocumentation
 * @module anyfs
 */

export type { BatchOp, BatchResult, BatchResults, BatchValues } from './batch'
export type {
  Data,
  Fs,
  FsCanonicalize,
  FsDir,
  FsFull,
  FsFuse,
  FsHandles,
  FsInode,
  FsLink,
  FsLock,
  FsPermissions,
  FsPosix,
  FsRead,
  FsStats,
  FsSync,
  FsWrite,
  FsXattr,
} from './capabilities'
export { FsError, type FsErrorInit, type FsErrorKind } from './errors'
export * from './js-layer'
export type { Layer, TransparentLayer } from './layer'
export { MemoryBackend, type MemoryBackendOptions } from './memory'
export { MountBuilder, MountError, MountHandle, type MountErrorKind, type MountOptions } from './mount'
export * from './middleware'
export { SqliteBackend, type SqliteBackendOptions, type SqliteMemoryOptions, type SqliteSynchronous } from './sqlite'
export { StdFsBackend } from './stdfs'
export { VRootFsBackend } from './vrootfs'
export { NativeStack, type CapabilityName } from './stack'
export {
  FileStorage,
  type Capabilities,
  type FileStorageBase,
  type FileStorageConstructor,
} from './storage'
export {
  DirEntry,
  Metadata,
  OpenFlags,
  Permissions,
  type FileType,
  type Handle,
  type LockType,
  type OpenFlagsInput,
  type StatFs,
  type TimeInput,
} from './types'
