// FsRead and FsWrite through FileStorage and on the bare MemoryBackend, in every call mode.

import test from 'ava'

import { FileStorage, Metadata } from '../js/index'
import { MODES, api, backend, rejectsCode, storage } from './helpers'

for (const mode of MODES) {
  test(`${mode}: write then read, readToString, exists, metadata`, async (t) => {
    const { fs } = storage(mode)
    t.is(await fs.write('/a.txt', 'héllo'), undefined)
    const data = await fs.read('/a.txt')
    t.true(Buffer.isBuffer(data))
    t.is(data.toString('utf8'), 'héllo')
    t.is(await fs.readToString('/a.txt'), 'héllo')
    t.true(await fs.exists('/a.txt'))
    t.false(await fs.exists('/missing'))
    const m = await fs.metadata('/a.txt')
    t.true(m instanceof Metadata)
    t.true(m.isFile())
    t.false(m.isDirectory())
    t.false(m.isSymbolicLink())
    t.is(m.fileType, 'file')
    t.is(m.size, Buffer.byteLength('héllo'))
    t.is(m.mode, 0o100644)
    t.is(m.permissions.mode, 0o644)
    t.is(m.nlink, 1)
    t.true(m.inode > 1)
    t.true(m.modified instanceof Date)
    // Dates hold whole milliseconds; the *Ms fields keep the fraction, as node's mtimeMs does.
    t.is(m.modified?.getTime(), Math.trunc(m.modifiedMs ?? Number.NaN))
    t.true(Math.abs((m.modifiedMs ?? 0) - Date.now()) < 60_000)
  })

  test(`${mode}: write accepts Uint8Array and Buffer, and replaces content`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/b.bin', new Uint8Array([1, 2, 3, 4]))
    t.deepEqual([...(await fs.read('/b.bin'))], [1, 2, 3, 4])
    await fs.write('/b.bin', Buffer.from([9]))
    t.deepEqual([...(await fs.read('/b.bin'))], [9])
    await fs.write('/b.bin', '')
    t.is((await fs.read('/b.bin')).length, 0)
  })

  test(`${mode}: readRange returns the slice and is short at the end`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/r', '0123456789')
    t.is((await fs.readRange('/r', 2, 3)).toString(), '234')
    t.is((await fs.readRange('/r', 8, 100)).toString(), '89')
    t.is((await fs.readRange('/r', 50, 4)).length, 0)
  })

  test(`${mode}: append creates and extends`, async (t) => {
    const { fs } = storage(mode)
    await fs.append('/log', 'a')
    await fs.append('/log', new Uint8Array([98]))
    await fs.append('/log', 'c')
    t.is(await fs.readToString('/log'), 'abc')
  })

  test(`${mode}: removeFile, rename, copy, truncate`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/a', 'hello')
    await fs.copy('/a', '/b')
    t.is(await fs.readToString('/b'), 'hello')
    await fs.rename('/b', '/c')
    t.false(await fs.exists('/b'))
    t.is(await fs.readToString('/c'), 'hello')
    await fs.truncate('/c', 2)
    t.is(await fs.readToString('/c'), 'he')
    await fs.truncate('/c', 4)
    t.deepEqual([...(await fs.read('/c'))], [104, 101, 0, 0])
    await fs.removeFile('/c')
    t.false(await fs.exists('/c'))
    await rejectsCode(t, fs.removeFile('/c'), 'ENOENT')
    await rejectsCode(t, fs.rename('/nope', '/x'), 'ENOENT')
    await rejectsCode(t, fs.copy('/nope', '/x'), 'ENOENT')
    await rejectsCode(t, fs.truncate('/nope', 0), 'ENOENT')
  })

  test(`${mode}: setTimes sets atime and mtime, null leaves one unchanged`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/t', '')
    const before = await fs.metadata('/t')
    await fs.setTimes('/t', new Date(1_000_000), 2_000_000)
    const m = await fs.metadata('/t')
    t.is(m.accessedMs, 1_000_000)
    t.is(m.modifiedMs, 2_000_000)
    await fs.setTimes('/t', null, new Date(3_000_000))
    const m2 = await fs.metadata('/t')
    t.is(m2.accessedMs, 1_000_000)
    t.is(m2.modifiedMs, 3_000_000)
    t.is(m2.createdMs, before.createdMs)
    await rejectsCode(t, fs.setTimes('/nope', 1, 1), 'ENOENT')
  })

  test(`${mode}: the bare backend has the same operations`, async (t) => {
    const raw = backend(mode)
    const fs = api(raw, mode)
    await fs.write('/x', 'data')
    t.is(await fs.readToString('/x'), 'data')
    t.true((await fs.metadata('/x')).isFile())
    t.false('canonicalize' in raw)
  })

  test(`${mode}: a FileStorage shares its backend`, async (t) => {
    const raw = backend(mode)
    const viaStorage = api(new FileStorage(raw), mode)
    const direct = api(raw, mode)
    await viaStorage.write('/shared', 'one')
    t.is(await direct.readToString('/shared'), 'one')
    await direct.write('/shared', 'two')
    t.is(await viaStorage.readToString('/shared'), 'two')
  })
}

test('async methods of a memory backend return already-settled work (no thread hop)', async (t) => {
  const { raw } = storage('async')
  // The write happened before the promise was even awaited: the work runs inline.
  const pending = raw.write('/inline', 'x')
  t.true(raw.existsSync('/inline'))
  await pending
})
