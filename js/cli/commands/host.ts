/**
 * Copying between the host and the store: `put host-path [store-path]` and
 * `get store-path [host-path]`, for files and whole trees (symlinks copied as links, never
 * followed), with a progress bar for large copies on a terminal.
 *
 * `put` replaces files that exist in the store, as `cp` does. `get` never replaces anything on
 * the host unless `-f` is given, and then only files and links (removed first, so nothing is
 * ever written through a host symlink); existing host directories are merged into.
 *
 * @internal
 * @module
 */

import { createReadStream, createWriteStream } from 'node:fs'
import { lstat, mkdir, readFile, stat, symlink, unlink, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'

import type { Command, Context } from '../command'
import { printable } from '../format'
import { baseName, child, hostPath } from '../paths'
import { Progress } from '../progress'
import { ensureStoreDir, isStoreDir, scanHost, scanStore, totals } from '../walk'

/** Files larger than this are streamed rather than read whole. */
const STREAM_FROM = 1024 * 1024

/** A pass-through stage of a pipeline that counts bytes into `progress`. */
function counting(progress: Progress): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* (source) {
    for await (const chunk of source) {
      progress.bytes(chunk.length)
      yield chunk
    }
  }
}

/** Whether the host path is a directory (following symlinks, as `cp` does for its destination). */
async function hostDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

const put: Command = {
  name: 'put',
  usage: 'put host-path [store-path]',
  summary: 'copy a host file or tree into the store (default: into the working directory)',
  min: 1,
  max: 2,
  operands: ['host', 'store'],
  async run(ctx, { operands }) {
    const source = hostPath(operands[0] ?? '')
    let dest = ctx.path(operands[1] ?? '.')
    if (await isStoreDir(ctx.fs, dest)) dest = child(dest, basename(source))
    const { nodes, skipped } = await scanHost(source, ctx.signal)
    const progress = new Progress(ctx.io, 'put', totals(nodes))
    try {
      for (const n of nodes) {
        ctx.signal.throwIfAborted()
        const target = n.rel === '' ? dest : child(dest, n.rel)
        if (n.type === 'directory') {
          await ensureStoreDir(ctx.fs, target)
          continue
        }
        if (n.type === 'symlink') await ctx.fs.symlink(n.target ?? '', target)
        else if (n.size < STREAM_FROM) {
          const data = await readFile(n.path)
          await ctx.fs.write(target, data)
          progress.bytes(data.length)
        } else {
          await pipeline(createReadStream(n.path), counting(progress), await ctx.fs.openWrite(target), { signal: ctx.signal })
        }
        progress.file()
      }
    } finally {
      progress.done()
    }
    for (const s of skipped) ctx.io.err(`put: skipped '${printable(s.path)}': not a file, directory or symlink\n`)
  },
}

/** Makes room for a new host node at `path` under `-f`: removes a file or link there (never a directory). */
async function clear(path: string, force: boolean): Promise<void> {
  if (!force) return
  try {
    const s = await lstat(path)
    if (!s.isDirectory()) await unlink(path)
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err
  }
}

const get: Command = {
  name: 'get',
  usage: 'get [-f] store-path [host-path]',
  summary: 'copy a store file or tree to the host (default: into the current host directory; -f: replace host files)',
  flags: 'f',
  min: 1,
  max: 2,
  operands: ['store', 'host'],
  async run(ctx, { flags, operands }) {
    const force = flags.has('f')
    const source = ctx.path(operands[0] ?? '')
    let dest = hostPath(operands[1] ?? '.')
    const name = baseName(source)
    if (name !== '' && (await hostDir(dest))) dest = join(dest, name)
    const nodes = await scanStore(ctx.fs, source, ctx.signal)
    const progress = new Progress(ctx.io, 'get', totals(nodes))
    try {
      for (const n of nodes) {
        ctx.signal.throwIfAborted()
        const target = n.rel === '' ? dest : join(dest, ...n.rel.split('/'))
        if (n.type === 'directory') {
          try {
            await mkdir(target)
          } catch (err) {
            // Merge into an existing directory, but never into a symlink to one.
            if (!((err as { code?: unknown }).code === 'EEXIST' && (await lstat(target)).isDirectory())) throw err
          }
          continue
        }
        await clear(target, force)
        if (n.type === 'symlink') await symlink(n.target ?? '', target)
        else if (n.size < STREAM_FROM) {
          const data = await ctx.fs.read(n.path)
          await writeFile(target, data, { flag: 'wx' })
          progress.bytes(data.length)
        } else {
          await pipeline(await ctx.fs.openRead(n.path), counting(progress), createWriteStream(target, { flags: 'wx' }), {
            signal: ctx.signal,
          })
        }
        progress.file()
      }
    } finally {
      progress.done()
    }
  },
}

/** The host copy commands. */
export const hostCommands: readonly Command[] = [put, get]
