/**
 * The `anyfs` command line.
 *
 * @internal
 * @module
 */

import { parseArgs } from 'node:util'

import { BACKEND_TYPES, type BackendSpec } from './config'

/** What the command line asks for. */
export interface CliOptions {
  /** `--help`. */
  readonly help: boolean
  /** `--version`. */
  readonly version: boolean
  /** `--backend` with its `--db`/`--root`: replaces the configuration's backend. */
  readonly backend?: BackendSpec
  /** `--config PATH`. */
  readonly config?: string
  /** `-c COMMANDS`: run them and exit. */
  readonly command?: string
  /** A host file of commands to run instead of reading standard input. */
  readonly script?: string
  /** `-e`: stop at the first failing command. */
  readonly errexit: boolean
  /** `-v`: show each line after a prompt before running it (scripts and -c). */
  readonly verbose: boolean
}

/** A command line that cannot be used (exit status 2). */
export class CliError extends Error {
  override readonly name = 'CliError'
}

/** `anyfs --help`. */
export const USAGE = `Usage: anyfs [options] [script]

An interactive shell over an anyfs store: a backend and a stack of middleware.
With a terminal on standard input it prompts; otherwise it runs the lines it reads,
or those of the script file, without a prompt.

Options:
  --backend TYPE   mem (default: in memory), sqlite, stdfs or vrootfs
  --db PATH        the SQLite database file (--backend sqlite; created if missing)
  --root PATH      the host directory served (--backend stdfs or vrootfs)
  --config PATH    a TOML file describing the backend and middleware layers
                   (--backend, if given too, replaces its backend)
  -c COMMANDS      run COMMANDS (';'-separated) and exit
  script           a file of commands, one or more a line ('#' starts a comment)
  -e               stop at the first command that fails (scripts and -c)
  -v               show each line after the prompt before running it, as if typed
  -h, --help       show this help
  -V, --version    show the version

Exit status: 0 when every command succeeded, else the status of the last one that failed
(1 failed, 2 usage error, 127 unknown command, 130 interrupted); 'exit N' exits with N.
Type 'help' in the shell for its commands.
`

/** Parses `argv` (without the node and script paths). */
export function parseCli(argv: readonly string[]): CliOptions {
  let values
  let positionals
  try {
    ;({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        backend: { type: 'string' },
        db: { type: 'string' },
        root: { type: 'string' },
        config: { type: 'string' },
        command: { type: 'string', short: 'c' },
        errexit: { type: 'boolean', short: 'e' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    }))
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err))
  }
  const { backend, db, root, config, command } = values
  const options: { -readonly [K in keyof CliOptions]: CliOptions[K] } = {
    help: values.help === true,
    version: values.version === true,
    errexit: values.errexit === true,
    verbose: values.verbose === true,
  }
  if (config !== undefined) options.config = config
  if (command !== undefined) options.command = command
  if (positionals.length > 1) throw new CliError(`one script file at most (got ${positionals.length} arguments)`)
  const script = positionals[0]
  if (script !== undefined) {
    if (command !== undefined) throw new CliError('give either -c COMMANDS or a script file, not both')
    options.script = script
  }
  if (backend === undefined) {
    if (db !== undefined) throw new CliError('--db applies only to --backend sqlite')
    if (root !== undefined) throw new CliError('--root applies only to --backend stdfs or --backend vrootfs')
    return options
  }
  const type = backend === 'memory' ? 'mem' : backend
  if (!(BACKEND_TYPES as readonly string[]).includes(type)) {
    throw new CliError(`--backend must be one of ${BACKEND_TYPES.join(', ')} (got '${backend}')`)
  }
  if (db !== undefined && type !== 'sqlite') throw new CliError(`--db applies only to --backend sqlite, not ${type}`)
  if (root !== undefined && type !== 'stdfs' && type !== 'vrootfs') {
    throw new CliError(`--root applies only to --backend stdfs or --backend vrootfs, not ${type}`)
  }
  if (type === 'sqlite') {
    if (db === undefined || db === '') throw new CliError('--backend sqlite needs --db PATH (the database file)')
    options.backend = { type, path: db, options: {} }
  } else if (type === 'stdfs' || type === 'vrootfs') {
    if (root === undefined || root === '') throw new CliError(`--backend ${type} needs --root PATH (an existing host directory)`)
    options.backend = { type, root }
  } else options.backend = { type: 'mem' }
  return options
}
