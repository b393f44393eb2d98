/**
 * The two ways the shell reads commands: interactively (a terminal on standard input: prompt,
 * line editing, tab completion, history, Ctrl-C and Ctrl-D) and as a script (anything else:
 * every line run in order, no prompt).
 *
 * The prompt and line editing are written to standard error, as bash does, so standard
 * output carries only what commands print.
 *
 * @internal
 * @module
 */

import { createInterface } from 'node:readline'

import { completer } from './complete'
import { HISTORY_SIZE, historyFile, loadHistory, saveHistory } from './history'
import type { ProcessIo } from './io'
import type { Shell } from './shell'

/** Runs every line of `input` (standard input or a script file), in order, until it ends or `exit` runs. */
export async function runScript(shell: Shell, input: NodeJS.ReadableStream): Promise<void> {
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY })
  try {
    for await (const line of rl) {
      await shell.runLine(line)
      if (shell.exited) break
    }
  } finally {
    rl.close()
  }
}

/** Reads commands from the terminal until `exit` or Ctrl-D. */
export function runInteractive(shell: Shell, io: ProcessIo): Promise<void> {
  const file = historyFile(process.env)
  let history: string[] = loadHistory(file)
  const rl = createInterface({
    input: process.stdin,
    output: process.stderr,
    terminal: true,
    completer: completer(shell),
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  })
  rl.on('history', (lines: string[]) => {
    history = lines
  })

  let closed = false
  const prompt = (): void => {
    if (closed) return
    // Output that did not end its line would be overwritten by the prompt.
    if (io.outIsTTY && !io.atLineStart) io.out('\n')
    rl.setPrompt(shell.prompt())
    rl.prompt()
  }

  return new Promise((resolve) => {
    let queue: Promise<void> = Promise.resolve()
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        if (shell.exited) return
        await shell.runLine(line)
        if (shell.exited) rl.close()
        else prompt()
      })
    })
    rl.on('SIGINT', () => {
      if (shell.interrupt()) return
      // At the prompt: drop the line being typed, as a shell does.
      rl.write(null, { ctrl: true, name: 'e' })
      rl.write(null, { ctrl: true, name: 'u' })
      io.err('^C\n')
      prompt()
    })
    rl.on('close', () => {
      closed = true
      if (!shell.exited) io.err('\n')
      void queue.then(() => {
        saveHistory(file, history)
        resolve()
      })
    })
    prompt()
  })
}
