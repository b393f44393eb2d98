// A small JS backend over Maps for the JS-layer specs: a complete JsFs (files and directories,
// POSIX errors), optionally answering every call with a promise. Not a spec file.

import { FsError, type DirEntryInit, type FsErrorKind, type JsFs, type MetadataInit } from '../js/index'

const KINDS: Record<string, FsErrorKind> = {
  ENOENT: 'NotFound',
  EEXIST: 'AlreadyExists',
  EISDIR: 'NotAFile',
  ENOTDIR: 'NotADirectory',
  ENOTEMPTY: 'DirectoryNotEmpty',
}

function fail(code: string, syscall: string, path: string): FsError {
  return new FsError({ code, kind: KINDS[code] ?? 'Io', syscall, path })
}

function parentOf(path: string): string {
  const at = path.lastIndexOf('/')
  return at <= 0 ? '/' : path.slice(0, at)
}

/** Every handler of JsFs over two maps; `calls` counts handler calls by name. */
export class MapFs implements JsFs {
  readonly files = new Map<string, Buffer>()
  readonly dirs = new Set<string>(['/'])
  readonly calls = new Map<string, number>()

  protected count(op: string): void {
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1)
  }

  protected file(path: string, op: string): Buffer {
    const data = this.files.get(path)
    if (data !== undefined) return data
    throw fail(this.dirs.has(path) ? 'EISDIR' : 'ENOENT', op, path)
  }

  protected parentDir(path: string, op: string): void {
    const parent = parentOf(path)
    if (this.dirs.has(parent)) return
    throw fail(this.files.has(parent) ? 'ENOTDIR' : 'ENOENT', op, path)
  }

  read(path: string): Buffer {
    this.count('read')
    return Buffer.from(this.file(path, 'read'))
  }

  readRange(path: string, offset: number, length: number): Buffer {
    this.count('readRange')
    return Buffer.from(this.file(path, 'readRange').subarray(offset, offset + length))
  }

  metadata(path: string): MetadataInit {
    this.count('metadata')
    if (this.dirs.has(path)) return { fileType: 'directory' }
    return { fileType: 'file', size: this.file(path, 'metadata').length }
  }

  write(path: string, data: Uint8Array): void {
    this.count('write')
    if (this.dirs.has(path)) throw fail('EISDIR', 'write', path)
    this.parentDir(path, 'write')
    this.files.set(path, Buffer.from(data))
  }

  append(path: string, data: Uint8Array): void {
    this.count('append')
    if (this.dirs.has(path)) throw fail('EISDIR', 'append', path)
    this.parentDir(path, 'append')
    this.files.set(path, Buffer.concat([this.files.get(path) ?? Buffer.alloc(0), data]))
  }

  removeFile(path: string): void {
    this.count('removeFile')
    this.file(path, 'removeFile')
    this.files.delete(path)
  }

  rename(from: string, to: string): void {
    this.count('rename')
    const data = this.file(from, 'rename')
    this.parentDir(to, 'rename')
    this.files.delete(from)
    this.files.set(to, data)
  }

  truncate(path: string, size: number): void {
    this.count('truncate')
    const data = Buffer.alloc(size)
    this.file(path, 'truncate').copy(data)
    this.files.set(path, data)
  }

  readDir(path: string): DirEntryInit[] {
    this.count('readDir')
    if (!this.dirs.has(path)) throw fail(this.files.has(path) ? 'ENOTDIR' : 'ENOENT', 'readDir', path)
    const prefix = path === '/' ? '/' : `${path}/`
    const child = (p: string) => p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')
    return [
      ...[...this.dirs].filter(child).map((p) => ({ name: p.slice(prefix.length), fileType: 'directory' as const })),
      ...[...this.files.keys()].filter(child).map((p) => ({ name: p.slice(prefix.length), fileType: 'file' as const })),
    ]
  }

  createDir(path: string): void {
    this.count('createDir')
    if (this.dirs.has(path) || this.files.has(path)) throw fail('EEXIST', 'createDir', path)
    this.parentDir(path, 'createDir')
    this.dirs.add(path)
  }

  removeDir(path: string): void {
    this.count('removeDir')
    if (!this.dirs.has(path)) throw fail(this.files.has(path) ? 'ENOTDIR' : 'ENOENT', 'removeDir', path)
    if (this.readDir(path).length > 0) throw fail('ENOTEMPTY', 'removeDir', path)
    this.dirs.delete(path)
  }
}

/** The same backend answering every call with a promise settled on a later tick. */
export class AsyncMapFs implements JsFs {
  readonly inner = new MapFs()

  #later<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(run())
        } catch (err) {
          reject(err)
        }
      }),
    )
  }

  read(path: string) { return this.#later(() => this.inner.read(path)) }
  readRange(path: string, offset: number, length: number) { return this.#later(() => this.inner.readRange(path, offset, length)) }
  metadata(path: string) { return this.#later(() => this.inner.metadata(path)) }
  write(path: string, data: Uint8Array) { return this.#later(() => this.inner.write(path, data)) }
  append(path: string, data: Uint8Array) { return this.#later(() => this.inner.append(path, data)) }
  removeFile(path: string) { return this.#later(() => this.inner.removeFile(path)) }
  rename(from: string, to: string) { return this.#later(() => this.inner.rename(from, to)) }
  truncate(path: string, size: number) { return this.#later(() => this.inner.truncate(path, size)) }
  readDir(path: string) { return this.#later(() => this.inner.readDir(path)) }
  createDir(path: string) { return this.#later(() => this.inner.createDir(path)) }
  removeDir(path: string) { return this.#later(() => this.inner.removeDir(path)) }
}
