// The peers anyfs is measured against, behind one small adapter shape so every row runs the
// same workload on each: { name, mode, root, setup, teardown, write, stat, read, readdir, unlink, mkdir }.
import * as nodeFs from 'node:fs'
import * as path from 'node:path'
import { Volume, createFsFromVolume } from 'memfs'
import { configureSingle, fs as zenFs, InMemory } from '@zenfs/core'

/** The adapter rows of any node:fs-shaped module `fs`, with `p` mapping a relative name to its path. */
export function nodeShaped(fs, p) {
  return {
    sync: {
      mkdir: (r) => fs.mkdirSync(p(r), { recursive: true }),
      write: (r, d) => fs.writeFileSync(p(r), d),
      stat: (r) => fs.statSync(p(r)),
      read: (r) => fs.readFileSync(p(r)),
      readdir: (r) => fs.readdirSync(p(r)),
      unlink: (r) => fs.unlinkSync(p(r)),
    },
    async: {
      mkdir: (r) => fs.promises.mkdir(p(r), { recursive: true }),
      write: (r, d) => fs.promises.writeFile(p(r), d),
      stat: (r) => fs.promises.stat(p(r)),
      read: (r) => fs.promises.readFile(p(r)),
      readdir: (r) => fs.promises.readdir(p(r)),
      unlink: (r) => fs.promises.unlink(p(r)),
    },
  }
}

/** node:fs on tmpfs (/dev/shm): the kernel's own in-memory filesystem. */
export function nodeTmpfs() {
  const root = nodeFs.mkdtempSync('/dev/shm/anyfs-bench-')
  const p = (rel) => path.join(root, rel)
  return {
    name: 'node:fs (tmpfs)',
    teardown: () => nodeFs.rmSync(root, { recursive: true, force: true }),
    ...nodeShaped(nodeFs, p),
  }
}

/** memfs: the most used in-memory node:fs replacement. */
export function memfs() {
  const fs = createFsFromVolume(new Volume())
  const p = (rel) => '/' + rel
  return {
    name: 'memfs',
    teardown: () => {},
    ...nodeShaped(fs, p),
  }
}

/** @zenfs/core with its InMemory backend. */
export async function zenfs() {
  await configureSingle({ backend: InMemory })
  const fs = zenFs
  let n = 0
  const base = () => `/bench-${n}`
  n++
  const root = base()
  fs.mkdirSync(root, { recursive: true })
  const p = (rel) => `${root}/${rel}`
  return {
    name: '@zenfs/core (InMemory)',
    slow: true,
    teardown: () => fs.rmSync(root, { recursive: true, force: true }),
    ...nodeShaped(fs, p),
  }
}
