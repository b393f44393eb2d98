// DryRun from TypeScript: mutations recorded as typed operations, never applied; reads see the
// wrapped stack unchanged.

import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import test from 'ava'

import { DryRun, DryRunLayer, FileStorage, MemoryBackend, OpenFlags, type DryRunOperation } from '../js/index'
import { MODES, api, backend, rejectsCode } from './helpers'

for (const mode of MODES) {
  test(`${mode}: every mutation is recorded with its arguments and not applied`, async (t) => {
    const inner = backend(mode)
    inner.writeSync('/old.txt', 'old')
    const dry = inner.layer(new DryRunLayer())
    const fs = api(dry, mode)
    await fs.write('/test.txt', 'hello')
    await fs.append('/old.txt', '!!')
    await fs.truncate('/old.txt', 1)
    await fs.rename('/old.txt', '/new.txt')
    await fs.copy('/old.txt', '/copy.txt')
    await fs.createDirAll('/a/b')
    await fs.removeDirAll('/a')
    await fs.removeFile('/old.txt')
    await fs.symlink('/target', '/link')
    await fs.hardLink('/old.txt', '/hard')
    await fs.setPermissions('/old.txt', 0o600)
    await fs.setOwner('/old.txt', 1000, null)
    await fs.setTimes('/old.txt', null, new Date(5000))
    await fs.setXattr('/old.txt', 'user.tag', 'blue')
    await fs.removeXattr('/old.txt', 'user.tag')
    const ops: DryRunOperation[] = dry.operations()
    t.deepEqual(ops, [
      { op: 'write', path: '/test.txt', size: 5 },
      { op: 'append', path: '/old.txt', size: 2 },
      { op: 'truncate', path: '/old.txt', size: 1 },
      { op: 'rename', from: '/old.txt', to: '/new.txt' },
      { op: 'copy', from: '/old.txt', to: '/copy.txt' },
      { op: 'createDirAll', path: '/a/b' },
      { op: 'removeDirAll', path: '/a' },
      { op: 'removeFile', path: '/old.txt' },
      { op: 'symlink', original: '/target', link: '/link' },
      { op: 'hardLink', original: '/old.txt', link: '/hard' },
      { op: 'setPermissions', path: '/old.txt', mode: 0o600 },
      { op: 'setOwner', path: '/old.txt', uid: 1000, gid: null },
      { op: 'setTimes', path: '/old.txt', accessed: null, modified: new Date(5000) },
      { op: 'setXattr', path: '/old.txt', name: 'user.tag', size: 4 },
      { op: 'removeXattr', path: '/old.txt', name: 'user.tag' },
    ])
    // Nothing was applied: reads see the wrapped stack as it was.
    await rejectsCode(t, fs.read('/test.txt'), 'ENOENT')
    t.is(await fs.readToString('/old.txt'), 'old')
    t.deepEqual(
      inner.readDirSync('/').map((e) => e.name),
      ['old.txt'],
    )
  })

  test(`${mode}: a bad path is refused before it is recorded`, async (t) => {
    const dry = new DryRun(backend(mode))
    await rejectsCode(t, api(dry, mode).write('relative', 'x'), 'EINVAL')
    t.deepEqual(dry.operations(), [])
  })
}

test('streams and writing handles are recorded, their data discarded', async (t) => {
  const inner = new MemoryBackend()
  inner.writeSync('/f', 'original')
  const dry = new DryRun(inner)
  const fs = new FileStorage(dry)
  await pipeline(Readable.from([Buffer.alloc(10), Buffer.alloc(5)]), fs.openWriteSync('/stream.bin'))
  const h = dry.openSync('/f', 'r+')
  t.is(dry.writeAtSync(h, 'abc', 2), 3)
  // The handle reads the file as it is.
  const buf = Buffer.alloc(8)
  t.is(dry.readAtSync(h, buf, 0), 8)
  t.is(buf.toString(), 'original')
  dry.closeSync(h)
  t.deepEqual(dry.operations(), [
    { op: 'openWrite', path: '/stream.bin', size: 15 },
    { op: 'open', path: '/f', flags: OpenFlags.READ | OpenFlags.WRITE },
    { op: 'writeAt', path: '/f', offset: 2, size: 3 },
  ])
  t.is(inner.readToStringSync('/f'), 'original')
  t.false(inner.existsSync('/stream.bin'))
})

test('takeOperations, clear, and a bounded log that counts what it dropped', (t) => {
  const dry = new MemoryBackend().layer(DryRunLayer.builder().maxOperations(2).build())
  dry.createDirSync('/a')
  dry.createDirSync('/b')
  dry.createDirSync('/c')
  t.is(dry.dropped, 1)
  t.deepEqual(dry.takeOperations(), [
    { op: 'createDir', path: '/b' },
    { op: 'createDir', path: '/c' },
  ])
  t.deepEqual(dry.operations(), [])
  dry.removeDirSync('/x')
  dry.clear()
  t.deepEqual(dry.operations(), [])
  t.is(dry.dropped, 0)
  t.throws(() => DryRunLayer.builder().maxOperations(0), { instanceOf: RangeError })
  t.throws(() => new DryRun(new MemoryBackend(), { max: 3 } as unknown as undefined), { instanceOf: TypeError })
})
