// Cache from TypeScript: hits, invalidation by writes made through it (every name of a file),
// the staleness contract for changes behind its back, invalidateAll, and option checks.

import test from 'ava'

import { Cache, CacheLayer, FileStorage, MemoryBackend } from '../js/index'
import { MODES, api, backend } from './helpers'

for (const mode of MODES) {
  test(`${mode}: a write through the cache is seen by the next read`, async (t) => {
    const cached = backend(mode).layer(CacheLayer.builder().maxEntries(100).ttl(60_000).build())
    const fs = api(cached, mode)
    await fs.write('/f.txt', 'v1')
    t.is(await fs.readToString('/f.txt'), 'v1')
    const before = cached.stats()
    t.is((await fs.read('/f.txt')).toString(), 'v1')
    t.true(cached.stats().hits > before.hits, 'the second read is a hit')
    await fs.write('/f.txt', 'v2')
    t.is((await fs.read('/f.txt')).toString(), 'v2')
    await fs.append('/f.txt', '+')
    t.is((await fs.read('/f.txt')).toString(), 'v2+')
    await fs.truncate('/f.txt', 1)
    t.is((await fs.read('/f.txt')).toString(), 'v')
    t.is((await fs.metadata('/f.txt')).size, 1)
  })

  test(`${mode}: every name of a file shares one entry`, async (t) => {
    const cached = new Cache(backend(mode))
    const fs = api(new FileStorage(cached), mode)
    await fs.write('/target', 'v1')
    await fs.symlink('/target', '/link')
    await fs.hardLink('/target', '/hard')
    t.is(await fs.readToString('/link'), 'v1')
    t.is(await fs.readToString('/hard'), 'v1')
    await fs.write('/hard', 'v2')
    t.is(await fs.readToString('/link'), 'v2')
    t.is(await fs.readToString('/target'), 'v2')
  })

  test(`${mode}: listings and metadata follow creations and removals`, async (t) => {
    const cached = new Cache(backend(mode))
    const fs = api(cached, mode)
    await fs.createDir('/d')
    t.deepEqual(await fs.readDir('/d'), [])
    await fs.write('/d/a', '1')
    t.deepEqual(
      (await fs.readDir('/d')).map((e) => e.name),
      ['a'],
    )
    await fs.removeFile('/d/a')
    t.deepEqual(await fs.readDir('/d'), [])
    t.false(await fs.exists('/d/a'))
  })
}

test('changes behind its back are stale until invalidateAll', (t) => {
  const inner = new MemoryBackend()
  const cached = inner.layer(new CacheLayer())
  cached.writeSync('/f', 'v1')
  t.is(cached.readToStringSync('/f'), 'v1')
  inner.writeSync('/f', 'behind its back')
  t.is(cached.readToStringSync('/f'), 'v1') // the documented staleness contract
  cached.invalidateAll()
  t.is(cached.readToStringSync('/f'), 'behind its back')
  t.is(cached.inner, inner)
})

test('stats count hits, misses, entries and bytes', (t) => {
  const cached = new Cache(new MemoryBackend(), { maxEntries: 10 })
  cached.writeSync('/a', 'hello')
  const s0 = cached.stats()
  cached.readSync('/a')
  cached.readSync('/a')
  const s1 = cached.stats()
  t.true(s1.misses > s0.misses)
  t.true(s1.hits > s0.hits)
  t.true(s1.entries > 0)
  t.true(s1.bytes >= 5)
  cached.invalidateAll()
  cached.readSync('/a')
  t.true(cached.stats().misses > s1.misses)
})

test('cache options are validated', (t) => {
  t.throws(() => CacheLayer.builder().maxEntries(0), { instanceOf: RangeError })
  t.throws(() => CacheLayer.builder().maxSize(-1), { instanceOf: RangeError })
  t.throws(() => CacheLayer.builder().ttl(-5), { instanceOf: RangeError })
  t.throws(() => CacheLayer.builder().ttl(Number.MAX_SAFE_INTEGER), { instanceOf: RangeError })
  t.throws(() => CacheLayer.builder().maxEntrySize('1' as unknown as number), { instanceOf: TypeError })
  t.throws(() => new CacheLayer({ size: 1 } as unknown as undefined), { instanceOf: TypeError })
  t.deepEqual(new CacheLayer({ ttl: 5000 }).options, {
    maxEntries: 10_000,
    maxSize: 64 * 1024 * 1024,
    maxEntrySize: 4 * 1024 * 1024,
    ttl: 5000,
  })
})
