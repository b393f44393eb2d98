// Type test, checked by `tsc -p tsconfig.test.json` (part of `npm test`), never run: native
// middleware keeps the capability type of what it wraps; the overlay drops handles, locks and
// xattrs; builders and sugar methods are typed.

import {
  BackendStack,
  Cache,
  CacheLayer,
  DryRunLayer,
  FileStorage,
  MemoryBackend,
  Overlay,
  OverlayLayer,
  PathFilterLayer,
  Quota,
  QuotaLayer,
  RateLimitLayer,
  ReadOnlyLayer,
  RestrictionsLayer,
  TracingLayer,
  type DryRun,
  type DryRunOperation,
  type Fs,
  type FsFull,
  type FsFuse,
  type FsLink,
  type FsPosix,
  type OverlayChange,
  type PathFilter,
  type QuotaUsage,
  type ReadOnly,
  type TraceEvent,
  type Tracing,
} from '../js/index'

declare const plain: Fs
declare const full: FsFull
declare const withLinks: Fs & FsLink

export async function middlewareTypes(): Promise<void> {
  // The seeds' example: each .layer() wraps everything before it and keeps the capabilities.
  const backend = new MemoryBackend()
    .layer(QuotaLayer.builder().maxTotalSize(100 * 1024 * 1024).maxFileSize(5 * 1024 * 1024).build())
    .layer(PathFilterLayer.builder().allow('/workspace/**').deny('.env').build())
  const filtered: PathFilter<Quota<MemoryBackend>> = backend
  void filtered
  const usage: QuotaUsage = backend.inner.usage()
  void usage
  const posix: FsPosix = backend
  void posix
  backend.openSync('/workspace/a', 'w')
  backend.getXattrSync('/workspace/a', 'user.x')
  const fs = new FileStorage(backend)
  await fs.write('/workspace/a', 'x')
  fs.canonicalizeSync('/workspace/a')
  fs.pathToInodeSync('/workspace/a')

  // Every layer keeps what it wraps: over a plain Fs, no links, so no symlink().
  const ro = new ReadOnlyLayer().wrap(plain)
  await ro.write('/a', 'x')
  // @ts-expect-error a plain Fs wrapped in ReadOnly still has no FsLink
  ro.symlinkSync('/a', '/b')
  const q = new Quota(withLinks, { maxTotalSize: 1 })
  q.symlinkSync('/a', '/b')
  // @ts-expect-error Fs & FsLink has no permissions, wrapped or not
  q.setPermissionsSync('/a', 0o600)
  const traced: Tracing<FsFull> = new TracingLayer().wrap(full)
  traced.statfsSync()
  // @ts-expect-error FsFull stops before inodes
  traced.pathToInodeSync('/a')
  const events: TraceEvent[] = []
  traced.events.on('event', (e) => events.push(e))
  // @ts-expect-error the emitter only emits 'event' and 'batch'
  traced.events.on('other', () => {})
  traced.events.on('batch', (batch) => {
    const first: string | undefined = batch.path(0)
    void first
  })

  // Layer extras are typed.
  const dry: DryRun<MemoryBackend> = new MemoryBackend().layer(DryRunLayer.builder().maxOperations(10).build())
  const ops: DryRunOperation[] = dry.operations()
  const first = ops[0]
  if (first?.op === 'rename') {
    const to: string = first.to
    void to
  }
  const cached = new MemoryBackend().layer(CacheLayer.builder().ttl(1000).build())
  cached.invalidateAll()
  const hits: number = cached.stats().hits
  void hits
  const limited = new MemoryBackend().layer(RateLimitLayer.builder().maxOps(10).perSecond().build())
  limited.readDirSync('/')
  const restricted = new MemoryBackend().layer(RestrictionsLayer.builder().denySymlinks().build())
  restricted.lockSync(1, 'shared')

  // The overlay: FsFull (plus inodes when both layers have them), never handles, locks or xattrs.
  const overlay = new Overlay(new MemoryBackend(), new MemoryBackend())
  const fuse: FsFuse = overlay
  void fuse
  overlay.symlinkSync('/a', '/b')
  overlay.pathToInodeSync('/')
  // @ts-expect-error the overlay has no handles
  overlay.openSync('/a', 'r')
  // @ts-expect-error ...nor locks
  overlay.tryLockSync(1, 'shared')
  // @ts-expect-error ...nor extended attributes
  await overlay.getXattr('/a', 'user.x')
  // @ts-expect-error an overlay is not FsPosix
  const notPosix: FsPosix = overlay
  void notPosix
  const changes: OverlayChange[] = await overlay.diff()
  void changes
  await overlay.commit(overlay.base)
  // Over FsFull layers (no inodes), no inodes either.
  const flat = new Overlay(full, full)
  // @ts-expect-error FsFull layers have no inodes
  flat.pathToInodeSync('/')
  // @ts-expect-error an overlay needs FsFull layers
  new Overlay(plain, full)
  const viaLayer = new MemoryBackend().layer(new OverlayLayer(new MemoryBackend()))
  const sameType: Overlay<MemoryBackend, MemoryBackend> = viaLayer
  void sameType
  const storageOverOverlay = new FileStorage(overlay)
  storageOverOverlay.canonicalizeSync('/')
  // @ts-expect-error a FileStorage over the overlay has no handles either
  storageOverOverlay.openSync('/a')

  // BackendStack: one sugar method per middleware, types nest in order.
  const stack = new BackendStack(new MemoryBackend())
    .limited((b) => b.maxTotalSize(1024))
    .restricted((b) => b.denyHardLinks())
    .filtered((b) => b.allow('/ws/**'))
    .readOnly()
    .rateLimited((b) => b.maxOps(5).perSecond())
    .traced()
    .dryRun()
    .cached()
  const built: Cache<DryRun<Tracing<MemoryBackend>>> | unknown = stack.backend
  void built
  const outer: ReadOnly<FsPosix> | unknown = stack.backend.inner
  void outer
  const viaLayer2 = new BackendStack(new MemoryBackend()).layer(new ReadOnlyLayer()).layer(QuotaLayer.builder().build()).backend
  const nested: Quota<ReadOnly<MemoryBackend>> = viaLayer2
  void nested
  const container = stack.intoContainer()
  container.openSync('/ws/a', 'r')
  const overlaid = new BackendStack(new MemoryBackend()).overlay(new MemoryBackend()).intoContainer()
  // @ts-expect-error the overlay's container has no xattrs
  overlaid.listXattrSync('/')
  // @ts-expect-error an overlay needs an FsFull base
  new BackendStack(plain).overlay(new MemoryBackend())
  // @ts-expect-error a builder method that does not exist
  new BackendStack(new MemoryBackend()).limited((b) => b.maxBytes(1))
}
