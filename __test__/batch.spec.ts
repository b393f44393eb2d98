// batch / batchSync: many operations in one crossing, with per-op values and errors.

import test from 'ava'

import { DirEntry, FileStorage, FsError, MemoryBackend, Metadata, type BatchOp } from '../js/index'

for (const offload of [false, true]) {
  const label = offload ? 'offload' : 'inline'

  test(`${label}: batch runs every kind of op and decodes each value`, async (t) => {
    const fs = new FileStorage(new MemoryBackend({ offload }))
    const results = await fs.batch([
      { op: 'createDirAll', path: '/b/c' },
      { op: 'write', path: '/b/f', data: 'hello' },
      { op: 'append', path: '/b/f', data: new Uint8Array([33]) },
      { op: 'read', path: '/b/f' },
      { op: 'readToString', path: '/b/f' },
      { op: 'readRange', path: '/b/f', offset: 1, length: 2 },
      { op: 'exists', path: '/b/f' },
      { op: 'metadata', path: '/b/f' },
      { op: 'readDir', path: '/b' },
      { op: 'symlink', original: '/b/f', link: '/b/l' },
      { op: 'readLink', path: '/b/l' },
      { op: 'symlinkMetadata', path: '/b/l' },
      { op: 'statfs' },
      { op: 'pathToInode', path: '/' },
      { op: 'inodeToPath', inode: 1 },
      { op: 'canonicalize', path: '/b/l' },
      { op: 'setXattr', path: '/b/f', name: 'user.k', value: 'v' },
      { op: 'listXattr', path: '/b/f' },
    ])
    t.is(results.length, 18)
    t.true(results.every((r) => r.ok), JSON.stringify(results.filter((r) => !r.ok)))
    const v = results.map((r) => (r.ok ? r.value : undefined))
    t.is(v[0], undefined)
    t.is((v[3] as Buffer).toString(), 'hello!')
    t.is(v[4], 'hello!')
    t.is((v[5] as Buffer).toString(), 'el')
    t.is(v[6], true)
    t.true(v[7] instanceof Metadata)
    t.is((v[7] as Metadata).size, 6)
    t.deepEqual((v[8] as DirEntry[]).map((e) => e.name).sort(), ['c', 'f'])
    t.is(v[10], '/b/f')
    t.true((v[11] as Metadata).isSymbolicLink())
    t.is((v[12] as { usedBytes: number }).usedBytes, 6)
    t.is(v[13], 1)
    t.is(v[14], '/')
    t.is(v[15], '/b/f')
    t.deepEqual(v[17], ['user.k'])
  })

  test(`${label}: one failing op does not stop the others`, async (t) => {
    const fs = new FileStorage(new MemoryBackend({ offload }))
    const [a, b, c] = await fs.batch([
      { op: 'write', path: '/a', data: '1' },
      { op: 'read', path: '/missing' },
      { op: 'readToString', path: '/a' },
    ])
    t.true(a.ok)
    t.false(b.ok)
    if (!b.ok) {
      t.true(b.error instanceof FsError)
      t.is(b.error.code, 'ENOENT')
      t.is(b.error.message, "ENOENT: no such file or directory, read '/missing'")
    }
    t.deepEqual(c, { ok: true, value: '1' })
  })

  test(`${label}: handles, inodes, times, owners and links in a batch`, async (t) => {
    const fs = new FileStorage(new MemoryBackend({ offload }))
    fs.writeSync('/h', 'abc')
    const [open] = await fs.batch([{ op: 'open', path: '/h', flags: 'r+' }])
    t.true(open.ok)
    const h = open.ok ? open.value : -1
    const r = await fs.batch([
      { op: 'writeAt', handle: h, data: 'X', position: 1 },
      { op: 'readAt', handle: h, length: 10, position: 0 },
      { op: 'tryLock', handle: h, type: 'exclusive' },
      { op: 'unlock', handle: h },
      { op: 'close', handle: h },
      { op: 'close', handle: h },
      { op: 'setTimes', path: '/h', accessed: 5, modified: new Date(6) },
      { op: 'setPermissions', path: '/h', mode: 0o600 },
      { op: 'setOwner', path: '/h', uid: 7 },
      { op: 'metadataByInode', inode: fs.pathToInodeSync('/h') },
      { op: 'lookup', parentInode: 1, name: 'h' },
      { op: 'hardLink', original: '/h', link: '/h2' },
      { op: 'copy', from: '/h', to: '/h3' },
      { op: 'rename', from: '/h3', to: '/h4' },
      { op: 'truncate', path: '/h4', size: 1 },
      { op: 'removeFile', path: '/h4' },
      { op: 'sync' },
      { op: 'fsync', path: '/h' },
      { op: 'getXattr', path: '/h', name: 'user.none' },
      { op: 'softCanonicalize', path: '/x/y' },
      { op: 'anchoredCanonicalize', path: '../z', anchor: '/' },
      { op: 'createDir', path: '/e' },
      { op: 'removeDir', path: '/e' },
      { op: 'createDir', path: '/e2' },
      { op: 'removeDirAll', path: '/e2' },
      { op: 'removeXattr', path: '/h', name: 'user.none' },
    ])
    const code = (i: number) => {
      const x = r[i]
      return x?.ok ? 'ok' : x?.error.code
    }
    t.deepEqual(r[0], { ok: true, value: 1 })
    t.is(r[1]?.ok ? (r[1].value as Buffer).toString() : '', 'aXc')
    t.deepEqual(r[2], { ok: true, value: true })
    t.is(code(4), 'ok')
    t.is(code(5), 'EBADF')
    const meta = r[9]?.ok ? (r[9].value as Metadata) : undefined
    t.is(meta?.accessedMs, 5)
    t.is(meta?.modifiedMs, 6)
    t.is(meta?.permissions.mode, 0o600)
    t.is(meta?.uid, 7)
    t.deepEqual(r[10], { ok: true, value: fs.pathToInodeSync('/h') })
    for (const i of [11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24]) t.is(code(i), 'ok', String(i))
    t.is(code(18), 'ENODATA')
    t.deepEqual(r[19], { ok: true, value: '/x/y' })
    t.deepEqual(r[20], { ok: true, value: '/z' })
    t.is(code(25), 'ENODATA')
    t.is(fs.metadataSync('/h').nlink, 2)
  })
}

