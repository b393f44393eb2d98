// Overlay from TypeScript: copy-up, whiteouts hidden from listings, diff/commit/discard, the
// capability set without handles, locks and xattrs, and blocking layers on the pool.

import test from 'ava'

import { FileStorage, FsError, MemoryBackend, Overlay, OverlayLayer, ReadOnlyLayer, type FsPosix } from '../js/index'
import { MODES, api, backend, rejectsCode } from './helpers'

/** A base "template" with a small tree. */
function template(mode: (typeof MODES)[number]): MemoryBackend {
  const base = backend(mode)
  base.createDirAllSync('/app/src')
  base.writeSync('/app/src/main.rs', 'fn main() {}')
  base.writeSync('/app/README', 'hi')
  base.createDirAllSync('/big/tree/deep')
  base.writeSync('/big/tree/deep/f', 'x')
  return base
}

for (const mode of MODES) {
  test(`${mode}: changes go to the upper layer; the base is never written`, async (t) => {
    const base = template(mode)
    const upper = backend(mode)
    const overlay = new Overlay(base, upper)
    const fs = api(new FileStorage(overlay), mode)
    await fs.append('/app/src/main.rs', ' // edited')
    await fs.write('/app/new.txt', 'new')
    t.is(await fs.readToString('/app/src/main.rs'), 'fn main() {} // edited')
    t.is(base.readToStringSync('/app/src/main.rs'), 'fn main() {}')
    t.false(base.existsSync('/app/new.txt'))
    t.is(upper.readToStringSync('/app/new.txt'), 'new')
  })

  test(`${mode}: deletions are whiteouts, hidden from listings`, async (t) => {
    const base = template(mode)
    const upper = backend(mode)
    const overlay = new Overlay(base, upper)
    const fs = api(overlay, mode)
    await fs.removeFile('/app/README')
    await fs.removeDirAll('/big')
    t.false(await fs.exists('/app/README'))
    t.false(await fs.exists('/big/tree/deep/f'))
    t.deepEqual(
      (await fs.readDir('/app')).map((e) => e.name),
      ['src'],
    )
    t.deepEqual(
      (await fs.readDir('/')).map((e) => e.name),
      ['app'],
    )
    // The whiteouts exist, in the upper layer only.
    const upperNames = upper.readDirSync('/app').map((e) => e.name)
    t.true(upperNames.some((n) => n.startsWith('.wh.')), upperNames.join(','))
    t.true(base.existsSync('/big/tree/deep/f'))
    // Names starting with .wh. belong to the overlay.
    await rejectsCode(t, fs.write('/app/.wh.x', 'x'), 'EINVAL')
  })

  test(`${mode}: diff, commit onto the base, then discard`, async (t) => {
    const base = template(mode)
    const overlay = new Overlay(base, backend(mode))
    const fs = api(overlay, mode)
    await fs.write('/app/README', 'changed')
    await fs.write('/app/new.txt', 'n')
    await fs.removeDirAll('/big')
    const expected = [
      { kind: 'added', path: '/app/new.txt' },
      { kind: 'modified', path: '/app/README' },
      { kind: 'deleted', path: '/big' },
    ]
    const sort = (c: { path: string }[]) => [...c].sort((a, b) => a.path.localeCompare(b.path))
    const diff = mode === 'sync' ? overlay.diffSync() : await overlay.diff()
    t.deepEqual(sort(diff), sort(expected))
    const committed = mode === 'sync' ? overlay.commitSync(base) : await overlay.commit(base)
    t.deepEqual(sort(committed), sort(expected))
    t.is(base.readToStringSync('/app/README'), 'changed')
    t.is(base.readToStringSync('/app/new.txt'), 'n')
    t.false(base.existsSync('/big'))
    if (mode === 'sync') overlay.discardSync()
    else await overlay.discard()
    t.deepEqual(overlay.diffSync(), [])
    // The overlay shows the (now committed) base again.
    t.is(await fs.readToString('/app/README'), 'changed')
  })

  test(`${mode}: discard brings the template back`, async (t) => {
    const overlay = new Overlay(template(mode), backend(mode))
    const fs = api(overlay, mode)
    await fs.removeDirAll('/app')
    t.false(await fs.exists('/app'))
    await overlay.discard()
    t.is(await fs.readToString('/app/src/main.rs'), 'fn main() {}')
  })
}

test('the overlay has no handles, locks or xattrs, at run time as in its type', (t) => {
  const overlay = new Overlay(template('sync'), new MemoryBackend())
  t.deepEqual(overlay.capabilities, ['FsRead', 'FsWrite', 'FsDir', 'FsLink', 'FsPermissions', 'FsSync', 'FsStats', 'FsInode'])
  t.true(overlay.pathToInodeSync('/app') > 1)
  // Reaching them anyway (through a cast) fails cleanly.
  const posix = overlay as unknown as FsPosix
  t.throws(() => posix.openSync('/app/README', 'r'), { instanceOf: FsError, code: 'ENOSYS' })
  t.throws(() => posix.listXattrSync('/app'), { instanceOf: FsError, code: 'ENOSYS' })
  t.throws(() => posix.tryLockSync(1, 'shared'), { instanceOf: FsError, code: 'ENOSYS' })
  // A layer over the overlay keeps its (smaller) capability set.
  const ro = overlay.layer(new ReadOnlyLayer())
  t.deepEqual(ro.capabilities, overlay.capabilities)
})

test('OverlayLayer lays its upper layer over what it wraps', (t) => {
  const base = template('sync')
  const upper = new MemoryBackend()
  const fs = base.layer(new OverlayLayer(upper))
  t.true(fs instanceof Overlay)
  t.is(fs.base, base)
  t.is(fs.upper, upper)
  t.is(fs.inner, base)
  fs.writeSync('/app/README', 'over')
  t.is(base.readToStringSync('/app/README'), 'hi')
})

test('overlay arguments are checked', (t) => {
  const m = new MemoryBackend()
  t.throws(() => new Overlay(m, m), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' })
  t.throws(() => new Overlay(m, {} as MemoryBackend), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  t.throws(() => new Overlay(new FileStorage(m) as unknown as MemoryBackend, new MemoryBackend()), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  })
  const overlay = new Overlay(new MemoryBackend(), new MemoryBackend())
  t.throws(() => overlay.commitSync('nope' as unknown as MemoryBackend), { instanceOf: TypeError })
})
