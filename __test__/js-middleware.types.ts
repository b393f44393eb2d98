// Type test, checked by `tsc -p tsconfig.test.json` (part of `npm test`), never run: a JS
// backend's type carries the capabilities its handlers implement, and JS layers compose with
// native ones in the types as they do at run time.

import {
  FileStorage,
  JsBackend,
  MemoryBackend,
  Middleware,
  PathFilterLayer,
  Quota,
  QuotaLayer,
  type Data,
  type Fs,
  type FsLink,
  type FsPosix,
  type JsFs,
  type JsFsLink,
  type JsFsPosix,
  type LayeredStack,
  type MaybePromise,
  type MetadataInit,
} from '../js/index'

declare const fsOnly: JsFs
declare const withLinks: JsFs & JsFsLink
declare const everything: JsFsPosix

export async function backendCapabilities(): Promise<void> {
  // A backend implementing only Fs gives a FileStorage without link methods.
  const basic = new FileStorage(new JsBackend(fsOnly))
  await basic.write('/a', 'x')
  basic.readToStringSync('/a')
  // @ts-expect-error JsFs has no links, so the storage has no symlink()
  await basic.symlink('/a', '/b')
  // @ts-expect-error ...nor canonicalization
  basic.canonicalizeSync('/a')
  // @ts-expect-error ...nor handles
  basic.openSync('/a')

  // The backend itself has exactly Fs too.
  const backend = new JsBackend(fsOnly)
  backend.writeSync('/a', 'x')
  // @ts-expect-error no FsLink
  backend.symlinkSync('/a', '/b')
  const handlers: JsFs = backend.handlers
  void handlers
  // A JS backend and a native middleware stack share the LayeredStack members.
  const stacks: LayeredStack[] = [backend, new MemoryBackend().layer(new QuotaLayer({ maxTotalSize: 1 }))]
  for (const stack of stacks) stack.capabilities.includes('FsRead')

  // Links in the handlers give links in the storage.
  const linked = new FileStorage(new JsBackend(withLinks))
  await linked.symlink('/a', '/b')
  linked.canonicalizeSync('/b')
  // @ts-expect-error links only: no permissions
  linked.setPermissionsSync('/a', 0o600)

  // Everything: a full POSIX storage.
  const posix: FsPosix = new FileStorage(new JsBackend(everything))
  void posix

  // Native layers over a JS backend keep its capabilities.
  const quota = new JsBackend(fsOnly).layer(new QuotaLayer({ maxTotalSize: 1 }))
  quota.usage()
  // @ts-expect-error the quota keeps the backend's Fs-only type
  quota.symlinkSync('/a', '/b')
  const layered: Quota<JsBackend<JsFs>> = new JsBackend(fsOnly).layer(new QuotaLayer())
  const handlersBack: JsFs = layered.inner.handlers
  void handlersBack
  const q2: Quota<JsBackend<JsFs & JsFsLink>> = new Quota(new JsBackend(withLinks))
  q2.symlinkSync('/a', '/b')

  // A handler object that is not a JsFs is refused.
  // @ts-expect-error read must answer bytes
  new JsBackend({ ...fsOnly, read: (path: string) => path.length })
}

export async function handlerTypes(): Promise<void> {
  // Handlers may answer now or later; metadata may be a plain object.
  const now: MaybePromise<number> = 1
  const later: MaybePromise<number> = Promise.resolve(1)
  const meta: MetadataInit = { fileType: 'file', size: 1 }
  void [now, later, meta]
  class MapFs implements JsFs {
    files = new Map<string, Buffer>()
    read(path: string) {
      return this.files.get(path) ?? Buffer.alloc(0)
    }
    readRange(path: string, offset: number, length: number) {
      return this.read(path).subarray(offset, offset + length)
    }
    async metadata(path: string) {
      return { fileType: 'file' as const, size: this.read(path).length }
    }
    write(path: string, data: Uint8Array) {
      this.files.set(path, Buffer.from(data))
    }
    append() {}
    removeFile() {}
    rename() {}
    truncate() {}
    readDir() {
      return [{ name: 'a', fileType: 'file' as const }]
    }
    createDir() {}
    removeDir() {}
  }
  const fs = new FileStorage(new JsBackend(new MapFs()))
  await fs.metadata('/a')
  // @ts-expect-error MapFs implements no links
  fs.readLinkSync('/a')
}

export async function middlewareTypes(): Promise<void> {
  class Audit extends Middleware {
    log: string[] = []
    override write(path: string, data: Data) {
      this.log.push(path)
      return super.write(path, data)
    }
  }
  const audit = new Audit(new MemoryBackend())
  audit.writeSync('/a', 'x')
  await audit.write('/a', 'x')
  const all: FsPosix = audit
  void all
  // Native layers over it, FileStorage over that; .layer() typed like native stacks.
  const stack = audit.layer(new QuotaLayer({ maxTotalSize: 1 })).layer(PathFilterLayer.builder().allow('/**').build())
  const inner: Audit = stack.inner.inner
  void inner.log
  const storage = new FileStorage(stack)
  storage.symlinkSync('/a', '/b')
  // A layer over an Fs-typed inner has an Fs-typed `inner`.
  const over = new Middleware<Fs>(new JsBackend(fsOnly))
  const innerFs: Fs = over.inner
  void innerFs
  // @ts-expect-error the inner is typed Fs: no links there
  over.inner.symlinkSync('/a', '/b')
  // Handlers must keep the async method's signature.
  class Wrong extends Middleware {
    // @ts-expect-error write answers Promise<void>, not a number
    override write(): number {
      return 1
    }
  }
  void Wrong
  const link: FsLink = audit
  void link
}