test('batchSync returns results synchronously, typed per position', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const [w, e] = fs.batchSync([
    { op: 'write', path: '/x', data: 'y' },
    { op: 'exists', path: '/x' },
  ])
  t.true(w.ok)
  const exists: boolean = e.ok ? e.value : false
  t.true(exists)
})

test('a malformed batch throws a TypeError before anything runs', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const bad = [{ op: 'write', path: '/ran', data: 'x' }, { op: 'write', path: 42 }] as unknown as BatchOp[]
  t.throws(() => fs.batchSync(bad), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  t.false(fs.existsSync('/ran'))
  for (const op of ['openRead', 'lock', '__debugPanic', 'nope']) {
    t.throws(() => fs.batchSync([{ op } as unknown as BatchOp]), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' })
  }
  t.throws(() => fs.batchSync('nope' as never), { instanceOf: TypeError })
})

test('an empty batch is fine', async (t) => {
  const fs = new MemoryBackend()
  t.deepEqual(fs.batchSync([]), [])
  t.deepEqual(await fs.batch([]), [])
})

test('a large batch (10k writes then 10k reads) round-trips', (t) => {
  const fs = new MemoryBackend()
  const n = 10_000
  const writes: BatchOp[] = Array.from({ length: n }, (_, i) => ({ op: 'write', path: `/f${i}`, data: `v${i}` }))
  t.true(fs.batchSync(writes).every((r) => r.ok))
  const reads: BatchOp[] = Array.from({ length: n }, (_, i) => ({ op: 'readToString', path: `/f${i}` }))
  const out = fs.batchSync(reads)
  t.true(out.every((r, i) => r.ok && r.value === `v${i}`))
})
