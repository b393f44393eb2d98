// ReadOnly (EROFS), Restrictions (EPERM) and RateLimit (EAGAIN, RateLimitExceeded) from
// TypeScript, in every call mode.

import test from 'ava'

import { FileStorage, MemoryBackend, RateLimit, RateLimitLayer, ReadOnly, ReadOnlyLayer, Restrictions, RestrictionsLayer } from '../js/index'
import { MODES, api, backend, rejectsCode } from './helpers'

for (const mode of MODES) {
  test(`${mode}: ReadOnly refuses every mutation with EROFS and lets reads through`, async (t) => {
    const inner = backend(mode)
    inner.createDirSync('/d')
    inner.writeSync('/doc.txt', 'published')
    const ro = inner.layer(ReadOnlyLayer.builder().build())
    const fs = api(ro, mode)
    t.is(await fs.readToString('/doc.txt'), 'published')
    t.deepEqual(
      (await fs.readDir('/')).map((e) => e.name),
      ['d', 'doc.txt'],
    )
    const refusals: [string, Promise<unknown>][] = [
      ['write', fs.write('/doc.txt', 'x')],
      ['write', fs.write('/missing/new.txt', 'x')], // the same answer whether or not it exists
      ['append', fs.append('/doc.txt', 'x')],
      ['removeFile', fs.removeFile('/doc.txt')],
      ['rename', fs.rename('/doc.txt', '/b')],
      ['copy', fs.copy('/doc.txt', '/b')],
      ['truncate', fs.truncate('/doc.txt', 0)],
      ['createDir', fs.createDir('/e')],
      ['removeDirAll', fs.removeDirAll('/d')],
      ['symlink', fs.symlink('/doc.txt', '/l')],
      ['hardLink', fs.hardLink('/doc.txt', '/h')],
      ['setPermissions', fs.setPermissions('/doc.txt', 0o777)],
      ['setTimes', fs.setTimes('/doc.txt', new Date(0), new Date(0))],
      ['setXattr', fs.setXattr('/doc.txt', 'user.a', 'v')],
      ['open', fs.open('/doc.txt', 'w')],
    ]
    for (const [syscall, p] of refusals) {
      const err = await rejectsCode(t, p, 'EROFS')
      t.is(err.kind, 'ReadOnly')
      t.is(err.syscall, syscall)
    }
    t.is(inner.readToStringSync('/doc.txt'), 'published')
    // A read-only handle is fine.
    const h = await fs.open('/doc.txt', 'r')
    await fs.close(h)
  })

  test(`${mode}: Restrictions deny exactly the chosen groups with EPERM`, async (t) => {
    const fs = api(backend(mode).layer(RestrictionsLayer.builder().denyHardLinks().denyPermissions().build()), mode)
    await fs.write('/a', 'x')
    await fs.symlink('/a', '/link') // not denied
    const hard = await rejectsCode(t, fs.hardLink('/a', '/b'), 'EPERM')
    t.is(hard.kind, 'FeatureNotEnabled')
    await rejectsCode(t, fs.setPermissions('/a', 0o777), 'EPERM')
    await rejectsCode(t, fs.setOwner('/a', 1, 1), 'EPERM')
    // Refused whether or not the path exists.
    await rejectsCode(t, fs.hardLink('/missing', '/b'), 'EPERM')
    t.false(await fs.exists('/b'))

    const noLinks = api(new Restrictions(backend(mode), { symlinks: true }), mode)
    await rejectsCode(t, noLinks.symlink('/t', '/l'), 'EPERM')
    await noLinks.write('/a', 'x')
    await noLinks.hardLink('/a', '/b')
  })

  test(`${mode}: RateLimit refuses beyond the limit with EAGAIN`, async (t) => {
    const limited = backend(mode).layer(RateLimitLayer.builder().maxOps(3).perMinute().build())
    const fs = api(limited, mode)
    await fs.write('/a', '1')
    await fs.read('/a')
    await fs.exists('/a')
    const err = await rejectsCode(t, fs.read('/a'), 'EAGAIN')
    t.is(err.kind, 'RateLimitExceeded')
    // Every operation counts, reads and metadata included.
    await rejectsCode(t, fs.metadata('/'), 'EAGAIN')
    t.deepEqual(limited.config, { maxOps: 3, windowMs: 60_000, maxBurst: 3 })
  })
}

test('RateLimit: the budget refills with time and a burst caps back-to-back calls', async (t) => {
  // One operation is regained every windowMs / maxOps = 100 ms.
  const fs = new RateLimit(new MemoryBackend(), { maxOps: 20, windowMs: 2000, maxBurst: 2 })
  fs.existsSync('/')
  fs.existsSync('/')
  t.throws(() => fs.existsSync('/'), { code: 'EAGAIN' })
  await new Promise((resolve) => setTimeout(resolve, 400))
  t.true(fs.existsSync('/'))
})

test('ReadOnly over a FileStorage-resolved symlink still refuses', (t) => {
  const inner = new MemoryBackend()
  inner.writeSync('/t', 'x')
  inner.symlinkSync('/t', '/l')
  const fs = new FileStorage(new ReadOnly(inner))
  t.is(fs.readToStringSync('/l'), 'x')
  t.throws(() => fs.writeSync('/l', 'y'), { code: 'EROFS' })
})

test('policy builders validate their input', (t) => {
  t.throws(() => RateLimitLayer.builder().maxOps(0), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' })
  t.throws(() => RateLimitLayer.builder().maxOps(2 ** 32), { instanceOf: RangeError })
  t.throws(() => RateLimitLayer.builder().window(0), { instanceOf: RangeError })
  t.throws(() => RateLimitLayer.builder().window(Number.POSITIVE_INFINITY), { instanceOf: RangeError })
  t.throws(() => RateLimitLayer.builder().maxBurst('10' as unknown as number), { instanceOf: TypeError })
  t.throws(() => new RateLimitLayer({ perSecond: 5 } as unknown as undefined), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' })
  t.throws(() => new RestrictionsLayer({ symlinks: 'yes' as unknown as boolean }), { instanceOf: TypeError })
  t.throws(() => new RestrictionsLayer({ chmod: true } as unknown as undefined), { instanceOf: TypeError })
  t.deepEqual(new RestrictionsLayer({ hardLinks: true }).denied, { permissions: false, symlinks: false, hardLinks: true })
  t.deepEqual(RateLimitLayer.builder().build().config, { maxOps: 1000, windowMs: 1000, maxBurst: 1000 })
})
