// Whole-file synchronous reads carve small results out of shared slabs (js/read-slab.ts): every
// result must keep its own bytes whatever is read after it, at every size boundary.

import { MessageChannel } from 'node:worker_threads'

import test from 'ava'

import { FileStorage, FsError, MemoryBackend } from '../js/index'

/** Content of file `i`: its length and a byte pattern that differs from every other file's. */
function content(i: number, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let k = 0; k < length; k++) out[k] = (i * 31 + k * 7) & 0xff
  return out
}

// Sizes around the slab's 8-byte alignment, the 16 KiB "fresh slab" limit, the 64 KiB slab, the
// 8 MiB copy limit, and empty files.
const SIZES = [0, 1, 7, 8, 9, 4095, 4096, 4097, 16 * 1024, 16 * 1024 + 1, 60_000, 64 * 1024, 64 * 1024 + 1, 256 * 1024, 300_000, 8 * 1024 * 1024 + 1]

for (const name of ['FileStorage', 'MemoryBackend'] as const) {
  test(`${name}: every sync read keeps its own bytes, at every size, across many slabs`, (t) => {
    const fs = name === 'FileStorage' ? new FileStorage(new MemoryBackend()) : new MemoryBackend()
    const files: { path: string; data: Buffer }[] = []
    // 600 small files fill and roll over several slabs; the listed sizes are interleaved.
    for (let i = 0; i < 600; i++) {
      const length = i % 40 === 0 ? (SIZES[(i / 40) % SIZES.length] ?? 0) : 1000 + ((i * 379) % 7000)
      const data = content(i, length)
      fs.writeSync(`/f${i}`, data)
      files.push({ path: `/f${i}`, data })
    }
    const results = files.map((f) => fs.readSync(f.path))
    // Read everything a second time so later reads would overwrite any shared bytes.
    for (const f of files) fs.readSync(f.path)
    const ranges: [ArrayBufferLike, number, number][] = []
    for (const [i, f] of files.entries()) {
      const got = results[i] ?? Buffer.alloc(0)
      t.true(Buffer.isBuffer(got))
      t.is(got.length, f.data.length, f.path)
      t.true(got.equals(f.data), `${f.path} changed after later reads`)
      ranges.push([got.buffer, got.byteOffset, got.byteOffset + got.length])
    }
    // Results that share an ArrayBuffer never overlap.
    for (const [i, [buf, start, end]] of ranges.entries()) {
      for (const [other, s, e] of ranges.slice(i + 1)) {
        if (buf === other && start < end && s < e) t.false(start < e && s < end, `results ${i} overlap`)
      }
    }
  })
}

test('a failed sync read leaves the next reads intact', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  fs.writeSync('/a', 'alpha')
  const a = fs.readSync('/a')
  const err = t.throws(() => fs.readSync('/missing'), { instanceOf: FsError })
  t.is(err?.code, 'ENOENT')
  fs.createDirSync('/dir')
  t.is(t.throws(() => fs.readSync('/dir'), { instanceOf: FsError })?.code, 'EISDIR')
  fs.writeSync('/b', 'beta')
  t.is(fs.readSync('/b').toString(), 'beta')
  t.is(a.toString(), 'alpha')
})

test('transferring a result\'s shared ArrayBuffer does not detach it from later reads', (t) => {
  const fs = new FileStorage(new MemoryBackend())
  fs.writeSync('/a', 'first')
  fs.writeSync('/b', 'second')
  const a = fs.readSync('/a')
  const { port1, port2 } = new MessageChannel()
  try {
    // Slabs are untransferable, like Node's Buffer pool: the transfer is refused or ignored,
    // never a detach.
    const shared = a.buffer as ArrayBuffer
    port1.postMessage(shared, [shared])
  } catch (err) {
    t.is((err as Error).name, 'DataCloneError')
  } finally {
    port1.close()
    port2.close()
  }
  t.is(a.toString(), 'first')
  t.is(fs.readSync('/b').toString(), 'second')
  t.is(a.toString(), 'first')
})
