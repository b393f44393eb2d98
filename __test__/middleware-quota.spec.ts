// Quota from TypeScript: ENOSPC/EFBIG with no partial data, usage and remaining, streamed
// writes, hard links, node/entry/depth limits, existing content, and builder validation.

import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import test from 'ava'

import { FileStorage, FsError, MemoryBackend, Quota, QuotaLayer } from '../js/index'
import { MODES, api, backend, rejectsCode } from './helpers'

for (const mode of MODES) {
  test(`${mode}: total size is ENOSPC, file size EFBIG, and a refused write changes nothing`, async (t) => {
    const quota = backend(mode).layer(QuotaLayer.builder().maxTotalSize(1024).maxFileSize(600).build())
    const fs = api(quota, mode)
    await fs.write('/a.bin', new Uint8Array(500))
    t.deepEqual(quota.usage(), { totalSize: 500, nodeCount: 1 })
    t.deepEqual(quota.remaining(), { totalSize: 524, nodeCount: null })

    const big = await rejectsCode(t, fs.write('/b.bin', new Uint8Array(700)), 'EFBIG')
    t.is(big.kind, 'FileSizeExceeded')
    t.is(big.syscall, 'write')
    t.false(await fs.exists('/b.bin'))

    await fs.write('/b.bin', 'old')
    const full = await rejectsCode(t, fs.write('/b.bin', new Uint8Array(550)), 'ENOSPC')
    t.is(full.kind, 'QuotaExceeded')
    // The refused write did not truncate the old content.
    t.is(await fs.readToString('/b.bin'), 'old')
    await rejectsCode(t, fs.append('/a.bin', new Uint8Array(600)), 'EFBIG')
    await rejectsCode(t, fs.truncate('/b.bin', 600), 'ENOSPC')
    await fs.write('/c.bin', new Uint8Array(400))
    await rejectsCode(t, fs.copy('/a.bin', '/d.bin'), 'ENOSPC')
    t.false(await fs.exists('/d.bin'))
    t.deepEqual(quota.usage(), { totalSize: 903, nodeCount: 3 })

    // Freed bytes come back.
    await fs.removeFile('/a.bin')
    t.deepEqual(quota.usage(), { totalSize: 403, nodeCount: 2 })
    await fs.copy('/c.bin', '/d.bin')
    t.deepEqual(quota.remaining(), { totalSize: 1024 - 803, nodeCount: null })
  })

  test(`${mode}: streamed writes are counted chunk by chunk`, async (t) => {
    const quota = backend(mode).layer(new QuotaLayer({ maxTotalSize: 1000 }))
    const fs = new FileStorage(quota)
    const ok = mode === 'sync' ? fs.openWriteSync('/ok.bin') : await fs.openWrite('/ok.bin')
    await pipeline(Readable.from([Buffer.alloc(300, 1), Buffer.alloc(300, 2)]), ok)
    t.is(quota.usage().totalSize, 600)

    const w = mode === 'sync' ? fs.openWriteSync('/over.bin') : await fs.openWrite('/over.bin')
    const err = await t.throwsAsync(pipeline(Readable.from([Buffer.alloc(300), Buffer.alloc(300)]), w), {
      instanceOf: FsError,
    })
    t.is(err?.code, 'ENOSPC')
    // Whatever stayed of the refused stream is counted exactly, and the limit holds.
    const size = fs.existsSync('/over.bin') ? fs.metadataSync('/over.bin').size : 0
    t.is(quota.usage().totalSize, 600 + size)
    t.true(quota.usage().totalSize <= 1000)
  })

  test(`${mode}: node count, entries per directory and depth are ENOSPC`, async (t) => {
    const quota = new Quota(backend(mode), { maxNodeCount: 4, maxDirEntries: 2, maxPathDepth: 3 })
    const fs = api(quota, mode)
    await fs.createDirAll('/a/b')
    await rejectsCode(t, fs.createDirAll('/a/b/c/d'), 'ENOSPC')
    await fs.write('/a/x', '1')
    await rejectsCode(t, fs.write('/a/y', '1'), 'ENOSPC') // /a already has b and x
    await fs.write('/top', '1')
    t.is(quota.usage().nodeCount, 4)
    t.is(quota.remaining().nodeCount, 0)
    await rejectsCode(t, fs.createDir('/other'), 'ENOSPC')
    await rejectsCode(t, fs.symlink('/top', '/link'), 'ENOSPC')
  })
}

test('a hard link is not counted twice; the last name frees the bytes', (t) => {
  const quota = new MemoryBackend().layer(new QuotaLayer({ maxTotalSize: 100 }))
  quota.writeSync('/a', Buffer.alloc(60))
  quota.hardLinkSync('/a', '/b')
  t.deepEqual(quota.usage(), { totalSize: 60, nodeCount: 1 })
  quota.removeFileSync('/a')
  t.is(quota.usage().totalSize, 60)
  quota.removeFileSync('/b')
  t.is(quota.usage().totalSize, 0)
})

test('usage is measured from existing content, and rescan sees direct changes', (t) => {
  const inner = new MemoryBackend()
  inner.createDirAllSync('/data')
  inner.writeSync('/data/f', Buffer.alloc(40))
  const quota = new Quota(inner, { maxTotalSize: 50 })
  t.deepEqual(quota.usage(), { totalSize: 40, nodeCount: 2 })
  t.is(quota.inner, inner)
  t.throws(() => quota.writeSync('/data/g', Buffer.alloc(20)), { instanceOf: FsError, code: 'ENOSPC' })
  inner.removeFileSync('/data/f')
  t.is(quota.usage().totalSize, 40) // not seen yet
  t.deepEqual(quota.rescan(), { totalSize: 0, nodeCount: 1 })
  quota.writeSync('/data/g', Buffer.alloc(20))
})

test('statfs reports the limits', (t) => {
  const quota = new MemoryBackend().layer(QuotaLayer.builder().maxTotalSize(4096).maxNodeCount(10).build())
  quota.writeSync('/a', Buffer.alloc(1000))
  const s = quota.statfsSync()
  t.is(s.totalBytes, 4096)
  t.is(s.usedBytes, 1000)
  t.is(s.totalInodes, 10)
  t.is(s.usedInodes, 1)
})

test('limits are checked where they are written', (t) => {
  const b = QuotaLayer.builder()
  t.throws(() => b.maxTotalSize('1' as unknown as number), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  t.throws(() => b.maxFileSize(-1), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' })
  t.throws(() => b.maxNodeCount(1.5), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' })
  t.throws(() => b.maxDirEntries(Number.NaN), { instanceOf: RangeError })
  t.throws(() => b.maxPathDepth(2 ** 60), { instanceOf: RangeError })
  // A typo must not silently mean "unlimited".
  const typo = { maxTotalBytes: 10 } as unknown as ConstructorParameters<typeof QuotaLayer>[0]
  const err = t.throws(() => new QuotaLayer(typo), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' })
  t.regex(err?.message ?? '', /maxTotalBytes/)
  t.throws(() => new Quota(new MemoryBackend(), null as unknown as undefined), { instanceOf: TypeError })
  // The builder's layer is a snapshot.
  const layer = b.maxTotalSize(10).build()
  b.maxTotalSize(20)
  t.deepEqual(layer.limits, { maxTotalSize: 10 })
})

test('QuotaLayer.layer(backend) is the seeds spelling of wrap', (t) => {
  const fs = QuotaLayer.builder().maxTotalSize(10).build().layer(new MemoryBackend())
  t.true(fs instanceof Quota)
  t.throws(() => fs.writeSync('/a', Buffer.alloc(11)), { code: 'ENOSPC' })
})
