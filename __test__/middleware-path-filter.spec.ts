// PathFilter from TypeScript: deny by default, deny rules win, read_dir omission, symlinks
// and `..` cannot lead to denied nodes, two-path operations, and pattern validation.

import test from 'ava'

import { FileStorage, FsError, MemoryBackend, PathFilter, PathFilterLayer } from '../js/index'
import { MODES, api, backend, rejectsCode } from './helpers'

/** A backend with a sandbox tree and secrets, filtered like the seeds' sandbox. */
function sandbox(inner: MemoryBackend) {
  inner.createDirAllSync('/workspace/src')
  inner.createDirAllSync('/workspace/secrets')
  inner.writeSync('/workspace/.env', 'TOKEN=1')
  inner.writeSync('/workspace/secrets/key', 'k')
  inner.writeSync('/workspace/src/a.txt', 'a')
  inner.writeSync('/passwd', 'root')
  return inner.layer(PathFilterLayer.builder().allow('/workspace/**').deny('**/.env').deny('**/secrets/**').build())
}

for (const mode of MODES) {
  test(`${mode}: allowed paths work, everything else is EACCES`, async (t) => {
    const filter = sandbox(backend(mode))
    const fs = api(filter, mode)
    await fs.write('/workspace/src/b.txt', 'hello')
    t.is(await fs.readToString('/workspace/src/b.txt'), 'hello')
    const outside = await rejectsCode(t, fs.read('/passwd'), 'EACCES')
    t.is(outside.kind, 'AccessDenied')
    t.is(outside.path, '/passwd')
    await rejectsCode(t, fs.write('/new.txt', 'x'), 'EACCES')
    // Deny rules win over the allow rule that also matches.
    await rejectsCode(t, fs.read('/workspace/.env'), 'EACCES')
    await rejectsCode(t, fs.read('/workspace/secrets/key'), 'EACCES')
    await rejectsCode(t, fs.write('/workspace/sub/.env', 'x'), 'EACCES')
    // `..` is resolved before the check.
    await rejectsCode(t, fs.read('/workspace/src/../../passwd'), 'EACCES')
  })

  test(`${mode}: readDir leaves denied entries out`, async (t) => {
    const filter = sandbox(backend(mode))
    const fs = api(filter, mode)
    t.deepEqual(
      filter.inner.readDirSync('/workspace').map((e) => e.name),
      ['.env', 'secrets', 'src'],
    )
    t.deepEqual(
      (await fs.readDir('/workspace')).map((e) => e.name),
      ['src'],
    )
    await rejectsCode(t, fs.readDir('/'), 'EACCES')
  })

  test(`${mode}: a symlink cannot lead to a denied file`, async (t) => {
    const inner = backend(mode)
    const filter = sandbox(inner)
    // Links made behind the filter's back, pointing out of the sandbox and at a secret.
    inner.symlinkSync('/passwd', '/workspace/p')
    inner.symlinkSync('/workspace/.env', '/workspace/src/env')
    inner.symlinkSync('/workspace/src', '/workspace/alias')
    for (const fs of [api(filter, mode), api(new FileStorage(filter), mode)]) {
      const err = await rejectsCode(t, fs.read('/workspace/p'), 'EACCES')
      t.is(err.path, '/workspace/p') // the caller's path, not where it led
      await rejectsCode(t, fs.readToString('/workspace/src/env'), 'EACCES')
      await rejectsCode(t, fs.write('/workspace/p', 'pwned'), 'EACCES')
      // An allowed target through an allowed link is fine.
      t.is(await fs.readToString('/workspace/alias/a.txt'), 'a')
    }
    t.is(inner.readToStringSync('/passwd'), 'root')
    // Creating a link to a denied target is refused too.
    await rejectsCode(t, api(filter, mode).symlink('/passwd', '/workspace/q'), 'EACCES')
  })

  test(`${mode}: rename, copy and hard links check both paths`, async (t) => {
    const fs = api(sandbox(backend(mode)), mode)
    await rejectsCode(t, fs.rename('/workspace/src/a.txt', '/stolen'), 'EACCES')
    await rejectsCode(t, fs.copy('/workspace/.env', '/workspace/src/copy'), 'EACCES')
    await rejectsCode(t, fs.hardLink('/passwd', '/workspace/src/pw'), 'EACCES')
    await fs.rename('/workspace/src/a.txt', '/workspace/src/moved.txt')
    t.true(await fs.exists('/workspace/src/moved.txt'))
  })
}

test('patterns are checked where they are written, with the pattern in the message', (t) => {
  const err = t.throws(() => PathFilterLayer.builder().allow('/ok/**').deny('/a/[b'), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  })
  t.regex(err?.message ?? '', /\/a\/\[b/)
  t.throws(() => PathFilterLayer.builder().allow(42 as unknown as string), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  const viaRules = t.throws(() => new PathFilter(new MemoryBackend(), [{ kind: 'allow', pattern: '{a,b' }]), { instanceOf: TypeError })
  t.regex(viaRules?.message ?? '', /\{a,b/)
  t.throws(() => new PathFilterLayer([{ kind: 'permit' as 'allow', pattern: '/**' }]), { instanceOf: TypeError })
  t.throws(() => new PathFilterLayer('/**' as unknown as []), { instanceOf: TypeError })
})

test('no rules: everything is denied; rules are kept in order', (t) => {
  const fs = new PathFilter(new MemoryBackend())
  t.throws(() => fs.writeSync('/a', 'x'), { instanceOf: FsError, code: 'EACCES' })
  const layer = PathFilterLayer.builder().allow('/a/**').deny('.env').build()
  t.deepEqual(layer.rules, [
    { kind: 'allow', pattern: '/a/**' },
    { kind: 'deny', pattern: '.env' },
  ])
  // A gitignore-style pattern matches at any depth.
  const filtered = new MemoryBackend().layer(layer)
  filtered.createDirAllSync('/a/b')
  t.throws(() => filtered.writeSync('/a/b/.env', 'x'), { code: 'EACCES' })
})
