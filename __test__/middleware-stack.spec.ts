// Composition: the last layer added is the outermost (tested with stacks whose order changes
// the outcome), BackendStack's sugar, the seeds' AI agent sandbox, and what may be wrapped.

import test from 'ava'

import {
  BackendStack,
  Cache,
  DryRun,
  DryRunLayer,
  FileStorage,
  FsError,
  MemoryBackend,
  PathFilter,
  PathFilterLayer,
  Quota,
  QuotaLayer,
  RateLimit,
  RateLimitLayer,
  ReadOnly,
  ReadOnlyLayer,
  Restrictions,
  RestrictionsLayer,
  Tracing,
  TracingLayer,
  type TraceEvent,
} from '../js/index'

test('each .layer() wraps everything before it: the last one added sees a call first', (t) => {
  // DryRun outside ReadOnly: the dry run records the write before ReadOnly could refuse it.
  const recordFirst = new MemoryBackend().layer(new ReadOnlyLayer()).layer(new DryRunLayer())
  recordFirst.writeSync('/a', 'x')
  t.deepEqual(recordFirst.operations(), [{ op: 'write', path: '/a', size: 1 }])

  // The other way round, ReadOnly is outermost: the write is refused and never recorded.
  const refuseFirst = new MemoryBackend().layer(new DryRunLayer()).layer(new ReadOnlyLayer())
  t.throws(() => refuseFirst.writeSync('/a', 'x'), { instanceOf: FsError, code: 'EROFS' })
  t.deepEqual(refuseFirst.inner.operations(), [])
})

test('order decides which layer answers: a refused call does not spend an inner budget', (t) => {
  // Restrictions outside RateLimit: the refused symlink never reaches the limiter.
  const restrictOutside = new MemoryBackend()
    .layer(RateLimitLayer.builder().maxOps(1).perMinute().build())
    .layer(new RestrictionsLayer({ symlinks: true }))
  t.throws(() => restrictOutside.symlinkSync('/t', '/l'), { code: 'EPERM' })
  restrictOutside.writeSync('/ok', 'ok') // the one operation is still there

  // RateLimit outside Restrictions: every call counts, the refused one included.
  const limitOutside = new MemoryBackend()
    .layer(new RestrictionsLayer({ symlinks: true }))
    .layer(RateLimitLayer.builder().maxOps(1).perMinute().build())
  t.throws(() => limitOutside.symlinkSync('/t', '/l'), { code: 'EPERM' })
  t.throws(() => limitOutside.writeSync('/ok', 'ok'), { code: 'EAGAIN' })

  // A dry run outside a path filter records what the filter would refuse.
  const recorded = new MemoryBackend().layer(new PathFilterLayer([{ kind: 'allow', pattern: '/ws/**' }])).layer(new DryRunLayer())
  recorded.writeSync('/etc/passwd', 'x')
  t.deepEqual(recorded.operations(), [{ op: 'write', path: '/etc/passwd', size: 1 }])
  const filtered = new MemoryBackend().layer(new DryRunLayer()).layer(new PathFilterLayer([{ kind: 'allow', pattern: '/ws/**' }]))
  t.throws(() => filtered.writeSync('/etc/passwd', 'x'), { code: 'EACCES' })
  t.deepEqual(filtered.inner.operations(), [])
})

test('a quota above a rate limit measures through it (its scan spends operations)', (t) => {
  // Building the quota lists the tree through the limiter below it: with no operation to
  // spare, the measurement fails and the wrap says so (the quota fails closed).
  const limited = new MemoryBackend().layer(RateLimitLayer.builder().maxOps(1).perMinute().build())
  const err = t.throws(() => limited.layer(new QuotaLayer()), { instanceOf: FsError })
  t.regex(err?.detail ?? '', /rate limit/)
})

test('BackendStack nests in call order and ends in a FileStorage', (t) => {
  const stack = new BackendStack(new MemoryBackend())
    .limited((q) => q.maxTotalSize(1024))
    .restricted((r) => r.denyHardLinks())
    .filtered((f) => f.allow('/ws/**'))
    .rateLimited((r) => r.maxOps(1000).perSecond())
    .traced()
    .dryRun()
    .cached((c) => c.maxEntries(10))
  // Outermost first.
  const chain: unknown[] = []
  for (let s: unknown = stack.backend; s instanceof Object && 'inner' in s; s = (s as { inner: unknown }).inner) chain.push(s)
  const kinds = [Cache, DryRun, Tracing, RateLimit, PathFilter, Restrictions, Quota]
  t.is(chain.length, kinds.length)
  chain.forEach((layer, i) => t.true(layer instanceof (kinds[i] as unknown as new () => object), `layer ${i}`))
  const fs = stack.intoContainer()
  t.true(fs instanceof FileStorage)
  t.is(fs.backend, stack.backend)
  t.deepEqual(fs.capabilities, new MemoryBackend().capabilities)
})

