// Mounts of stacks with JS layers, and in-process changes seen by programs at once.
//
// - A native -> JS -> native stack serves real programs in child processes (the FUSE threads
//   wait for the JS thread, which is free because the test awaits the children).
// - A JS layer's refusal reaches programs as its errno.
// - A synchronous call of this process's JS thread on such a mount fails fast with EDEADLK
//   (the JS layer needs that blocked thread); async calls of this process are served.
// - Changes through `mount.stack` are seen at once despite 60-second TTLs and the kept page
//   cache; changes behind its back are not, until `invalidate`.

import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { constants } from 'node:os'
import { join } from 'node:path'

import {
  FileStorage,
  MemoryBackend,
  Middleware,
  MountHandle,
  OpenFlags,
  QuotaLayer,
  type FsError,
  type Handle,
  type OpenFlagsInput,
} from '../js/index'
import { canMount, fuse, listed, mountPoint, sh, stderrOf } from './mount-helpers'

if (!canMount) console.log('mount-js-layers.spec: skipped (no /dev/fuse or no fusermount3)')

const CHANGING = OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNCATE

function changes(flags: OpenFlagsInput | undefined): boolean {
  return typeof flags === 'number' ? (flags & CHANGING) !== 0 : flags !== undefined && flags !== 'r'
}

/** Counts the kernel's lookups and refuses to open `*.secret` files for writing. */
class Guard extends Middleware {
  lookups = 0

  override lookup(parentInode: number, name: string): Promise<number> {
    this.lookups++
    return super.lookup(parentInode, name)
  }

  override open(path: string, flags?: OpenFlagsInput): Promise<Handle> {
    if (changes(flags) && path.endsWith('.secret')) {
      throw Object.assign(new Error(`refusing to write ${path}`), { code: 'EACCES' })
    }
    return super.open(path, flags)
  }
}

/** Reads `f` twice: the kernel keeps a file's pages from its second open on, so the second
 * read is the one a stale cache would answer. */
const CAT_TWICE = (f: string) => `cat ${f} >/dev/null && cat ${f}`

fuse('a native -> JS -> native stack serves cat, ls and cp in child processes', async (t) => {
  const guard = new Guard(new MemoryBackend())
  const stack = guard.layer(QuotaLayer.builder().maxTotalSize(1 << 20).build())
  let mount: MountHandle | undefined
  const dir = mountPoint(t, () => mount?.unmountSync())
  mount = await MountHandle.mount(stack, dir, { entryTtl: 60, attrTtl: 60 })

  t.is(await sh(dir, 'mkdir d && echo hi > d/f && cp d/f d/g && ls d && cat d/g'), 'f\ng\nhi\n')
  t.true(guard.lookups >= 3, `the JS layer served the kernel's lookups (${guard.lookups})`)
  t.is(new FileStorage(stack).readToStringSync('/d/g'), 'hi\n')

  // The JS layer's refusal is the program's errno; the native quota above it still applies.
  const refused = await t.throwsAsync(sh(dir, 'echo x > d/x.secret'))
  t.regex(stderrOf(refused), /Permission denied/)
  t.is(await sh(dir, 'test -e d/x.secret || echo absent'), 'absent\n')
  t.is(await sh(dir, 'cat d/f > d/ok.public && cat d/ok.public'), 'hi\n')
  const full = await t.throwsAsync(sh(dir, 'head -c 2000000 /dev/zero > d/big'))
  t.regex(stderrOf(full), /No space left on device/)

  // In-process changes through the mount's stack, across the JS layer, are seen at once.
  const fs = new FileStorage(mount.stack)
  t.is(await sh(dir, CAT_TWICE('d/g')), 'hi\n')
  fs.writeSync('/d/g', 'HI\n')
  t.is(await sh(dir, CAT_TWICE('d/g')), 'HI\n')

  await mount.unmount()
  t.false(listed(dir))
})

fuse("a sync call of this process's JS thread on a JS-layered mount fails fast with EDEADLK", async (t) => {
  const stack = new Guard(new MemoryBackend())
  let mount: MountHandle | undefined
  const dir = mountPoint(t, () => mount?.unmountSync())
  mount = await MountHandle.mount(stack, dir)
  // Written in-process: the kernel has never looked it up, so opening it needs the JS layer.
  new FileStorage(stack).writeSync('/f', 'data')

  const started = Date.now()
  const err = t.throws(() => readFileSync(join(dir, 'f'))) as NodeJS.ErrnoException | undefined
  // libuv has no name for EDEADLK: node reports errno -35 as 'Unknown system error -35'.
  t.is(err?.errno, -constants.errno.EDEADLK)
  t.regex(err?.message ?? '', new RegExp(`-${constants.errno.EDEADLK}`))
  t.true(Date.now() - started < 5000, `failed fast (${Date.now() - started} ms)`)

  // Async calls of this process run the syscall on libuv's pool: the JS thread stays free.
  t.is(await readFile(join(dir, 'f'), 'utf8'), 'data')
  t.is(await sh(dir, 'cat f'), 'data')
  await mount.unmount()
})

fuse('changes through mount.stack are seen at once despite 60-second TTLs', async (t) => {
  const backend = new MemoryBackend()
  let mount: MountHandle | undefined
  const dir = mountPoint(t, () => mount?.unmountSync())
  mount = await MountHandle.builder(backend).mountPoint(dir).ttl(60).mount()
  const fs = new FileStorage(mount.stack)
  t.deepEqual(mount.stack.capabilities, backend.capabilities)

  fs.writeSync('/f', 'one')
  t.is(await sh(dir, CAT_TWICE('f')), 'one')
  fs.writeSync('/f', 'two') // same size: only a dropped page cache shows it
  t.is(await sh(dir, CAT_TWICE('f')), 'two')
  await fs.write('/f', 'three, async')
  t.is(await sh(dir, CAT_TWICE('f')), 'three, async')

  fs.createDirAllSync('/d/e')
  fs.writeSync('/d/e/g', 'g')
  t.is(await sh(dir, 'ls d d/e'), 'd:\ne\n\nd/e:\ng\n')
  fs.renameSync('/d/e/g', '/d/h')
  t.is(await sh(dir, 'ls d; cat d/h'), 'e\nh\ng')
  fs.removeFileSync('/d/h')
  fs.setPermissionsSync('/f', 0o600)
  t.is(await sh(dir, 'ls d; stat -c %a f'), 'e\n600\n')

  // Behind the mount's back the kernel keeps serving what it cached, until invalidate().
  new FileStorage(backend).writeSync('/f', 'THREE, ASYNC')
  t.is(await sh(dir, CAT_TWICE('f')), 'three, async')
  mount.invalidate('/f')
  t.is(await sh(dir, CAT_TWICE('f')), 'THREE, ASYNC')

  await mount.unmount()
  t.is(fs.readToStringSync('/f'), 'THREE, ASYNC', 'the stack outlives the mount')
  t.throws(() => fs.readSync('/d/h'), { code: 'ENOENT' } as Partial<FsError>)
})
