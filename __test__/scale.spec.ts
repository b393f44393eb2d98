// Concurrency and size: 1000 concurrent async writes, and a 64 MiB file through every path.

import { randomFillSync } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import test from 'ava'

import { FileStorage, MemoryBackend } from '../js/index'
import { MODES, storage } from './helpers'

for (const mode of ['async', 'offload'] as const) {
  test(`${mode}: 1000 concurrent async writes all land`, async (t) => {
    const { fs } = storage(mode)
    await fs.createDir('/c')
    await Promise.all(Array.from({ length: 1000 }, (_, i) => fs.write(`/c/f${i}`, `data ${i}`)))
    const entries = await fs.readDir('/c')
    t.is(entries.length, 1000)
    const texts = await Promise.all(Array.from({ length: 1000 }, (_, i) => fs.readToString(`/c/f${i}`)))
    t.true(texts.every((s, i) => s === `data ${i}`))
  })

  test(`${mode}: 1000 concurrent appends to one file lose nothing`, async (t) => {
    const { fs } = storage(mode)
    await Promise.all(Array.from({ length: 1000 }, () => fs.append('/one', 'x')))
    t.is((await fs.metadata('/one')).size, 1000)
  })
}

const SIZE = 64 * 1024 * 1024
const big = randomFillSync(Buffer.alloc(SIZE))

for (const mode of MODES) {
  test(`${mode}: a 64 MiB file round-trips`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/big', big)
    t.is((await fs.metadata('/big')).size, SIZE)
    const back = await fs.read('/big')
    t.is(back.length, SIZE)
    t.true(back.equals(big))
    const mid = await fs.readRange('/big', SIZE / 2, 1024)
    t.true(mid.equals(big.subarray(SIZE / 2, SIZE / 2 + 1024)))
  })
}

test('a 64 MiB file streams through openWrite and openRead', async (t) => {
  const fs = new FileStorage(new MemoryBackend())
  const chunks = function* () {
    for (let off = 0; off < SIZE; off += 1 << 20) yield big.subarray(off, off + (1 << 20))
  }
  await pipeline(Readable.from(chunks()), fs.openWriteSync('/streamed'))
  let offset = 0
  let same = true
  for await (const chunk of fs.openReadSync('/streamed')) {
    const c = chunk as Buffer
    if (!c.equals(big.subarray(offset, offset + c.length))) same = false
    offset += c.length
  }
  t.is(offset, SIZE)
  t.true(same)
})

test('a 64 MiB result is handed to JS without breaking the backing store', (t) => {
  const fs = new MemoryBackend()
  fs.writeSync('/big', big)
  const a = fs.readSync('/big')
  const b = fs.readSync('/big')
  a[0] = (a[0] as number) ^ 0xff
  // Each read is its own buffer: changing one changes neither the other nor the file.
  t.is(b[0], big[0])
  t.is(fs.readRangeSync('/big', 0, 1)[0], big[0])
})
