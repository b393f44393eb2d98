// FsInode, FsHandles, FsLock and FsXattr, in every call mode.

import test from 'ava'

import { OpenFlags } from '../js/index'
import { MODES, rejectsCode, storage } from './helpers'

for (const mode of MODES) {
  test(`${mode}: pathToInode, inodeToPath, lookup, metadataByInode`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDir('/dir')
    await fs.write('/dir/f', 'abc')
    t.is(await fs.pathToInode('/'), 1)
    t.is(await fs.inodeToPath(1), '/')
    const dir = await fs.pathToInode('/dir')
    const file = await fs.lookup(dir, 'f')
    t.is(file, await fs.pathToInode('/dir/f'))
    t.is(await fs.inodeToPath(file), '/dir/f')
    const m = await fs.metadataByInode(file)
    t.true(m.isFile())
    t.is(m.size, 3)
    t.true((await fs.metadataByInode(1)).isDirectory())
    await rejectsCode(t, fs.lookup(dir, 'missing'), 'ENOENT')
    await rejectsCode(t, fs.inodeToPath(999_999), 'ENOENT')
    await rejectsCode(t, fs.metadataByInode(999_999), 'ENOENT')
  })

  test(`${mode}: open, writeAt, readAt, close`, async (t) => {
    const { fs } = storage(mode)
    const h = await fs.open('/h', 'w+')
    t.true(Number.isInteger(h))
    t.is(await fs.writeAt(h, 'hello world', 0), 11)
    t.is(await fs.writeAt(h, new Uint8Array([72]), 0), 1)
    const buf = Buffer.alloc(5)
    t.is(await fs.readAt(h, buf, 0), 5)
    t.is(buf.toString(), 'Hello')
    const tail = new Uint8Array(100)
    t.is(await fs.readAt(h, tail, 6), 5)
    t.is(Buffer.from(tail.subarray(0, 5)).toString(), 'world')
    t.is(await fs.readAt(h, tail, 1000), 0)
    await fs.close(h)
    await rejectsCode(t, fs.close(h), 'EBADF')
    await rejectsCode(t, fs.readAt(h, buf, 0), 'EBADF')
    t.is(await fs.readToString('/h'), 'Hello world')
  })

  test(`${mode}: open flags as strings and bits`, async (t) => {
    const { fs } = storage(mode)
    await rejectsCode(t, fs.open('/none', 'r'), 'ENOENT')
    const a = await fs.open('/f', OpenFlags.WRITE | OpenFlags.CREATE)
    await fs.close(a)
    await rejectsCode(t, fs.open('/f', 'wx'), 'EEXIST')
    const r = await fs.open('/f')
    await rejectsCode(t, fs.writeAt(r, 'x', 0), 'EBADF')
    await fs.close(r)
    const ap = await fs.open('/f', 'a')
    await fs.writeAt(ap, 'one', 0)
    await fs.writeAt(ap, 'two', 0)
    await fs.close(ap)
    t.is(await fs.readToString('/f'), 'onetwo')
    await rejectsCode(t, fs.open('/', 'r'), 'EISDIR')
  })

  test(`${mode}: lock, tryLock, unlock`, async (t) => {
    const { fs } = storage(mode)
    const a = await fs.open('/l', 'w')
    const b = await fs.open('/l', 'r')
    await fs.lock(a, 'exclusive')
    t.false(await fs.tryLock(b, 'shared'))
    await fs.unlock(a)
    t.true(await fs.tryLock(b, 'shared'))
    t.true(await fs.tryLock(a, 'shared'))
    t.false(await fs.tryLock(a, 'exclusive'))
    await fs.unlock(b)
    t.true(await fs.tryLock(a, 'exclusive'))
    await fs.close(a)
    t.true(await fs.tryLock(b, 'exclusive'))
    await fs.close(b)
  })

  test(`${mode}: getXattr, setXattr, removeXattr, listXattr`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/x', '')
    await fs.setXattr('/x', 'user.tag', 'blue')
    await fs.setXattr('/x', 'user.bin', new Uint8Array([0, 255]))
    t.is((await fs.getXattr('/x', 'user.tag')).toString(), 'blue')
    t.deepEqual([...(await fs.getXattr('/x', 'user.bin'))], [0, 255])
    t.deepEqual((await fs.listXattr('/x')).sort(), ['user.bin', 'user.tag'])
    await fs.removeXattr('/x', 'user.tag')
    await rejectsCode(t, fs.getXattr('/x', 'user.tag'), 'ENODATA')
    await rejectsCode(t, fs.removeXattr('/x', 'user.tag'), 'ENODATA')
    t.deepEqual(await fs.listXattr('/x'), ['user.bin'])
  })
}

test('async lock waits on the pool until the conflicting lock is released', async (t) => {
  const { raw } = storage('async')
  const a = raw.openSync('/w', 'w')
  const b = raw.openSync('/w', 'w')
  raw.lockSync(a, 'exclusive')
  let acquired = false
  const waiting = raw.lock(b, 'exclusive').then(() => {
    acquired = true
  })
  // The JS thread is free while `b` waits: this runs, and releases the lock.
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.false(acquired)
  raw.unlockSync(a)
  await waiting
  t.true(acquired)
  raw.closeSync(a)
  raw.closeSync(b)
})
