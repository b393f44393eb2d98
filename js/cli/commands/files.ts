/**
 * Changing the store: `cat`, `cp`, `mv`, `rm`, `rmdir`, `mkdir`, `touch`, `write`, `append`,
 * `ln`, `chmod`.
 *
 * @internal
 * @module
 */

import { FsError } from '../../errors'
import { UsageError, perPath, type Command, type Context } from '../command'
import { printable } from '../format'
import { baseName, child } from '../paths'
import { ensureStoreDir, isStoreDir, scanStore } from '../walk'

/** UTF-8 that would not drive a terminal: no control characters but tab, newline, CR, FF, VT. */
function textOf(bytes: Uint8Array): { text: string } | { reason: string } {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { reason: 'is not UTF-8 text' }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/.test(text)) return { reason: 'holds terminal control characters' }
  return { text }
}

/**
 * The destination of each source of a `cp`/`mv`-style command: inside the last operand when
 * it is a directory (or when there are several sources, which requires one), else the last
 * operand itself.
 */
async function destinations(ctx: Context, operands: readonly string[]): Promise<{ from: string; to: string }[]> {
  const sources = operands.slice(0, -1).map((s) => ctx.path(s))
  const last = ctx.path(operands[operands.length - 1] ?? '')
  const into = await isStoreDir(ctx.fs, last)
  if (!into && sources.length > 1) throw new FsError({ code: 'ENOTDIR', kind: 'NotADirectory', syscall: ctx.name, path: last })
  return sources.map((from) => ({ from, to: into ? child(last, baseName(from)) : last }))
}

/** Copies the store tree `from` to `to` (which may exist as a directory: merged). */
async function copyTree(ctx: Context, from: string, to: string): Promise<void> {
  for (const n of await scanStore(ctx.fs, from, ctx.signal)) {
    ctx.signal.throwIfAborted()
    const dest = n.rel === '' ? to : child(to, n.rel)
    if (n.type === 'directory') await ensureStoreDir(ctx.fs, dest)
    else if (n.type === 'symlink') await ctx.fs.symlink(n.target ?? '', dest)
    else await ctx.fs.copy(n.path, dest)
  }
}

const cat: Command = {
  name: 'cat',
  usage: 'cat path ...',
  summary: 'print files (to a terminal only UTF-8 text; to a pipe or file, any bytes as they are)',
  min: 1,
  run: perPath(async (ctx, path) => {
    const data = await ctx.fs.read(path)
    if (!ctx.io.outIsTTY) {
      ctx.io.outBytes(data)
      return
    }
    const shown = textOf(data)
    if ('text' in shown) ctx.io.out(shown.text)
    else throw new Error(`'${printable(path)}' ${shown.reason} (${data.length} bytes): not printed to a terminal (redirect the output, or copy it out with get)`)
  }),
}

const cp: Command = {
  name: 'cp',
  usage: 'cp [-r] source ... destination',
  summary: 'copy files (-r: directory trees); into the destination when it is a directory',
  flags: 'r',
  min: 2,
  async run(ctx, { flags, operands }) {
    await ctx.each(await destinations(ctx, operands), async ({ from, to }) => {
      if (await isStoreDir(ctx.fs, from)) {
        if (!flags.has('r')) throw new Error(`-r not given; omitting directory '${printable(from)}'`)
        await copyTree(ctx, from, to)
      } else await ctx.fs.copy(from, to)
    })
  },
}

const mv: Command = {
  name: 'mv',
  usage: 'mv source ... destination',
  summary: 'move or rename; into the destination when it is a directory',
  min: 2,
  async run(ctx, { operands }) {
    await ctx.each(await destinations(ctx, operands), async ({ from, to }) => {
      await ctx.fs.rename(from, to)
    })
  },
}

