/**
 * Command history kept between interactive sessions: the file `$ANYFS_HISTORY`, or
 * `~/.anyfs_history` when that is unset; `ANYFS_HISTORY=` (empty) keeps no file. Read at
 * start, written (owner-only) when the shell ends. Unreadable or unwritable files are ignored:
 * history is a convenience, never a reason to fail.
 *
 * @internal
 * @module
 */

import { readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Most lines kept. */
export const HISTORY_SIZE = 1000

/** The history file for `env`, or `null` when history is not kept. */
export function historyFile(env: NodeJS.ProcessEnv): string | null {
  const configured = env['ANYFS_HISTORY']
  if (configured !== undefined) return configured === '' ? null : configured
  return join(homedir(), '.anyfs_history')
}

/** The saved lines, newest first (as node:readline's `history` option takes them). */
export function loadHistory(file: string | null): string[] {
  if (file === null) return []
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
    return lines.slice(-HISTORY_SIZE).reverse()
  } catch {
    return []
  }
}

/** Saves `history` (newest first, as node:readline keeps it). */
export function saveHistory(file: string | null, history: readonly string[]): void {
  if (file === null) return
  try {
    const lines = history.slice(0, HISTORY_SIZE).reverse()
    writeFileSync(file, lines.length === 0 ? '' : `${lines.join('\n')}\n`, { mode: 0o600 })
  } catch {
    // Not worth failing the shell over.
  }
}
