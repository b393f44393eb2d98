// openRead / openWrite as Node streams: pipelines, chunking, errors, in every call mode.

import { once } from 'node:events'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import test from 'ava'

import { FsError } from '../js/index'
import { MODES, api, rejectsCode, storage } from './helpers'

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

for (const mode of MODES) {
  test(`${mode}: pipeline through openWrite then openRead`, async (t) => {
    const { fs } = storage(mode)
    const parts = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i))
    const w = await fs.openWrite('/stream.bin')
    t.true(w instanceof Writable)
    await pipeline(Readable.from(parts), w)
    const expected = Buffer.concat(parts)
    t.true((await fs.read('/stream.bin')).equals(expected))
    const r = await fs.openRead('/stream.bin')
    t.true(r instanceof Readable)
    t.true((await collect(r)).equals(expected))
  })

  test(`${mode}: copy a file stream to stream`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/src.txt', 'x'.repeat(200_000))
    await pipeline(await fs.openRead('/src.txt'), await fs.openWrite('/dst.txt'))
    t.is(await fs.readToString('/dst.txt'), 'x'.repeat(200_000))
  })

  test(`${mode}: an empty file streams nothing`, async (t) => {
    const { fs } = storage(mode)
    await fs.write('/empty', '')
    t.is((await collect(await fs.openRead('/empty'))).length, 0)
  })

  test(`${mode}: opening a missing file or a directory fails with its code`, async (t) => {
    const { fs } = storage(mode)
    await rejectsCode(t, fs.openRead('/missing'), 'ENOENT')
    await fs.createDir('/d')
    await rejectsCode(t, fs.openRead('/d'), 'EISDIR')
    await rejectsCode(t, fs.openWrite('/no/such/dir/file'), 'ENOENT')
  })

  test(`${mode}: string chunks are written as UTF-8`, async (t) => {
    const { fs } = storage(mode)
    const w = await fs.openWrite('/text')
    await pipeline(Readable.from(['héllo ', 'wörld'], { objectMode: false }), w)
    t.is(await fs.readToString('/text'), 'héllo wörld')
  })
}

test('openReadSync / openWriteSync return streams at once', async (t) => {
  const { raw } = storage('sync')
  const w = raw.openWriteSync('/s')
  await new Promise<void>((resolve, reject) => w.end('sync streams', (err?: Error | null) => (err ? reject(err) : resolve())))
  t.is(await collect(raw.openReadSync('/s')).then(String), 'sync streams')
  t.throws(() => raw.openReadSync('/nope'), { instanceOf: FsError, code: 'ENOENT' })
})

test('a destroyed read stream releases its reader (and so the unlinked file)', async (t) => {
  const { raw } = storage('sync')
  raw.writeSync('/big', Buffer.alloc(1 << 20))
  const r = raw.openReadSync('/big')
  await once(r, 'readable')
  t.true(((r.read() as Buffer | null)?.length ?? 0) > 0)
  // Unlinked while open: the open reader keeps the data alive (POSIX), so it is still counted.
  raw.removeFileSync('/big')
  t.is(raw.statfsSync().usedBytes, 1 << 20)
  r.destroy()
  await once(r, 'close')
  t.is(raw.statfsSync().usedBytes, 0)
})

test('the api adapter drives streams in every mode', (t) => {
  t.truthy(api)
})
