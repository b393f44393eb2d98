/**
 * Every shell command, by name, and the shell's own: `help`, `echo`, `exit`.
 *
 * @internal
 * @module
 */

import { UsageError, type Command } from '../command'
import { printable } from '../format'
import { fileCommands } from './files'
import { hostCommands } from './host'
import { infoCommands } from './info'
import { mountCommands } from './mount'
import { navCommands } from './nav'

const help: Command = {
  name: 'help',
  usage: 'help [command]',
  summary: 'list the commands, or show how to use one',
  max: 1,
  operands: ['command'],
  async run(ctx, { operands }) {
    const name = operands[0]
    if (name !== undefined) {
      const command = findCommand(name)
      if (command === undefined) throw new UsageError(`no such command: ${printable(name)}`)
      const aliases = command.aliases === undefined ? '' : ` (also: ${command.aliases.join(', ')})`
      ctx.io.out(`usage: ${command.usage}${aliases}\n${command.summary}\n`)
      return
    }
    const width = Math.max(...COMMANDS.map((c) => c.usage.length)) + 2
    const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}${c.summary}\n`)
    ctx.io.out(
      'Paths are store paths, relative to the working directory. Quote names with spaces:\n' +
        "'my file', \"my file\" or my\\ file. Separate commands with ';'. Tab completes.\n\n" +
        lines.join(''),
    )
  },
}

const echo: Command = {
  name: 'echo',
  usage: 'echo [text ...]',
  summary: 'print the words, joined by spaces',
  operands: ['none'],
  async run(ctx, { operands }) {
    ctx.io.out(`${printable(operands.join(' '))}\n`)
  },
}

const exit: Command = {
  name: 'exit',
  aliases: ['quit'],
  usage: 'exit [status]',
  summary: 'leave the shell (status: 0-255; default: 1 if a command failed, else 0)',
  max: 1,
  operands: ['none'],
  async run(ctx, { operands }) {
    const text = operands[0]
    if (text === undefined) return ctx.shell.exit()
    if (!/^\d{1,3}$/.test(text) || Number(text) > 255) throw new UsageError(`status must be a number from 0 to 255, got '${printable(text)}'`)
    ctx.shell.exit(Number(text))
  },
}

/** Every command, in the order `help` lists them. */
export const COMMANDS: readonly Command[] = [
  ...navCommands,
  ...fileCommands,
  ...infoCommands,
  ...hostCommands,
  ...mountCommands,
  echo,
  help,
  exit,
]

const BY_NAME: ReadonlyMap<string, Command> = new Map(
  COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n) => [n, c] as const)),
)

/** The command `name` runs, if any. */
export function findCommand(name: string): Command | undefined {
  return BY_NAME.get(name)
}

/** Every name a command can be run by, sorted (for completion). */
export function commandNames(): string[] {
  return [...BY_NAME.keys()].sort()
}
