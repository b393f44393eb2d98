/**
 * Looking around: `ls`, `cd`, `pwd`, `tree`.
 *
 * @internal
 * @module
 */

import { FsError } from '../../errors'
import type { Metadata } from '../../types'
import type { Command, Context } from '../command'
import { modeString, printable, shortTime } from '../format'
import { child } from '../paths'
import { quote } from '../quote'
import { byName } from '../walk'

/** The metadata of `path` following a final symlink, or of the link itself when it dangles. */
async function statOrLink(ctx: Context, path: string): Promise<Metadata> {
  try {
    return await ctx.fs.metadata(path)
  } catch (err) {
    if (err instanceof FsError && err.code === 'ENOENT') return ctx.fs.symlinkMetadata(path)
    throw err
  }
}

interface LongRow {
  readonly cells: readonly string[]
  readonly name: string
}

/** One `ls -l` row for `path`, shown as `name`. */
async function longRow(ctx: Context, path: string, name: string): Promise<LongRow> {
  const m = await ctx.fs.symlinkMetadata(path)
  let shown = printable(name)
  if (m.isSymbolicLink()) shown += ` -> ${printable(await ctx.fs.readLink(path))}`
  const cells = [modeString(m.fileType, m.permissions.mode), String(m.nlink), String(m.uid), String(m.gid), String(m.size), shortTime(m.modified)]
  return { cells, name: shown }
}

/** Rows with their columns padded (text left, numbers right). */
function formatRows(rows: readonly LongRow[]): string {
  const widths = [0, 0, 0, 0, 0, 0]
  for (const r of rows) r.cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  return rows
    .map((r) => {
      const cells = r.cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      return `${cells.join(' ')} ${r.name}\n`
    })
    .join('')
}

/** Names for a terminal: in columns, quoted when they hold spaces or quotes. */
function columns(names: readonly string[], width: number): string {
  const shown = names.map((n) => printable(quote(n)))
  const cell = Math.max(...shown.map((s) => s.length)) + 2
  const perRow = Math.max(1, Math.floor((width + 2) / cell))
  const rows = Math.ceil(shown.length / perRow)
  let out = ''
  for (let r = 0; r < rows; r++) {
    const line: string[] = []
    for (let c = 0; c < perRow; c++) {
      const s = shown[c * rows + r]
      if (s !== undefined) line.push(s.padEnd(cell))
    }
    out += `${line.join('').trimEnd()}\n`
  }
  return out
}

/** Names as a listing prints them: columns on a terminal, one a line otherwise. */
function names(ctx: Context, list: readonly string[]): string {
  if (list.length === 0) return ''
  if (ctx.io.outIsTTY) return columns(list, ctx.io.columns)
  return list.map((n) => `${printable(n)}\n`).join('')
}

async function listDir(ctx: Context, path: string, long: boolean): Promise<string> {
  const entries = (await ctx.fs.readDir(path)).sort(byName)
  if (!long) return names(ctx, entries.map((e) => e.name))
  const rows: LongRow[] = []
  for (const e of entries) rows.push(await longRow(ctx, child(path, e.name), e.name))
  return formatRows(rows)
}

const ls: Command = {
  name: 'ls',
  usage: 'ls [-l] [-a] [path ...]',
  summary: 'list directory entries (-l: long listing with mode, links, owner, size, time)',
  flags: 'la',
  async run(ctx, { flags, operands }) {
    const long = flags.has('l')
    const targets = operands.length === 0 ? ['.'] : operands
    const files: { operand: string; path: string }[] = []
    const dirs: { operand: string; path: string }[] = []
    await ctx.each(targets, async (operand) => {
      const path = ctx.path(operand)
      const m = await statOrLink(ctx, path)
      ;(m.isDirectory() ? dirs : files).push({ operand, path })
    })
    let out = ''
    if (files.length > 0) {
      if (long) {
        const rows: LongRow[] = []
        await ctx.each(files, async (f) => {
          rows.push(await longRow(ctx, f.path, f.operand))
        })
        out += formatRows(rows)
      } else out += names(ctx, files.map((f) => f.operand))
    }
    const headers = targets.length > 1
    await ctx.each(dirs, async (d) => {
      const body = await listDir(ctx, d.path, long)
      if (headers) out += `${out === '' ? '' : '\n'}${printable(d.operand)}:\n`
      out += body
    })
    ctx.io.out(out)
  },
}

const cd: Command = {
  name: 'cd',
  usage: 'cd [path]',
  summary: 'change the working directory (default /); symlinks are resolved',
  max: 1,
  async run(ctx, { operands }) {
    const path = ctx.path(operands[0] ?? '/')
    const canonical = await ctx.fs.canonicalize(path)
    const m = await ctx.fs.metadata(canonical)
    if (!m.isDirectory()) throw new FsError({ code: 'ENOTDIR', kind: 'NotADirectory', syscall: 'cd', path })
    ctx.shell.cwd = canonical
  },
}

const pwd: Command = {
  name: 'pwd',
  usage: 'pwd',
  summary: 'print the working directory',
  max: 0,
  async run(ctx) {
    ctx.io.out(`${printable(ctx.shell.cwd)}\n`)
  },
}

const tree: Command = {
  name: 'tree',
  usage: 'tree [path]',
  summary: 'show a directory tree (symlinks shown, not followed)',
  max: 1,
  async run(ctx, { operands }) {
    const operand = operands[0] ?? '.'
    const root = ctx.path(operand)
    const m = await statOrLink(ctx, root)
    const count = { dirs: 0, files: 0 }
    let out = `${printable(operand)}\n`
    const walk = async (dir: string, prefix: string): Promise<void> => {
      let entries
      try {
        entries = (await ctx.fs.readDir(dir)).sort(byName)
      } catch (err) {
        ctx.fail(err)
        return
      }
      for (const [i, e] of entries.entries()) {
        ctx.signal.throwIfAborted()
        const last = i === entries.length - 1
        const path = child(dir, e.name)
        let line = `${prefix}${last ? '└── ' : '├── '}${printable(e.name)}`
        if (e.isSymbolicLink()) {
          try {
            line += ` -> ${printable(await ctx.fs.readLink(path))}`
          } catch (err) {
            ctx.fail(err)
          }
        }
        out += `${line}\n`
        if (e.isDirectory()) {
          count.dirs += 1
          await walk(path, `${prefix}${last ? '    ' : '│   '}`)
        } else count.files += 1
      }
    }
    if (m.isDirectory()) await walk(root, '')
    out += `\n${count.dirs} director${count.dirs === 1 ? 'y' : 'ies'}, ${count.files} file${count.files === 1 ? '' : 's'}\n`
    ctx.io.out(out)
  },
}

/** The navigation commands. */
export const navCommands: readonly Command[] = [ls, cd, pwd, tree]
