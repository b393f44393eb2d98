// FsDir, FsLink, FsPermissions, FsSync, FsStats and FileStorage's canonicalization, in every
// call mode.

import test from 'ava'

import { DirEntry, MemoryBackend, Permissions } from '../js/index'
import { MODES, rejectsCode, storage } from './helpers'

for (const mode of MODES) {
  test(`${mode}: createDir, createDirAll, readDir, removeDir, removeDirAll`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDir('/d')
    await rejectsCode(t, fs.createDir('/d'), 'EEXIST')
    await fs.createDirAll('/d/e/f')
    await fs.createDirAll('/d/e/f')
    await fs.write('/d/file', 'x')
    await fs.symlink('/d/file', '/d/link')
    const entries = await fs.readDir('/d')
    t.true(entries.every((e) => e instanceof DirEntry))
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]))
    t.deepEqual(Object.keys(byName).sort(), ['e', 'file', 'link'])
    t.true(byName.e?.isDirectory())
    t.true(byName.file?.isFile())
    t.true(byName.link?.isSymbolicLink())
    t.is(byName.file?.inode, (await fs.metadata('/d/file')).inode)
    t.deepEqual(await fs.readDir('/d/e/f'), [])
    await rejectsCode(t, fs.removeDir('/d'), 'ENOTEMPTY')
    await fs.removeDir('/d/e/f')
    t.false(await fs.exists('/d/e/f'))
    await fs.removeDirAll('/d')
    t.false(await fs.exists('/d'))
    t.deepEqual(await fs.readDir('/'), [])
  })

  test(`${mode}: readDir of many entries with odd names`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDir('/many')
    const names = Array.from({ length: 300 }, (_, i) => `f ${i} ü😀`)
    for (const n of names) await fs.write(`/many/${n}`, '')
    const got = (await fs.readDir('/many')).map((e) => e.name).sort()
    t.deepEqual(got, [...names].sort())
  })

  test(`${mode}: symlink, readLink, symlinkMetadata, hardLink`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDirAll('/docs/2024')
    await fs.write('/docs/2024/notes.txt', 'hello')
    await fs.symlink('/docs/2024', '/docs/latest')
    t.is(await fs.readLink('/docs/latest'), '/docs/2024')
    t.true((await fs.symlinkMetadata('/docs/latest')).isSymbolicLink())
    t.true((await fs.metadata('/docs/latest')).isDirectory())
    t.is(await fs.readToString('/docs/latest/notes.txt'), 'hello')
    await fs.hardLink('/docs/2024/notes.txt', '/hard')
    const a = await fs.metadata('/hard')
    t.is(a.nlink, 2)
    t.is(a.inode, (await fs.metadata('/docs/2024/notes.txt')).inode)
    await rejectsCode(t, fs.readLink('/hard'), 'EINVAL')
    await rejectsCode(t, fs.symlink('/x', '/hard'), 'EEXIST')
    // The contract maps a hard link to a directory to NotAFile (EISDIR).
    await rejectsCode(t, fs.hardLink('/docs', '/dirlink'), 'EISDIR')
  })

  test(`${mode}: setPermissions, setOwner`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/p', '')
    await fs.setPermissions('/p', 0o600)
    t.is((await fs.metadata('/p')).permissions.mode, 0o600)
    await fs.setPermissions('/p', Permissions.readonly())
    t.true((await fs.metadata('/p')).permissions.isReadonly())
    await fs.setOwner('/p', 1000, 2000)
    let m = await fs.metadata('/p')
    t.is(m.uid, 1000)
    t.is(m.gid, 2000)
    await fs.setOwner('/p', null, 3000)
    m = await fs.metadata('/p')
    t.is(m.uid, 1000)
    t.is(m.gid, 3000)
    await rejectsCode(t, fs.setPermissions('/nope', 0o600), 'ENOENT')
  })

  test(`${mode}: sync, fsync, statfs`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/s', 'abc')
    t.is(await fs.sync(), undefined)
    t.is(await fs.fsync('/s'), undefined)
    await rejectsCode(t, fs.fsync('/nope'), 'ENOENT')
    const s = await fs.statfs()
    t.true(s.totalBytes > 0)
    t.is(s.usedBytes, 3)
    t.is(s.availableBytes, s.totalBytes - s.usedBytes)
    t.true(s.usedInodes >= 2)
    t.true(s.blockSize > 0)
    t.is(s.maxNameLength, 255)
  })

  test(`${mode}: canonicalize, softCanonicalize, anchoredCanonicalize`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDirAll('/docs/2024')
    await fs.symlink('/docs/2024', '/docs/latest')
    t.is(await fs.canonicalize('/docs/latest'), '/docs/2024')
    t.is(await fs.canonicalize('/docs/latest/../2024/.'), '/docs/2024')
    await rejectsCode(t, fs.canonicalize('/docs/latest/missing'), 'ENOENT')
    t.is(await fs.softCanonicalize('/docs/latest/new/file.txt'), '/docs/2024/new/file.txt')
    await fs.createDir('/sandbox')
    t.is(await fs.anchoredCanonicalize('../../etc/passwd', '/sandbox'), '/sandbox/etc/passwd')
  })
}

test('statfs reports the capacity of a bounded MemoryBackend, and ENOSPC past it', (t) => {
  const b = new MemoryBackend({ capacity: 1024 })
  t.is(b.statfsSync().totalBytes, 1024)
  b.writeSync('/fits', Buffer.alloc(1000))
  const err = t.throws(() => b.writeSync('/too-much', Buffer.alloc(100)))
  t.is((err as { code?: string }).code, 'ENOSPC')
  t.is((err as { kind?: string }).kind, 'QuotaExceeded')
})
