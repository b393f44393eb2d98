/**
 * Tab completion (node:readline's `completer`): command names first, then each operand by its
 * kind — store paths through the storage, host paths for `put`/`get`/`mount` — quoted the way
 * the word being completed is (backslashes, or the open `'`/`"`).
 *
 * @internal
 * @module
 */

import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

import { operandKind, type OperandKind } from './command'
import { commandNames, findCommand } from './commands'
import { absolute, hostPath } from './paths'
import { escapeInQuote, escapeWord, scan } from './quote'
import type { Shell } from './shell'
import { byName } from './walk'

/** A name in a directory, and whether it is (or links to) a directory. */
interface Candidate {
  readonly name: string
  readonly dir: boolean
}

/** The word being completed: its raw text, its value so far, and its open quote. */
interface Fragment {
  readonly raw: string
  readonly value: string
  readonly quote: "'" | '"' | null
}

async function storeCandidates(shell: Shell, dir: string): Promise<Candidate[]> {
  const fs = shell.stack.storage
  const path = dir === '' ? shell.cwd : absolute(shell.cwd, dir)
  const entries = await fs.readDir(path)
  const out: Candidate[] = []
  for (const e of entries) {
    let isDir = e.isDirectory()
    if (e.isSymbolicLink()) isDir = await fs.metadata(absolute(path, e.name)).then((m) => m.isDirectory(), () => false)
    out.push({ name: e.name, dir: isDir })
  }
  return out
}

async function hostCandidates(dir: string): Promise<Candidate[]> {
  const path = hostPath(dir === '' ? '.' : dir)
  const entries = await readdir(path, { withFileTypes: true })
  const out: Candidate[] = []
  for (const e of entries) {
    let isDir = e.isDirectory()
    if (e.isSymbolicLink()) isDir = await stat(join(path, e.name)).then((s) => s.isDirectory(), () => false)
    out.push({ name: e.name, dir: isDir })
  }
  return out
}

/** `value` written back the way `partial` was being written. */
function render(value: string, dir: boolean, partial: Fragment): string {
  if (partial.quote === null) return escapeWord(value)
  return `${partial.quote}${escapeInQuote(value, partial.quote)}${dir ? '' : partial.quote}`
}

async function pathCompletions(shell: Shell, kind: OperandKind, partial: Fragment): Promise<string[]> {
  const slash = partial.value.lastIndexOf('/')
  const dir = partial.value.slice(0, slash + 1)
  const prefix = partial.value.slice(slash + 1)
  const candidates = kind === 'host' ? await hostCandidates(dir) : await storeCandidates(shell, dir)
  return candidates
    .filter((c) => c.name.startsWith(prefix))
    .sort(byName)
    .map((c) => render(`${dir}${c.name}${c.dir ? '/' : ''}`, c.dir, partial))
}

/**
 * The completions of `line` (the text before the cursor) and the part of it they replace.
 * Errors (a directory that cannot be listed) complete nothing.
 */
export async function complete(shell: Shell, line: string): Promise<[string[], string]> {
  const { commands, open, betweenWords } = scan(line)
  const words = commands[commands.length - 1] ?? []
  const last = words[words.length - 1]
  const current: Fragment =
    betweenWords || last === undefined
      ? { raw: '', value: '', quote: null }
      : { raw: line.slice(last.start), value: last.value, quote: open === "'" || open === '"' ? open : null }
  const index = betweenWords ? words.length : words.length - 1
  let options: string[]
  let kind: OperandKind = 'command'
  if (index > 0) {
    const command = findCommand(words[0]?.value ?? '')
    if (command === undefined) return [[], current.raw]
    const operandIndex = words.slice(1, index).filter((w) => !(command.flags !== undefined && w.value.startsWith('-'))).length
    kind = operandKind(command, operandIndex)
  }
  try {
    if (kind === 'none') options = []
    else if (kind === 'command') options = commandNames().filter((n) => n.startsWith(current.value)).map((n) => render(n, false, current))
    else options = await pathCompletions(shell, kind, current)
  } catch {
    options = []
  }
  // A single finished word gets its trailing space, as in bash; directories stay open.
  if (options.length === 1 && !(options[0] ?? '').endsWith('/')) options = [`${options[0] ?? ''} `]
  return [options, current.raw]
}

/** node:readline's callback-style completer over {@link complete}. */
export function completer(shell: Shell): (line: string, callback: (err: Error | null, result: [string[], string]) => void) => void {
  return (line, callback) => {
    complete(shell, line).then(
      (result) => callback(null, result),
      () => callback(null, [[], line]),
    )
  }
}
