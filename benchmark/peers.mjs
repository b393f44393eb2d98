// The peers anyfs is measured against, behind one small adapter shape so every row runs the
// same workload on each: { name, mode, root, setup, teardown, write, stat, read, readdir, unlink, mkdir }.
import * as nodeFs from 'node:fs'
import * as path from 'node:path'
import { Volume, createFsFromVolume } from 'memfs'
import { configureSingle, fs as zenFs, InMemory } from '@zenfs/core'

/** node:fs on tmpfs (/dev/shm): the kernel's own in-memory filesystem. */
export function nodeTmpfs() {
  const root = nodeFs.mkdtempSync('/dev/shm/anyfs-bench-')
  const p = (rel) => path.join(root, rel)
  return {
    name: 'node:fs (tmpfs)',
    teardown: () => nodeFs.rmSync(root, { recursive: true, force: true }),
    sync: {
      mkdir: (r) => nodeFs.mkdirSync(p(r), { recursive: true }),
      write: (r, d) => nodeFs.writeFileSync(p(r), d),
      stat: (r) => nodeFs.statSync(p(r)),
      read: (r) => nodeFs.readFileSync(p(r)),
      readdir: (r) => nodeFs.readdirSync(p(r)),
      unlink: (r) => nodeFs.unlinkSync(p(r)),
    },
    async: {
      mkdir: (r) => nodeFs.promises.mkdir(p(r), { recursive: true }),
      write: (r, d) => nodeFs.promises.writeFile(p(r), d),
      stat: (r) => nodeFs.promises.stat(p(r)),
      read: (r) => nodeFs.promises.readFile(p(r)),
      readdir: (r) => nodeFs.promises.readdir(p(r)),
      unlink: (r) => nodeFs.promises.unlink(p(r)),
    },
  }
}

/** memfs: the most used in-memory node:fs replacement. */
export function memfs() {
  const fs = createFsFromVolume(new Volume())
  const p = (rel) => '/' + rel
  return {
    name: 'memfs',
    teardown: () => {},
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