test('BackendStack sugar: configure by returning the builder or in place, and readOnly/overlay', (t) => {
  const inPlace = new BackendStack(new MemoryBackend()).limited((q) => {
    q.maxFileSize(2)
  })
  t.throws(() => inPlace.backend.writeSync('/a', 'abc'), { code: 'EFBIG' })
  t.throws(() => new BackendStack(new MemoryBackend()).limited((() => 42) as never), { instanceOf: TypeError })
  t.throws(() => new BackendStack(new MemoryBackend()).limited('q' as never), { instanceOf: TypeError })

  const ro = new BackendStack(new MemoryBackend()).readOnly().intoContainer()
  t.throws(() => ro.writeSync('/a', 'x'), { code: 'EROFS' })
  t.true(ro.backend instanceof ReadOnly)

  const template = new MemoryBackend()
  template.writeSync('/t', 'base')
  const over = new BackendStack(template).overlay(new MemoryBackend()).intoContainer()
  over.writeSync('/t', 'changed')
  t.is(template.readToStringSync('/t'), 'base')
  t.is(over.readToStringSync('/t'), 'changed')

  const viaLayer = new BackendStack(new MemoryBackend()).layer(new ReadOnlyLayer()).layer(new QuotaLayer()).backend
  t.true(viaLayer instanceof Quota)
  t.true(viaLayer.inner instanceof ReadOnly)
  t.throws(() => new BackendStack(new MemoryBackend()).layer({} as never), { instanceOf: TypeError })
})

test("the seeds' AI agent sandbox, composed in TypeScript", async (t) => {
  const audit: TraceEvent[] = []
  const sandbox = new MemoryBackend()
    .layer(QuotaLayer.builder().maxTotalSize(50 * 1024 * 1024).maxFileSize(5 * 1024 * 1024).build())
    .layer(PathFilterLayer.builder().allow('/workspace/**').deny('**/.env').deny('**/secrets/**').build())
    .layer(RateLimitLayer.builder().maxOps(1000).perSecond().build())
    .layer(TracingLayer.builder().onEvent((e) => audit.push(e)).build())
  const fs = new FileStorage(sandbox)

  await fs.createDirAll('/workspace/src')
  await fs.write('/workspace/src/main.py', 'print("hi")')
  t.is(await fs.readToString('/workspace/src/main.py'), 'print("hi")')
  await t.throwsAsync(fs.read('/etc/passwd'), { code: 'EACCES' })
  await t.throwsAsync(fs.write('/workspace/.env', 'TOKEN=x'), { code: 'EACCES' })
  await t.throwsAsync(fs.write('/workspace/secrets/key', 'k'), { code: 'EACCES' })
  await t.throwsAsync(fs.write('/workspace/huge.bin', new Uint8Array(6 * 1024 * 1024)), { code: 'EFBIG' })
  // The quota is the innermost layer: it counts what the agent stored.
  t.deepEqual(sandbox.inner.inner.inner.usage(), { totalSize: 11, nodeCount: 3 })
  sandbox.flush()
  const denied = audit.filter((e) => e.code === 'EACCES').map((e) => e.path)
  t.deepEqual(denied, ['/etc/passwd', '/workspace/.env', '/workspace/secrets/key'])
  t.true(audit.some((e) => e.operation === 'write' && e.ok && e.path === '/workspace/src/main.py'))
})

test('only native backends and stacks can be wrapped, not a FileStorage or a plain object', (t) => {
  const storage = new FileStorage(new MemoryBackend())
  const err = t.throws(() => new QuotaLayer().wrap(storage as unknown as MemoryBackend), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  })
  t.regex(err?.message ?? '', /FileStorage/)
  t.throws(() => new ReadOnly({} as MemoryBackend), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  t.throws(() => new DryRun(null as unknown as MemoryBackend), { instanceOf: TypeError })
  // Its backend can be.
  t.notThrows(() => new QuotaLayer().wrap(storage.backend))
})

test('capabilities and blocking survive wrapping', async (t) => {
  const offloaded = new MemoryBackend({ offload: true })
  const stack = offloaded.layer(new QuotaLayer()).layer(new ReadOnlyLayer()).layer(new TracingLayer())
  t.deepEqual(stack.capabilities, offloaded.capabilities)
  // Async calls of a blocking stack still run on the pool, and still answer.
  t.true(await stack.exists('/'))
  await t.throwsAsync(stack.write('/a', 'x'), { code: 'EROFS' })
})
