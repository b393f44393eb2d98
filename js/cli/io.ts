/**
 * The shell's {@link Io} over the process's standard streams.
 *
 * @internal
 * @module
 */

import type { Io } from './command'

/** {@link Io} on `process.stdout`/`process.stderr`, remembering whether output ended a line. */
export class ProcessIo implements Io {
  /** Whether the last thing written to standard output ended with a newline. */
  atLineStart = true

  out(text: string): void {
    if (text === '') return
    process.stdout.write(text)
    this.atLineStart = text.endsWith('\n')
  }

  outBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    process.stdout.write(bytes)
    this.atLineStart = bytes[bytes.length - 1] === 0x0a
  }

  err(text: string): void {
    if (text !== '') process.stderr.write(text)
  }

  get outIsTTY(): boolean {
    return process.stdout.isTTY === true
  }

  get errIsTTY(): boolean {
    return process.stderr.isTTY === true
  }

  get columns(): number {
    return process.stdout.columns || 80
  }
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
export function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve())
  })
}
