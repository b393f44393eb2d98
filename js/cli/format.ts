/**
 * How the shell shows things: names safe for a terminal, sizes, modes, times, and errors as
 * node words them (`ENOENT: no such file or directory, cat '/x'`).
 *
 * @internal
 * @module
 */

import { FsError, type FsErrorKind } from '../errors'
import type { FileType } from '../types'

/** Control characters (C0, DEL, C1): a name holding one could drive the terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/** `text` with control characters written as escapes (`\n`, `\x1b`), so output stays inert. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\t') return '\\t'
    if (c === '\r') return '\\r'
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']

/** `bytes` for people: `512 B`, `1.5 KiB`, `64.0 MiB`. */
export function humanSize(bytes: number): string {
  let value = bytes
  let unit = 0
  // 1023.96 KiB would print as "1024.0 KiB": move up a unit before rounding does.
  while (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit] ?? ''}`
}

const TYPE_CHAR: Readonly<Record<FileType, string>> = { file: '-', directory: 'd', symlink: 'l' }

/** `ls -l`'s mode column: `drwxr-xr-x`, with setuid/setgid/sticky bits. */
export function modeString(type: FileType, mode: number): string {
  const bit = (mask: number, c: string): string => ((mode & mask) !== 0 ? c : '-')
  const special = (exec: number, flag: number, on: string): string => {
    const x = (mode & exec) !== 0
    if ((mode & flag) === 0) return x ? 'x' : '-'
    return x ? on : on.toUpperCase()
  }
  return (
    TYPE_CHAR[type] +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(0o100, 0o4000, 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(0o010, 0o2000, 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(0o001, 0o1000, 't')
  )
}

/** A time as ISO 8601 in UTC to the second (`2025-02-01T12:34:56Z`); `-` when not recorded. */
export function isoTime(date: Date | null): string {
  if (date === null) return '-'
  return `${date.toISOString().slice(0, 19)}Z`
}

/** `ls -l`'s time column, local time: `2025-02-01 12:34`; `-` when not recorded. */
export function shortTime(date: Date | null): string {
  if (date === null) return '-'
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
}

/** Kinds whose engine detail says something the code does not (limits, reasons). */
const EXPLAINED: ReadonlySet<FsErrorKind> = new Set<FsErrorKind>([
  'AccessDenied',
  'QuotaExceeded',
  'FileSizeExceeded',
  'RateLimitExceeded',
  'FeatureNotEnabled',
  'Backend',
])

/** A host (node:fs) error: `code`, `syscall`, maybe `path`/`dest`. */
interface SystemError extends Error {
  code: string
  syscall: string
  path?: string
  dest?: string
}

function isSystemError(err: unknown): err is SystemError {
  if (!(err instanceof Error)) return false
  const e = err as Partial<SystemError>
  return typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string'
}

/**
 * `err` as one line, in node's words with the shell command in place of the operation:
 * `ENOENT: no such file or directory, cat '/x'`. Policy errors (quota, path filter, rate
 * limit) add the engine's reason in parentheses. Other errors give their message.
 */
export function describeError(err: unknown, command: string): string {
  if (err instanceof FsError) {
    const init = { code: err.code, kind: err.kind, errno: err.errno, syscall: command }
    const message = new FsError({ ...init, ...where(err.path, err.dest) }).message
    const reason = EXPLAINED.has(err.kind) && err.detail !== err.message ? ` (${err.detail})` : ''
    return printable(message + reason)
  }
  if (isSystemError(err)) {
    const rebuilt = new FsError({ code: err.code, syscall: command, ...where(err.path, err.dest) })
    // Codes the engine's table lacks keep node's own wording.
    return printable(rebuilt.message.startsWith(`${err.code}: unknown error`) ? err.message : rebuilt.message)
  }
  if (err instanceof Error) return printable(err.message)
  return printable(String(err))
}

function where(path: string | undefined, dest: string | undefined): { path?: string; dest?: string } {
  const out: { path?: string; dest?: string } = {}
  if (path !== undefined) out.path = path
  if (dest !== undefined) out.dest = dest
  return out
}
