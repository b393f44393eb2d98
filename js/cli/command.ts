/**
 * What a shell command is ({@link Command}), what it runs with ({@link Context}), and how its
 * words become flags and operands.
 *
 * Exit statuses: 0 success, 1 an operation failed, 2 a usage error (unknown command or
 * option, wrong number of operands).
 *
 * @internal
 * @module
 */

import type { OpenedStack, Storage } from './open'

/** A command used wrongly (status 2): an unknown option, a missing operand. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** What a command's operand names, for tab completion. */
export type OperandKind = 'store' | 'host' | 'command' | 'none'

/** A command's words, split into flags and operands. */
export interface Args {
  /** The single-letter flags given (`-rf` gives `r` and `f`). */
  readonly flags: ReadonlySet<string>
  /** Everything else, in order. */
  readonly operands: readonly string[]
}

/** Where command output goes. */
export interface Io {
  /** Writes text to standard output. */
  out(text: string): void
  /** Writes bytes to standard output as they are. */
  outBytes(bytes: Uint8Array): void
  /** Writes text to standard error. */
  err(text: string): void
  /** Whether standard output is a terminal. */
  readonly outIsTTY: boolean
  /** Whether standard error is a terminal (progress bars go there). */
  readonly errIsTTY: boolean
  /** The terminal's width (80 when unknown). */
  readonly columns: number
}

/** Something mounted by the `mount` command. */
export interface Mounted {
  /** Unmounts it. */
  unmount(): unknown
}

/** The state commands share for the life of the shell. */
export interface ShellState {
  /** The working directory: an absolute, canonical store path. */
  cwd: string
  /** The open stack. */
  readonly stack: OpenedStack
  /** Mounts made by `mount`, by host mount point. */
  readonly mounts: Map<string, Mounted>
  /** Whether a person is typing (a terminal on standard input). */
  readonly interactive: boolean
  /** Ends the shell after the current command, with `status` (default: the shell's status so far). */
  exit(status?: number): void
}

/** What one run of a command gets. */
export interface Context {
  /** The shell's state. */
  readonly shell: ShellState
  /** The storage every operation goes through. */
  readonly fs: Storage
  /** Output. */
  readonly io: Io
  /** The command's name, as messages show it. */
  readonly name: string
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal
  /** An operand as an absolute store path (relative to the working directory). */
  path(arg: string): string
  /** Reports `err` for this command and marks it failed; the command goes on with its other operands. */
  fail(err: unknown): void
  /** Runs `fn` on each item in turn; a failure is reported ({@link Context.fail}) and the next item runs. */
  each<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void>
}

/** One shell command. */
export interface Command {
  /** The name typed to run it. */
  readonly name: string
  /** Other names that run it. */
  readonly aliases?: readonly string[]
  /** The synopsis: `ls [-l] [path ...]`. */
  readonly usage: string
  /** What it does, in one line. */
  readonly summary: string
  /** The single-letter flags it takes (`'lr'`); words of other commands are all operands. */
  readonly flags?: string
  /** Fewest operands (default 0). */
  readonly min?: number
  /** Most operands (default: no limit). */
  readonly max?: number
  /** What each operand names, for completion; the last repeats (default: store paths). */
  readonly operands?: readonly OperandKind[]
  /** Runs it; a thrown error is reported and makes the status 1 (2 for a {@link UsageError}). */
  run(ctx: Context, args: Args): Promise<void>
}

/** Splits `words` (after the command name) into flags and operands for `command`. */
export function parseArgs(command: Command, words: readonly string[]): Args {
  const flags = new Set<string>()
  const operands: string[] = []
  const known = command.flags
  let options = known !== undefined
  for (const word of words) {
    if (options && word === '--') {
      options = false
    } else if (options && word.startsWith('--')) {
      throw new UsageError(`unknown option '${word}'`)
    } else if (options && known !== undefined && word.length > 1 && word.startsWith('-')) {
      for (const letter of word.slice(1)) {
        if (!known.includes(letter)) throw new UsageError(`unknown option '-${letter}'`)
        flags.add(letter)
      }
    } else {
      operands.push(word)
    }
  }
  const min = command.min ?? 0
  const max = command.max ?? Number.POSITIVE_INFINITY
  if (operands.length < min) throw new UsageError(operands.length === 0 ? 'missing operand' : `needs ${min === max ? min : `at least ${min}`} operands`)
  if (operands.length > max) throw new UsageError(max === 0 ? 'takes no operands' : `takes at most ${max} operand${max === 1 ? '' : 's'}`)
  return { flags, operands }
}

/**
 * A `run` for commands that act on each operand as a store path: `fn` gets the path (and the
 * operand as typed); each failure is reported and the next operand goes on.
 */
export function perPath(fn: (ctx: Context, path: string, args: Args, operand: string) => Promise<void>): Command['run'] {
  return (ctx, args) => ctx.each(args.operands, (operand) => fn(ctx, ctx.path(operand), args, operand))
}

/** The completion kind of operand number `index` of `command`. */
export function operandKind(command: Command, index: number): OperandKind {
  const kinds = command.operands ?? ['store']
  return kinds[Math.min(index, kinds.length - 1)] ?? 'store'
}
