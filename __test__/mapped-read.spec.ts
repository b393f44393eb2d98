// Large whole-file reads of MemoryBackend come back as private mappings of the engine's memfds
// (crates/anyfs-node/src/mapped.rs): each result must stay its own, whatever the caller does to
// it and whatever happens to the file afterwards.

import { MessageChannel } from 'node:worker_threads'

import test from 'ava'

import { FileStorage, MemoryBackend, OpenFlags } from '../js/index'

const MIB = 1024 * 1024

/** A pattern that differs per seed, so stale bytes cannot pass for fresh ones. */
function pattern(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length)
  for (let k = 0; k < length; k++) out[k] = (seed * 31 + k * 7) & 0xff
  return out
}

for (const name of ['FileStorage', 'MemoryBackend'] as const) {
  const make = (): FileStorage<MemoryBackend> | MemoryBackend =>
    name === 'FileStorage' ? new FileStorage(new MemoryBackend()) : new MemoryBackend()

  test(`${name}: writing into a read result changes neither the file nor the next read`, (t) => {
    const fs = make()
    const data = pattern(MIB, 1)
    fs.writeSync('/big', data)
    const first = fs.readSync('/big')
    t.true(Buffer.isBuffer(first))
    t.true(first.equals(data))
    first.fill(0xee)
    first[MIB - 1] = 1
    const second = fs.readSync('/big')
    t.true(second.equals(data), 'the caller changed the file through its result')
    t.true(first.every((b, i) => b === (i === MIB - 1 ? 1 : 0xee)), 'the result lost the caller\'s writes')
  })

  test(`${name}: a read result keeps its bytes through every later change of the file`, async (t) => {
    const fs = make()
    const data = pattern(3 * MIB + 5, 2)
    fs.writeSync('/f', data)
    const results = [fs.readSync('/f'), await fs.read('/f')]
    const h = fs.openSync('/f', OpenFlags.READ_WRITE)
    fs.writeAtSync(h, Buffer.from('changed'), 1000)
    fs.closeSync(h)
    const changed = Buffer.from(data)
    changed.write('changed', 1000)
    t.true(fs.readSync('/f').equals(changed))
    fs.appendSync('/f', 'tail')
    fs.truncateSync('/f', 10)
    fs.truncateSync('/f', 2 * MIB)
    fs.writeSync('/f', 'replaced')
    fs.removeFileSync('/f')
    for (const r of results) t.true(r.equals(data), 'a change of the file reached an earlier result')
  })
}

test('a read result can be transferred or refused without harm to the file', (t) => {
  const fs = new MemoryBackend()
  const data = pattern(MIB, 3)
  fs.writeSync('/big', data)
  const result = fs.readSync('/big')
  const { port1, port2 } = new MessageChannel()
  try {
    const memory = result.buffer as ArrayBuffer
    port1.postMessage(memory, [memory])
  } catch (err) {
    // V8 may refuse to transfer memory it does not own: a clear error, nothing else.
    t.is((err as Error).name, 'DataCloneError')
  } finally {
    port1.close()
    port2.close()
  }
  t.true(fs.readSync('/big').equals(data))
})

test('results of reads that nobody keeps are collected: memory stays bounded', (t) => {
  const fs = new MemoryBackend()
  const size = 64 * MIB
  const data = pattern(size, 4)
  const before = process.memoryUsage().rss
  // Each round rewrites the file while the last result may still be alive, so the engine moves
  // the file to a new memfd; the old ones are freed only when their results are collected.
  for (let i = 0; i < 60; i++) {
    fs.writeSync('/big', data)
    const r = fs.readSync('/big')
    t.is(r.length, size)
  }
  // Unbounded, this loop holds 60 old versions (RSS counts each twice: the engine's mapping and
  // the result's, 7.5 GiB); the zero-copy budget (512 MiB) bounds it, beyond which reads copy.
  const grown = process.memoryUsage().rss - before
  t.true(grown < 2048 * MIB, `RSS grew by ${Math.round(grown / MIB)} MiB over 60 rounds of 64 MiB`)
})
