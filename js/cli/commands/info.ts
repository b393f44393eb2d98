/**
 * Facts about the store: `stat`, `df`, `stack`.
 *
 * @internal
 * @module
 */

import type { FileType } from '../../types'
import { perPath, type Command } from '../command'
import { humanSize, isoTime, printable } from '../format'
import { quote } from '../quote'

const TYPE_NAME: Readonly<Record<FileType, string>> = { file: 'file', directory: 'dir', symlink: 'symlink' }

const stat: Command = {
  name: 'stat',
  usage: 'stat path ...',
  summary: 'show metadata: type, size, mode, inode, links, owner, times (symlinks are not followed)',
  min: 1,
  run: perPath(async (ctx, path, { operands }, operand) => {
    const m = await ctx.fs.symlinkMetadata(path)
    const fields = [
      `type=${TYPE_NAME[m.fileType]}`,
      `size=${m.size}`,
      `mode=${m.permissions.mode.toString(8).padStart(4, '0')}`,
      `inode=${m.inode}`,
      `links=${m.nlink}`,
      `uid=${m.uid}`,
      `gid=${m.gid}`,
      `modified=${isoTime(m.modified)}`,
      `accessed=${isoTime(m.accessed)}`,
      `changed=${isoTime(m.changed)}`,
      `created=${isoTime(m.created)}`,
    ]
    if (m.isSymbolicLink()) fields.splice(1, 0, `target=${quote(await ctx.fs.readLink(path))}`)
    const prefix = operands.length > 1 ? `${quote(operand)}: ` : ''
    ctx.io.out(`${printable(prefix + fields.join(' '))}\n`)
  }),
}

const df: Command = {
  name: 'df',
  usage: 'df',
  summary: 'show space and inodes used and available (statfs; quotas and capacities included)',
  max: 0,
  async run(ctx) {
    const s = await ctx.fs.statfs()
    const pct = s.totalBytes > 0 ? ` (${((100 * s.usedBytes) / s.totalBytes).toFixed(1)}%)` : ''
    const rows: [string, string][] = [
      ['size', `${humanSize(s.totalBytes)} (${s.totalBytes} bytes)`],
      ['used', `${humanSize(s.usedBytes)} (${s.usedBytes} bytes)${pct}`],
      ['available', `${humanSize(s.availableBytes)} (${s.availableBytes} bytes)`],
      ['inodes', `${s.usedInodes} used, ${s.availableInodes} available, ${s.totalInodes} total`],
      ['block size', `${s.blockSize} bytes`],
      ['max name', `${s.maxNameLength} bytes`],
    ]
    ctx.io.out(rows.map(([k, v]) => `${k.padEnd(11)}${v}\n`).join(''))
  },
}

const stack: Command = {
  name: 'stack',
  usage: 'stack [-v]',
  summary: 'show the middleware stack, outermost first, with each layer\'s state (-v: recorded changes too)',
  flags: 'v',
  max: 0,
  async run(ctx, { flags }) {
    const layers = ctx.shell.stack.layers
    const width = Math.max(11, ...layers.map((l) => l.name.length)) + 2
    let out = `${'FileStorage'.padEnd(width)}symlink-aware path resolution (every command goes through it)\n`
    for (const layer of layers) {
      out += `${layer.name.padEnd(width)}${printable(await layer.describe())}\n`
      if (flags.has('v')) for (const line of await layer.details()) out += `${' '.repeat(width + 2)}${printable(line)}\n`
    }
    ctx.io.out(out)
  },
}

/** The information commands. */
export const infoCommands: readonly Command[] = [stat, df, stack]
