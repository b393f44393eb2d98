/**
 * Store paths as the shell passes them on. A relative argument is joined to the working
 * directory and handed to the storage as written: `.`, `..` and symlinks are resolved by the
 * engine's one path walk (physically, as the kernel does), never lexically here.
 *
 * @internal
 * @module
 */

import { homedir } from 'node:os'
import { posix, resolve as resolveHost } from 'node:path'

/** `arg` made absolute against `cwd` (already absolute: unchanged). */
export function absolute(cwd: string, arg: string): string {
  if (arg.startsWith('/')) return arg
  return cwd === '/' ? `/${arg}` : `${cwd}/${arg}`
}

/** `name` inside the directory `dir`. */
export function child(dir: string, name: string): string {
  const base = dir.replace(/\/+$/, '')
  return `${base}/${name}`
}

/** The last component of `path` (`''` for `/`). */
export function baseName(path: string): string {
  return posix.basename(path)
}

/** A host path: `~` and `~/...` are the home directory, relative paths the working directory. */
export function hostPath(arg: string): string {
  if (arg === '~') return homedir()
  if (arg.startsWith('~/')) return resolveHost(homedir(), arg.slice(2))
  return resolveHost(arg)
}
