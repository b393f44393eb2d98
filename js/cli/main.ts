#!/usr/bin/env node
/**
 * The `anyfs` command: an interactive shell over any backend and middleware stack (see the
 * README's "The anyfs shell" and `anyfs --help`).
 *
 * @internal
 * @module
 */

import { open, type FileHandle } from 'node:fs/promises'

import type { TraceEvent } from '../middleware/tracing'
import { CliError, USAGE, parseCli, type CliOptions } from './args'
import { ConfigError, loadConfig, type StackSpec } from './config'
import { describeError, printable } from './format'
import { ProcessIo, drained } from './io'
import { openStack, type OpenedStack } from './open'
import { quote } from './quote'
import { runInteractive, runScript } from './repl'
import { Shell } from './shell'

/** Prints each trace event of a `tracing` layer on standard error. */
function tracePrinter(io: ProcessIo): (event: TraceEvent) => void {
  return (e) => {
    let text = `trace: ${e.operation}`
    if (e.path !== undefined) text += ` ${quote(e.path)}`
    if (e.dest !== undefined) text += ` -> ${quote(e.dest)}`
    text += ` ${e.ok ? 'ok' : (e.code ?? 'failed')} ${e.durationMs.toFixed(3)} ms`
    io.err(`${printable(text)}\n`)
  }
}

function version(): string {
  const pkg: unknown = require('../../package.json')
  const v = (pkg as { version?: unknown }).version
  return typeof v === 'string' ? v : 'unknown'
}

/** The stack the options describe, or an exit status after saying why not. */
async function stackSpec(options: CliOptions, io: ProcessIo): Promise<StackSpec | number> {
  let spec: StackSpec = { backend: { type: 'mem' }, layers: [] }
  if (options.config !== undefined) {
    try {
      spec = await loadConfig(options.config)
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      io.err(`anyfs: ${err.message.split('\n').map(printable).join('\n')}\n`)
      return 2
    }
  }
  return options.backend === undefined ? spec : { ...spec, backend: options.backend }
}

/** Runs the command line `argv`; resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const io = new ProcessIo()
  let options: CliOptions
  try {
    options = parseCli(argv)
  } catch (err) {
    if (!(err instanceof CliError)) throw err
    io.err(`anyfs: ${err.message}\nTry 'anyfs --help'.\n`)
    return 2
  }
  if (options.help) {
    io.out(USAGE)
    return 0
  }
  if (options.version) {
    io.out(`anyfs ${version()}\n`)
    return 0
  }
  const spec = await stackSpec(options, io)
  if (typeof spec === 'number') return spec
  let stack: OpenedStack
  try {
    stack = openStack(spec, tracePrinter(io))
  } catch (err) {
    io.err(`anyfs: cannot open the ${spec.backend.type} backend: ${describeError(err, 'open')}\n`)
    return 1
  }
  const interactive = options.command === undefined && options.script === undefined && process.stdin.isTTY === true
  const shell = new Shell({ stack, io, interactive, errexit: options.errexit, verbose: options.verbose && !interactive })
  if (spec.cwd !== undefined) {
    try {
      await stack.storage.createDirAll(spec.cwd)
      shell.cwd = await stack.storage.canonicalize(spec.cwd)
    } catch (err) {
      io.err(`anyfs: cannot start in [shell] cwd: ${describeError(err, 'cd')}\n`)
      return 1
    }
  }
  // A reader that went away (`anyfs -c 'tree /' | head`) ends the shell quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    process.exit(err.code === 'EPIPE' ? shell.status : 1)
  })
  if (options.command !== undefined) await shell.runLine(options.command)
  else if (options.script !== undefined) {
    let file: FileHandle
    try {
      file = await open(options.script)
    } catch (err) {
      io.err(`anyfs: cannot read the script: ${describeError(err, 'open')}\n`)
      return 1
    }
    try {
      await runScript(shell, file.createReadStream())
    } finally {
      await file.close()
    }
  } else if (interactive) await runInteractive(shell, io)
  else await runScript(shell, process.stdin)
  await shell.close()
  return shell.status
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    async (status) => {
      await drained(process.stdout)
      await drained(process.stderr)
      process.exit(status)
    },
    (err: unknown) => {
      process.stderr.write(`anyfs: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exit(70)
    },
  )
}