const rm: Command = {
  name: 'rm',
  usage: 'rm [-r] [-f] path ...',
  summary: 'remove files and links (-r: directory trees, -f: ignore missing paths)',
  flags: 'rf',
  min: 1,
  run: perPath(async (ctx, path, { flags }) => {
    let m
    try {
      m = await ctx.fs.symlinkMetadata(path)
    } catch (err) {
      if (flags.has('f') && err instanceof FsError && err.code === 'ENOENT') return
      throw err
    }
    if (!m.isDirectory()) await ctx.fs.removeFile(path)
    else if (!flags.has('r')) throw new FsError({ code: 'EISDIR', kind: 'NotAFile', syscall: 'rm', path })
    else if ((await ctx.fs.canonicalize(path)) === '/') throw new Error(`refusing to remove the root directory '${printable(path)}'`)
    else await ctx.fs.removeDirAll(path)
  }),
}

const rmdir: Command = {
  name: 'rmdir',
  usage: 'rmdir path ...',
  summary: 'remove empty directories',
  min: 1,
  run: perPath(async (ctx, path) => {
    await ctx.fs.removeDir(path)
  }),
}

const mkdir: Command = {
  name: 'mkdir',
  usage: 'mkdir [-p] path ...',
  summary: 'create directories (-p: with their parents, no error if they exist)',
  flags: 'p',
  min: 1,
  run: perPath(async (ctx, path, { flags }) => {
    await (flags.has('p') ? ctx.fs.createDirAll(path) : ctx.fs.createDir(path))
  }),
}

const touch: Command = {
  name: 'touch',
  usage: 'touch path ...',
  summary: 'create empty files, or set the times of existing ones to now',
  min: 1,
  run: perPath(async (ctx, path) => {
    if (await ctx.fs.exists(path)) {
      const now = new Date()
      await ctx.fs.setTimes(path, now, now)
    } else await ctx.fs.write(path, '')
  }),
}

/** `write` and `append`: the text operands joined by spaces, with a newline. */
function writer(name: 'write' | 'append', summary: string): Command {
  return {
    name,
    usage: `${name} path [text ...]`,
    summary,
    min: 1,
    operands: ['store', 'none'],
    async run(ctx, { operands }) {
      const [target = '', ...words] = operands
      const text = words.length === 0 ? '' : `${words.join(' ')}\n`
      const path = ctx.path(target)
      await (name === 'write' ? ctx.fs.write(path, text) : ctx.fs.append(path, text))
    },
  }
}

const ln: Command = {
  name: 'ln',
  usage: 'ln [-s] target link',
  summary: 'make a hard link (-s: a symbolic link, whose target is stored as written)',
  flags: 's',
  min: 2,
  max: 2,
  async run(ctx, { flags, operands }) {
    const [target = '', link = ''] = operands
    let linkPath = ctx.path(link)
    if (await isStoreDir(ctx.fs, linkPath)) linkPath = child(linkPath, baseName(target))
    if (flags.has('s')) await ctx.fs.symlink(target, linkPath)
    else await ctx.fs.hardLink(ctx.path(target), linkPath)
  },
}

const chmod: Command = {
  name: 'chmod',
  usage: 'chmod mode path ...',
  summary: 'set permission bits (octal mode, such as 644 or 0755)',
  min: 2,
  operands: ['none', 'store'],
  async run(ctx, { operands }) {
    const [modeText = '', ...paths] = operands
    if (!/^[0-7]{1,4}$/.test(modeText)) throw new UsageError(`invalid mode '${printable(modeText)}' (an octal number such as 644)`)
    const mode = Number.parseInt(modeText, 8)
    await ctx.each(paths, async (operand) => {
      await ctx.fs.setPermissions(ctx.path(operand), mode)
    })
  },
}

/** The commands that read and change files. */
export const fileCommands: readonly Command[] = [
  cat,
  cp,
  mv,
  rm,
  rmdir,
  mkdir,
  touch,
  writer('write', 'write the text (words joined by spaces, with a newline) to a file, replacing it'),
  writer('append', 'append the text (words joined by spaces, with a newline) to a file'),
  ln,
  chmod,
]
