// Disk peers: node:fs on a host directory, and agentfs-sdk (SQLite through Turso's engine).
// agentfs-sdk is installed by `npm run bench:peers`, not kept as a devDependency: its engine package
// lists platform builds that are not in the registry, which breaks `npm ci` of a lock file holding it.
// Streams use each library's defaults (64 KiB pieces for node:fs and anyfs alike).
import * as nodeFs from 'node:fs'
import * as path from 'node:path'
import { drain, streamInto } from './anyfs.mjs'
import { nodeShaped } from './peers.mjs'

/** node:fs on a host directory `root` (created by the caller, removed by teardown when `own`). */
export function nodeDisk(root, { name = 'node:fs (disk)', own = true } = {}) {
  const p = (rel) => path.join(root, rel)
  const shaped = nodeShaped(nodeFs, p)
  return {
    name,
    teardown: () => own && nodeFs.rmSync(root, { recursive: true, force: true }),
    sync: shaped.sync,
    async: {
      ...shaped.async,
      streamWrite: (r, chunk, total) => streamInto(nodeFs.createWriteStream(p(r)), chunk, total),
      streamRead: (r) => drain(nodeFs.createReadStream(p(r))),
    },
  }
}

/**
 * agentfs-sdk 0.6 over a database file in `dir`: async only. It has no streams; its file handle's
 * pwrite/pread in 1 MiB pieces is how it moves a large file without holding it whole.
 */
export async function agentfs(dir) {
  const { AgentFS } = await import('agentfs-sdk')
  const agent = await AgentFS.open({ path: path.join(dir, 'agentfs.db') })
  const fs = agent.fs
  const p = (rel) => '/' + rel
  return {
    name: 'agentfs-sdk',
    slow: true,
    teardown: async () => {
      await agent.close()
      nodeFs.rmSync(dir, { recursive: true, force: true })
    },
    async: {
      mkdir: async (r) => {
        try {
          await fs.mkdir(p(r))
        } catch (e) {
          if (e.code !== 'EEXIST') throw e
        }
      },
      write: (r, d) => fs.writeFile(p(r), d),
      stat: (r) => fs.stat(p(r)),
      read: (r) => fs.readFile(p(r)),
      readdir: (r) => fs.readdir(p(r)),
      unlink: (r) => fs.unlink(p(r)),
      streamWrite: async (r, chunk, total) => {
        await fs.writeFile(p(r), Buffer.alloc(0))
        const h = await fs.open(p(r))
        for (let off = 0; off < total; off += chunk.length) await h.pwrite(off, chunk)
      },
      streamRead: async (r) => {
        const h = await fs.open(p(r))
        const { size } = await h.fstat()
        let n = 0
        for (let off = 0; off < size; off += 1 << 20) n += (await h.pread(off, 1 << 20)).length
        return n
      },
    },
  }
}
