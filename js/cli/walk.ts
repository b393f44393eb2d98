/**
 * Listing a whole tree before copying it (`cp -r`, `put`, `get`): knowing every node first
 * gives the progress bar its totals, and copying a directory into itself ends (the copy is of
 * what was there when it started).
 *
 * @internal
 * @module
 */

import { lstat, readdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'

import { FsError } from '../errors'
import type { FileType } from '../types'
import type { Storage } from './open'
import { child } from './paths'

/** Byte order of names, so listings are the same everywhere (no locale collation). */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** Whether the store path is a directory (following symlinks); false when nothing is there. */
export async function isStoreDir(fs: Storage, path: string): Promise<boolean> {
  try {
    return (await fs.metadata(path)).isDirectory()
  } catch (err) {
    if (err instanceof FsError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return false
    throw err
  }
}

/** Creates the store directory `path`; one that is already there is fine (trees merge). */
export async function ensureStoreDir(fs: Storage, path: string): Promise<void> {
  try {
    await fs.createDir(path)
  } catch (err) {
    if (!(err instanceof FsError && err.code === 'EEXIST' && (await isStoreDir(fs, path)))) throw err
  }
}

/** One node of a tree, in pre-order (a directory before what it holds). */
export interface TreeNode {
  /** Its path (store or host). */
  readonly path: string
  /** Its path below the tree's root, `''` for the root, `/`-separated. */
  readonly rel: string
  /** What it is; host nodes of other kinds (sockets, devices) are left out. */
  readonly type: FileType
  /** Bytes of content (files only, else 0). */
  readonly size: number
  /** A symlink's target. */
  readonly target?: string
}

/** A node of `type`, with `size` for files and `target` for links. */
function node(path: string, rel: string, type: FileType, size: number, target: string | undefined): TreeNode {
  return target === undefined ? { path, rel, type, size: type === 'file' ? size : 0 } : { path, rel, type, size: 0, target }
}

/** The store tree at `root` (not following symlinks), checking `signal` between nodes. */
export async function scanStore(fs: Storage, root: string, signal: AbortSignal): Promise<TreeNode[]> {
  const out: TreeNode[] = []
  const visit = async (path: string, rel: string): Promise<void> => {
    signal.throwIfAborted()
    const m = await fs.symlinkMetadata(path)
    const target = m.isSymbolicLink() ? await fs.readLink(path) : undefined
    out.push(node(path, rel, m.fileType, m.size, target))
    if (!m.isDirectory()) return
    const entries = await fs.readDir(path)
    entries.sort(byName)
    for (const e of entries) await visit(child(path, e.name), rel === '' ? e.name : `${rel}/${e.name}`)
  }
  await visit(root, '')
  return out
}

/** What {@link scanHost} left out: host nodes that are neither files, directories nor links. */
export interface Skipped {
  readonly path: string
}

/** The host tree at `root` (not following symlinks); special files are listed in `skipped`. */
export async function scanHost(root: string, signal: AbortSignal): Promise<{ nodes: TreeNode[]; skipped: Skipped[] }> {
  const nodes: TreeNode[] = []
  const skipped: Skipped[] = []
  const visit = async (path: string, rel: string): Promise<void> => {
    signal.throwIfAborted()
    const s = await lstat(path)
    if (s.isSymbolicLink()) nodes.push(node(path, rel, 'symlink', 0, await readlink(path)))
    else if (s.isFile()) nodes.push(node(path, rel, 'file', s.size, undefined))
    else if (s.isDirectory()) {
      nodes.push(node(path, rel, 'directory', 0, undefined))
      const names = (await readdir(path)).sort()
      for (const name of names) await visit(join(path, name), rel === '' ? name : `${rel}/${name}`)
    } else skipped.push({ path })
  }
  await visit(root, '')
  return { nodes, skipped }
}

/** Files and bytes in `nodes`. */
export function totals(nodes: readonly TreeNode[]): { files: number; bytes: number } {
  let files = 0
  let bytes = 0
  for (const n of nodes) {
    if (n.type !== 'directory') files += 1
    bytes += n.size
  }
  return { files, bytes }
}
