// Shared by the mount specs (not a spec file): whether this machine can mount, fresh mount
// points that are unmounted and removed when the test ends (even when it fails), and running
// real programs in child processes.

import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import test, { type ExecutionContext } from 'ava'

import { MountHandle } from '../js/index'

const run = promisify(execFile)

/** Whether FUSE mounts work here (`/dev/fuse` and `fusermount3`: .ci/run installs fuse3). */
export const canMount = MountHandle.isAvailable() && ['/usr/bin/fusermount3', '/bin/fusermount3'].some(existsSync)

/** `test`, or `test.skip` where this machine cannot mount. */
export const fuse = canMount ? test : test.skip

/** Whether `path` is a mount point in /proc/mounts. */
export function listed(path: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === path)
}

/** A fresh mount point, removed (after unmounting whatever is on it) when the test ends. */
export function mountPoint(t: ExecutionContext, cleanup: () => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'anyfs-mount-spec-'))
  t.teardown(() => {
    try {
      cleanup()
    } finally {
      if (listed(dir)) spawnSync('fusermount3', ['-u', '-z', dir], { stdio: 'ignore' })
      rmdirSync(dir)
    }
  })
  return dir
}

/** Runs `sh -c script` in `cwd` in a child process; resolves with its stdout. */
export async function sh(cwd: string, script: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', script], { cwd, env: { ...process.env, LC_ALL: 'C' } })
  return stdout
}

/** The stderr of a rejected {@link sh}. */
export function stderrOf(err: unknown): string {
  return String((err as { stderr?: string } | undefined)?.stderr)
}
