/**
 * The shell: runs lines of commands against the open stack, keeps the working directory and
 * the exit status, and reports every failure on standard error without ever ending itself.
 *
 * Statuses: 0 success, 1 an operation failed, 2 a usage error, 127 an unknown command, 130
 * interrupted (Ctrl-C). The shell's own status, what it exits with, is the status of the last
 * command that failed (0 when none did) unless `exit N` says otherwise.
 *
 * @internal
 * @module
 */

import { FsError } from '../errors'
import { UsageError, parseArgs, type Context, type Io, type Mounted, type ShellState } from './command'
import { findCommand } from './commands'
import { describeError, printable } from './format'
import type { OpenedStack } from './open'
import { absolute } from './paths'
import { QuoteError, splitLine } from './quote'

/** How a {@link Shell} runs. */
export interface ShellOptions {
  /** The open stack. */
  readonly stack: OpenedStack
  /** Where output goes. */
  readonly io: Io
  /** Whether a person is typing. */
  readonly interactive: boolean
  /** Stop at the first failing command (`-e`). */
  readonly errexit: boolean
  /** Show each line after the prompt before running it (`-v`). */
  readonly verbose?: boolean
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError'
}

/** A shell over one open stack. */
export class Shell implements ShellState {
  cwd = '/'
  readonly mounts = new Map<string, Mounted>()
  readonly stack: OpenedStack
  readonly interactive: boolean
  readonly #io: Io
  readonly #errexit: boolean
  readonly #verbose: boolean
  /** The status of the last command that failed; 0 while none has. */
  #status = 0
  #exit: number | null = null
  #running: AbortController | null = null

  constructor(options: ShellOptions) {
    this.stack = options.stack
    this.interactive = options.interactive
    this.#io = options.io
    this.#errexit = options.errexit
    this.#verbose = options.verbose === true
  }

  /** The prompt: `anyfs:/path > `. */
  prompt(): string {
    return `anyfs:${printable(this.cwd)} > `
  }

  /** Whether `exit` ran (or `-e` stopped the shell). */
  get exited(): boolean {
    return this.#exit !== null
  }

  /** What the shell exits with. */
  get status(): number {
    return this.#exit ?? this.#status
  }

  exit(status?: number): void {
    this.#exit = status ?? this.#status
  }

  /** Interrupts the running command (Ctrl-C); false when none runs. */
  interrupt(): boolean {
    if (this.#running === null) return false
    this.#running.abort()
    return true
  }

  /** Runs a line: its commands in order, `;`-separated. Returns the status of the last one. */
  async runLine(line: string): Promise<number> {
    let commands: string[][]
    try {
      commands = splitLine(line)
    } catch (err) {
      if (!(err instanceof QuoteError)) throw err
      this.#io.err(`anyfs: ${err.message}\n`)
      return this.#done(2)
    }
    if (this.#verbose && commands.length > 0) this.#io.out(`${this.prompt()}${printable(line.trim())}\n`)
    let last = 0
    for (const words of commands) {
      if (this.exited) break
      last = await this.runCommand(words)
      if (last !== 0 && this.#errexit && !this.interactive) {
        this.exit(last)
        break
      }
    }
    return last
  }

  /** Runs one command given as words; never throws. */
  async runCommand(words: readonly string[]): Promise<number> {
    const [name = '', ...rest] = words
    const command = findCommand(name)
    if (command === undefined) {
      this.#io.err(`${printable(name)}: command not found (type help for the list)\n`)
      return this.#done(127)
    }
    const io = this.#io
    let failed = false
    const controller = new AbortController()
    const ctx: Context = {
      shell: this,
      fs: this.stack.storage,
      io,
      name,
      signal: controller.signal,
      path: (arg) => {
        if (arg === '') throw new FsError({ code: 'ENOENT', kind: 'NotFound', syscall: name, path: '' })
        return absolute(this.cwd, arg)
      },
      fail: (err) => {
        failed = true
        // Trace events of what failed come before the failure's report.
        this.stack.flush()
        io.err(`${name}: ${isAbort(err) ? 'interrupted' : describeError(err, name)}\n`)
      },
      each: async (items, fn) => {
        for (const item of items) {
          try {
            await fn(item)
          } catch (err) {
            // Ctrl-C ends the whole command, not just this item.
            if (isAbort(err)) throw err
            ctx.fail(err)
          }
        }
      },
    }
    this.#running = controller
    let status: number
    try {
      await command.run(ctx, parseArgs(command, rest))
      status = failed ? 1 : 0
    } catch (err) {
      this.stack.flush()
      if (err instanceof UsageError) {
        io.err(`${name}: ${err.message}\nusage: ${command.usage}\n`)
        status = 2
      } else if (isAbort(err)) {
        io.err(`${name}: interrupted\n`)
        status = 130
      } else {
        io.err(`${name}: ${describeError(err, name)}\n`)
        status = 1
      }
    } finally {
      this.#running = null
      this.stack.flush()
    }
    return this.#done(status)
  }

  #done(status: number): number {
    if (status !== 0) this.#status = status
    return status
  }

  /** Unmounts what `mount` mounted; reports failures. */
  async close(): Promise<void> {
    for (const [point, handle] of this.mounts) {
      try {
        await handle.unmount()
      } catch (err) {
        this.#io.err(`unmount: ${describeError(err, 'unmount')} (${printable(point)})\n`)
      }
    }
    this.mounts.clear()
    this.stack.flush()
  }
}
