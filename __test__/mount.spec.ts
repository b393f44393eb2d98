// MountHandle: a MemoryBackend stack mounted with FUSE, used by real programs in child
// processes, then unmounted — by unmount(), by process.exit(), by SIGTERM and SIGINT — with no
// mount left in /proc/mounts. Skipped where this machine cannot mount (no /dev/fuse or no
// fusermount3: .ci/run installs Debian's fuse3).

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'

import type { ExecutionContext } from 'ava'

import { FileStorage, MemoryBackend, MountError, MountHandle, QuotaLayer } from '../js/index'
import { canMount, fuse, listed, mountPoint, sh } from './mount-helpers'

if (!canMount) console.log('mount.spec: skipped (no /dev/fuse or no fusermount3)')

fuse('programs in child processes use the mount; the stack sees their work', async (t) => {
  const backend = new MemoryBackend()
  let mount: MountHandle | undefined
  const dir = mountPoint(t, () => mount?.unmountSync())
  mount = await MountHandle.mount(backend, dir)
  t.true(mount.mounted)
  t.is(mount.mountPoint, dir)
  t.true(listed(dir))

  t.is(await sh(dir, 'mkdir -p a/b && echo hi > a/b/f && cat a/b/f'), 'hi\n')
  t.regex(await sh(dir, 'ls -la a/b'), /-rw-r--r-- .* 3 .* f\n/)
  await sh(dir, 'cp a/b/f a/g && mv a/g a/h && ln -s h a/link && chmod 600 a/h')
  t.is(await sh(dir, 'cat a/link && stat -c %a a/h'), 'hi\n600\n')
  const fs = new FileStorage(backend)
  t.is(fs.readToStringSync('/a/h'), 'hi\n')
  t.is(fs.readLinkSync('/a/link'), 'h')

  // In-process change, made visible at once.
  fs.writeSync('/a/h', 'changed\n')
  mount.invalidate('/a/h')
  t.is(await sh(dir, 'cat a/h'), 'changed\n')

  await mount.unmount()
  t.false(mount.mounted)
  t.false(listed(dir))
  await mount.unmount() // twice is fine
})

fuse('git and sqlite3 work on a mounted stack with a quota', async (t) => {
  const stack = new MemoryBackend().layer(QuotaLayer.builder().maxTotalSize(64 * 1024 * 1024).build())
  let mount: MountHandle | undefined
  const dir = mountPoint(t, () => mount?.unmountSync())
  mount = await MountHandle.builder(stack).mountPoint(dir).mount()
  const git = 'git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main'
  await sh(dir, `${git} init -q && echo x > x && ${git} add x && ${git} commit -qm one`)
  t.is(await sh(dir, 'git status --porcelain && git log --oneline | wc -l'), '1\n')
  if (existsSync('/usr/bin/sqlite3')) {
    const out = await sh(dir, `sqlite3 db 'CREATE TABLE t(x); INSERT INTO t VALUES (1),(2); PRAGMA integrity_check;'`)
    t.is(out, 'ok\n')
  }
  const err = await t.throwsAsync(sh(dir, 'head -c 70000000 /dev/zero > big'))
  t.regex(String((err as { stderr?: string }).stderr), /No space left on device/)
  await mount.unmount()
})

fuse('a read-only mount refuses writes', async (t) => {
  const backend = new MemoryBackend()
  new FileStorage(backend).writeSync('/file', 'keep')
  let mount: MountHandle | undefined
  const dir = mountPoint(t, () => mount?.unmountSync())
  mount = await MountHandle.builder(backend).mountPoint(dir).readOnly(true).mount()
  const err = await t.throwsAsync(sh(dir, 'echo x > file'))
  t.regex(String((err as { stderr?: string }).stderr), /Read-only file system/)
  t.is(await sh(dir, 'cat file'), 'keep')
  mount.unmountSync()
})

fuse('mount errors are typed MountErrors', async (t) => {
  const dir = mountPoint(t)
  const missing = join(dir, 'missing')
  const err = await t.throwsAsync(MountHandle.mount(new MemoryBackend(), missing), { instanceOf: MountError })
  t.is(err?.kind, 'InvalidMountPoint')
  t.is(err?.path, missing)
  t.regex(err?.message ?? '', /does not exist/)
  const none = await t.throwsAsync(MountHandle.builder(new MemoryBackend()).mount(), { instanceOf: MountError })
  t.is(none?.kind, 'MissingMountPoint')
  t.throws(() => MountHandle.mountSync({} as MemoryBackend, dir), { instanceOf: TypeError })
  t.throws(() => MountHandle.mountSync(new MemoryBackend(), 42 as unknown as string), { instanceOf: TypeError })
  t.throws(() => MountHandle.mountSync(new MemoryBackend(), dir, { threads: -1 }), { instanceOf: RangeError })
  t.throws(() => MountHandle.mountSync(new MemoryBackend(), dir, { readOnly: 'yes' as unknown as boolean }), {
    instanceOf: TypeError,
  })
  t.false(listed(dir))
})

/** Runs mount-child.ts on a fresh mount point; resolves once it printed `ready`. */
async function child(t: ExecutionContext, mode: string) {
  const dir = mountPoint(t)
  const proc = spawn(process.execPath, ['--import=tsx', join(__dirname, 'mount-child.ts'), dir, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
  })
  let out = ''
  proc.stdout.setEncoding('utf8')
  proc.stdout.on('data', (d: string) => (out += d))
  // 'close' comes after stdout has been read to the end, which 'exit' does not wait for.
  const exited = once(proc, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  if (mode !== 'exit') {
    while (!out.includes('ready')) {
      if (proc.exitCode !== null) break
      await new Promise((r) => setTimeout(r, 20))
    }
    t.true(listed(dir), 'mounted while the child runs')
  }
  return { dir, proc, exited, output: () => out }
}

fuse('SIGTERM unmounts, then the process dies of the signal', async (t) => {
  const c = await child(t, 'wait')
  c.proc.kill('SIGTERM')
  const [code, signal] = await c.exited
  t.is(signal, 'SIGTERM')
  t.is(code, null)
  t.false(listed(c.dir))
})

fuse('SIGINT with a listener of the program: unmounts, the program decides', async (t) => {
  const c = await child(t, 'listener')
  c.proc.kill('SIGINT')
  const [code] = await c.exited
  t.is(code, 7)
  t.true(c.output().includes('mine'))
  t.false(listed(c.dir))
})

fuse('process.exit() unmounts', async (t) => {
  const c = await child(t, 'exit')
  const [code] = await c.exited
  t.is(code, 3)
  t.false(listed(c.dir))
})
