// VRootFsBackend containment from TypeScript: every named attack of the Rust escape corpus
// (crates/anyfs/tests/vrootfs_escape/corpus.rs) against every operation of the public API that
// takes a path, bare and through FileStorage, sync and async (the pool); a race that swaps a
// symlink to the outside in and out while reads and writes run; and control runs showing the
// same oracle catches StdFsBackend, which has no containment, escaping.
//
// The host layout around the root, fresh for every run:
//
//   <outer>/sentinel            "SENTINEL-CONTENT", xattr user.secret = "outside-xattr"
//   <outer>/sentinel_dir/inner  "INNER-SECRET"
//   <outer>/root/               the backend's root, holding /src_file and /src_dir
//
// The oracle: the sentinels' stat (inode, links, mode, size, and all three times, aged first so
// a read shows in atime), their content and xattr, and the listings around the root are
// unchanged; a successful operation returned nothing of the outside (content, names, inode
// numbers); a failed one failed with an FsError whose code is in ALLOWED.

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import * as nodeFs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'

import test from 'ava'

import { FileStorage, FsError, NativeStack, StdFsBackend, VRootFsBackend, type FsPosix } from '../js/index'

const SENTINEL = 'SENTINEL-CONTENT'
const INNER = 'INNER-SECRET'
const SECRET_XATTR = 'user.secret'
const SECRET_VALUE = 'outside-xattr'
/** Names that exist only outside the root. */
const OUTSIDE_NAMES = new Set(['sentinel', 'sentinel_dir', 'inner', 'root', SECRET_XATTR])
/** Codes an attack may fail with: "no such thing here", "wrong kind", "refused". */
const ALLOWED = new Set([
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'ELOOP',
  'EINVAL',
  'EEXIST',
  'ENOTEMPTY',
  'EBUSY',
  'ENODATA',
  'ENAMETOOLONG',
  'EXDEV',
])

/** Host paths of one fixture. */
class World {
  constructor(
    readonly outer: string,
    readonly root: string,
  ) {}

  /** Host path of the virtual path `at` (no resolution). */
  host(at: string): string {
    return join(this.root, at.replace(/^\/+/, ''))
  }

  /** A symlink at virtual `at` with host target `target`, made on the host. */
  link(target: string, at: string): void {
    nodeFs.symlinkSync(target, this.host(at))
  }

  /** A directory at virtual `at`, made on the host. */
  dir(at: string): void {
    nodeFs.mkdirSync(this.host(at), { recursive: true })
  }

  get sentinel(): string {
    return join(this.outer, 'sentinel')
  }

  get sentinelDir(): string {
    return join(this.outer, 'sentinel_dir')
  }
}

interface Attack {
  readonly name: string
  /** Plants the attack's layout inside the root (as someone with write access to it could). */
  readonly setup: (w: World) => void
  /** The path every operation is given; `{outer}` is the outer host path without its leading `/`. */
  readonly path: string
}

const nothing = (): void => {}

/** The Rust corpus, attack for attack (names and layouts are the same). */
const CORPUS: readonly Attack[] = [
  // `..` in the caller's path.
  { name: 'dotdot', setup: nothing, path: '/../sentinel' },
  { name: 'dotdot_deep', setup: nothing, path: '/../../../../../../../../sentinel' },
  { name: 'dotdot_to_dir', setup: nothing, path: '/../sentinel_dir/inner' },
  { name: 'dotdot_after_dir', setup: (w) => w.dir('/d'), path: '/d/../../sentinel' },
  { name: 'dotdot_after_nested_dirs', setup: (w) => w.dir('/a/b/c'), path: '/a/b/c/../../../../sentinel' },
  { name: 'dotdot_with_dots', setup: nothing, path: '/./.././sentinel' },
  { name: 'dotdot_double_slashes', setup: nothing, path: '//..//..//sentinel' },
  { name: 'dotdot_outer_listing', setup: nothing, path: '/..' },
  { name: 'dotdot_names_root', setup: nothing, path: '/../root/src_file' },
  // Absolute symlinks (host targets are virtual paths: inside the root).
  { name: 'abs_symlink_to_sentinel', setup: (w) => w.link(w.sentinel, '/abs'), path: '/abs' },
  { name: 'abs_symlink_to_outer_dir', setup: (w) => w.link(w.outer, '/out'), path: '/out/sentinel' },
  { name: 'abs_symlink_to_sentinel_dir', setup: (w) => w.link(w.sentinelDir, '/sd'), path: '/sd/inner' },
  { name: 'abs_symlink_dir_trailing_slash', setup: (w) => w.link(w.sentinelDir, '/sd'), path: '/sd/' },
  { name: 'abs_symlink_to_host_root', setup: (w) => w.link('/', '/hostroot'), path: '/hostroot/{outer}/sentinel' },
  { name: 'abs_symlink_virtual_dotdot', setup: (w) => w.link('/../sentinel', '/vdd'), path: '/vdd' },
  {
    name: 'abs_symlink_dotdot_inside_target',
    setup: (w) => w.link(join(w.sentinelDir, '..'), '/sdup'),
    path: '/sdup/sentinel',
  },
  // Relative symlinks that climb.
  { name: 'rel_symlink_climb', setup: (w) => w.link('../sentinel', '/rel'), path: '/rel' },
  {
    name: 'rel_symlink_deep_climb',
    setup: (w) => {
      w.dir('/d/e')
      w.link('../../../../../../sentinel', '/d/e/deep')
    },
    path: '/d/e/deep',
  },
  { name: 'rel_symlink_to_parent_dir', setup: (w) => w.link('..', '/up'), path: '/up/sentinel' },
  { name: 'rel_symlink_dot_dot_slash', setup: (w) => w.link('../', '/up2'), path: '/up2/sentinel_dir/inner' },
  {
    name: 'rel_symlink_dotdot_mid_target',
    setup: (w) => {
      w.dir('/d')
      w.link('d/../../sentinel', '/mid')
    },
    path: '/mid',
  },
  {
    name: 'rel_symlink_to_host_proc',
    setup: (w) => w.link('../../../../../../proc/self/root', '/proc'),
    path: '/proc/{outer}/sentinel',
  },
  // Chains.
  {
    name: 'chain_abs',
    setup: (w) => {
      w.link(w.sentinel, '/c3')
      w.link('/c3', '/c2')
      w.link('c2', '/c1')
    },
    path: '/c1',
  },
  {
    name: 'chain_rel_climb',
    setup: (w) => {
      w.dir('/x/y')
      w.link('../../../sentinel', '/x/y/l2')
      w.link('x/y/l2', '/l1')
    },
    path: '/l1',
  },
  {
    name: 'chain_through_dirs',
    setup: (w) => {
      w.link('..', '/p1')
      w.link('p1/..', '/p2')
    },
    path: '/p2/sentinel',
  },
  {
    name: 'chain_of_39_then_outside',
    setup: (w) => {
      w.link(w.sentinel, '/k39')
      for (let i = 38; i >= 0; i--) w.link(`/k${i + 1}`, `/k${i}`)
    },
    path: '/k0',
  },
  // Symlinks in the middle of a path, then `..`.
  { name: 'symlink_to_root_then_dotdot', setup: (w) => w.link('/', '/r'), path: '/r/../sentinel' },
  {
    name: 'symlink_to_subdir_then_dotdot',
    setup: (w) => {
      w.dir('/real/sub')
      w.link('/real/sub', '/s')
    },
    path: '/s/../../../sentinel',
  },
  {
    name: 'loop_then_dotdot',
    setup: (w) => {
      w.link('/loop2', '/loop1')
      w.link('/loop1', '/loop2')
    },
    path: '/loop1/../sentinel',
  },
  // Dangling links whose targets would be created outside.
  { name: 'dangling_abs_outside', setup: (w) => w.link(join(w.outer, 'created'), '/dang'), path: '/dang' },
  { name: 'dangling_rel_outside', setup: (w) => w.link('../created', '/dang'), path: '/dang' },
  { name: 'dir_link_create_below', setup: (w) => w.link(w.outer, '/out'), path: '/out/created' },
  { name: 'rel_dir_link_create_below', setup: (w) => w.link('../', '/out'), path: '/out/created' },
  // Names that are not separators on Linux, or not paths at all.
  { name: 'backslash_dotdot', setup: nothing, path: '/..\\sentinel' },
  { name: 'backslash_many', setup: nothing, path: '/..\\..\\..\\sentinel' },
  { name: 'windows_drive', setup: nothing, path: '/C:\\..\\sentinel' },
  { name: 'url_encoded_dotdot', setup: nothing, path: '/%2e%2e/sentinel' },
  { name: 'unicode_two_dot_leader', setup: nothing, path: '/\u2025/sentinel' },
  { name: 'fullwidth_solidus', setup: nothing, path: '/..\uff0fsentinel' },
  { name: 'nul_after_name', setup: nothing, path: '/../sentinel\0' },
  { name: 'nul_in_middle', setup: nothing, path: '/..\0/../sentinel' },
  { name: 'relative_path', setup: nothing, path: '../sentinel' },
  { name: 'empty_path', setup: nothing, path: '' },
]

/**
 * Attacks whose escapes from an uncontained backend reach only this fixture's `<outer>`: the
 * control runs against StdFsBackend use these alone (the others would make it write into the
 * machine's real `/` or `/tmp`). The same list as the Rust corpus's HOST_SAFE.
 */
const HOST_SAFE = new Set([
  'abs_symlink_to_sentinel',
  'abs_symlink_to_outer_dir',
  'abs_symlink_to_sentinel_dir',
  'abs_symlink_dir_trailing_slash',
  'abs_symlink_to_host_root',
  'abs_symlink_dotdot_inside_target',
  'rel_symlink_climb',
  'rel_symlink_to_parent_dir',
  'rel_symlink_dot_dot_slash',
  'rel_symlink_dotdot_mid_target',
  'rel_symlink_to_host_proc',
  'chain_rel_climb',
  'dangling_abs_outside',
  'dangling_rel_outside',
  'dir_link_create_below',
  'rel_dir_link_create_below',
])

/** The stat fields an access changes. */
function stamp(path: string): string | null {
  try {
    const s = nodeFs.lstatSync(path, { bigint: true })
    return [s.ino, s.nlink, s.mode, s.size, s.mtimeNs, s.atimeNs, s.ctimeNs].join(' ')
  } catch {
    return null
  }
}

function listing(dir: string): string[] {
  try {
    return nodeFs.readdirSync(dir).sort()
  } catch {
    return []
  }
}

/** A fresh outer directory with the sentinels and a root inside it. */
class Fixture {
  readonly world: World
  readonly outsideInodes: Set<number>
  readonly #watched: string[]
  readonly #stamps: (string | null)[]
  /** Reads the outside's xattrs (an uncontained view of `<outer>`, used only by the oracle). */
  readonly #outside: StdFsBackend

  constructor(setup: (w: World) => void) {
    const outer = nodeFs.mkdtempSync(join(tmpdir(), 'anyfs-ts-escape-'))
    this.world = new World(outer, join(outer, 'root'))
    const w = this.world
    nodeFs.writeFileSync(w.sentinel, SENTINEL)
    this.#outside = new StdFsBackend(outer)
    this.#outside.setXattrSync('/sentinel', SECRET_XATTR, SECRET_VALUE)
    nodeFs.mkdirSync(w.sentinelDir)
    nodeFs.writeFileSync(join(w.sentinelDir, 'inner'), INNER)
    nodeFs.mkdirSync(w.root)
    nodeFs.writeFileSync(join(w.root, 'src_file'), 'inside-src')
    nodeFs.mkdirSync(join(w.root, 'src_dir'))
    setup(w)
    this.#watched = [outer, w.sentinel, w.sentinelDir, join(w.sentinelDir, 'inner')]
    // Old times, so a read (relatime) or a write shows in atime / mtime as well.
    for (const p of this.#watched) nodeFs.utimesSync(p, 1_000_000_000, 1_000_000_000)
    this.#stamps = this.#watched.map(stamp)
    this.outsideInodes = new Set(this.#watched.map((p) => Number(nodeFs.lstatSync(p).ino)))
  }

  /** Every change seen outside the root since the fixture was made (empty when none). */
  outsideChanges(): string[] {
    const problems: string[] = []
    // Stat first: the checks below read, which changes atime themselves.
    this.#watched.forEach((p, i) => {
      const now = stamp(p)
      if (now !== this.#stamps[i]) problems.push(`${p} changed: ${this.#stamps[i]} -> ${now}`)
    })
    const outer = listing(this.world.outer)
    if (outer.join() !== 'root,sentinel,sentinel_dir') problems.push(`entries outside the root changed: ${outer}`)
    const inner = listing(this.world.sentinelDir)
    if (inner.join() !== 'inner') problems.push(`sentinel_dir entries changed: ${inner}`)
    if (readOr(this.world.sentinel) !== SENTINEL) problems.push('sentinel content changed')
    if (readOr(join(this.world.sentinelDir, 'inner')) !== INNER) problems.push('inner content changed')
    let xattr: string
    try {
      xattr = this.#outside.getXattrSync('/sentinel', SECRET_XATTR).toString()
    } catch (err) {
      xattr = String(err)
    }
    if (xattr !== SECRET_VALUE) problems.push(`sentinel xattr changed: ${xattr}`)
    return problems
  }

  /** What of the outside `got` holds, if anything. */
  leak(got: unknown): string | undefined {
    if (got === undefined || got === null || typeof got === 'boolean') return undefined
    if (typeof got === 'number') {
      return this.outsideInodes.has(got) ? `returned the inode ${got} of a node outside` : undefined
    }
    if (Array.isArray(got)) {
      const name = got.find((n) => OUTSIDE_NAMES.has(String(n)))
      return name === undefined ? undefined : `returned the outside name ${name}`
    }
    const text = Buffer.isBuffer(got) ? got.toString('latin1') : String(got)
    for (const secret of [SENTINEL, INNER, SECRET_VALUE]) {
      if (text.includes(secret)) return `returned outside data ${secret}`
    }
    return undefined
  }

  dispose(): void {
    nodeFs.rmSync(this.world.outer, { recursive: true, force: true })
  }
}

function readOr(path: string): string | null {
  try {
    return nodeFs.readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

type Subject = NativeStack & FsPosix & Partial<Pick<FileStorage, 'canonicalize' | 'canonicalizeSync'>>
type Mode = 'sync' | 'async'

/** Calls `name` on `fs` the way `mode` says (the `*Sync` twin, or the async method). */
function caller(fs: Subject, mode: Mode) {
  const loose = fs as unknown as Record<string, (...args: unknown[]) => unknown>
  return async (name: string, ...args: unknown[]): Promise<unknown> => {
    const method = mode === 'sync' ? loose[`${name}Sync`] : loose[name]
    if (typeof method !== 'function') throw new Error(`no ${name} in ${mode} mode`)
    return method.apply(fs, args)
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

type Call = (name: string, ...args: unknown[]) => Promise<unknown>
type Op = readonly [name: string, run: (call: Call, p: string) => Promise<unknown>]

/** Reads a file the op just made (what a rename/link/copy from P brought inside), or nothing. */
const readBack = (call: Call, at: string): Promise<unknown> => call('read', at).catch(() => undefined)

/** Every operation of the public API that takes a path, given the attack path in each position. */
const OPS: readonly Op[] = [
  ['read', (c, p) => c('read', p)],
  ['readToString', (c, p) => c('readToString', p)],
  ['readRange', (c, p) => c('readRange', p, 0, 1 << 20)],
  ['openRead', async (c, p) => collect((await c('openRead', p)) as Readable)],
  ['exists', (c, p) => c('exists', p)],
  ['metadata', async (c, p) => ((await c('metadata', p)) as { inode: number }).inode],
  ['symlinkMetadata', async (c, p) => ((await c('symlinkMetadata', p)) as { inode: number }).inode],
  ['pathToInode', (c, p) => c('pathToInode', p)],
  ['readDir', async (c, p) => ((await c('readDir', p)) as { name: string }[]).map((e) => e.name)],
  ['readLink', (c, p) => c('readLink', p)],
  ['write', (c, p) => c('write', p, 'PWNED')],
  ['append', (c, p) => c('append', p, 'PWNED')],
  [
    'openWrite',
    async (c, p) => {
      const w = (await c('openWrite', p)) as NodeJS.WritableStream
      await new Promise<void>((resolve, reject) => {
        w.on('error', reject)
        w.end('PWNED', () => resolve())
      })
    },
  ],
  ['truncate', (c, p) => c('truncate', p, 0)],
  ['createDir', (c, p) => c('createDir', p)],
  ['createDirAll', (c, p) => c('createDirAll', p)],
  [
    "open 'w' + writeAt",
    async (c, p) => {
      const h = await c('open', p, 'w')
      try {
        await c('writeAt', h, 'PWNED', 0)
      } finally {
        await c('close', h)
      }
    },
  ],
  [
    "open 'r' + readAt",
    async (c, p) => {
      const h = await c('open', p, 'r')
      const buf = Buffer.alloc(256)
      try {
        return buf.subarray(0, (await c('readAt', h, buf, 0)) as number)
      } finally {
        await c('close', h)
      }
    },
  ],
  ['removeFile', (c, p) => c('removeFile', p)],
  ['removeDir', (c, p) => c('removeDir', p)],
  ['removeDirAll', (c, p) => c('removeDirAll', p)],
  ['rename from P', async (c, p) => (await c('rename', p, '/moved'), readBack(c, '/moved'))],
  ['rename to P', (c, p) => c('rename', '/src_file', p)],
  ['rename dir to P', (c, p) => c('rename', '/src_dir', p)],
  ['hardLink from P', async (c, p) => (await c('hardLink', p, '/hl'), readBack(c, '/hl'))],
  ['hardLink to P', (c, p) => c('hardLink', '/src_file', p)],
  ['copy from P', async (c, p) => (await c('copy', p, '/copied'), readBack(c, '/copied'))],
  ['copy to P', (c, p) => c('copy', '/src_file', p)],
  ['symlink at P', (c, p) => c('symlink', '/src_file', p)],
  ['symlink to P, then read it', async (c, p) => (await c('symlink', p, '/via'), c('read', '/via'))],
  ['symlink to P, then write it', async (c, p) => (await c('symlink', p, '/via'), c('write', '/via', 'PWNED'))],
  [
    'symlink to P, then list it',
    async (c, p) => {
      await c('symlink', p, '/via')
      return ((await c('readDir', '/via')) as { name: string }[]).map((e) => e.name)
    },
  ],
  ['setPermissions', (c, p) => c('setPermissions', p, 0o777)],
  ['setOwner', (c, p) => c('setOwner', p, 4242, 4242)],
  ['setTimes', (c, p) => c('setTimes', p, new Date(), new Date())],
  ['fsync', (c, p) => c('fsync', p)],
  ['getXattr', (c, p) => c('getXattr', p, SECRET_XATTR)],
  ['listXattr', (c, p) => c('listXattr', p)],
  ['setXattr', (c, p) => c('setXattr', p, 'user.pwned', 'PWNED')],
  ['removeXattr', (c, p) => c('removeXattr', p, SECRET_XATTR)],
  ['batch read', async (c, p) => ((await c('batch', [{ op: 'read', path: p }])) as { value?: unknown }[])[0]?.value],
]

/** Only FileStorage has the canonicalization family. */
const STORAGE_OPS: readonly Op[] = [
  ['canonicalize', (c, p) => c('canonicalize', p)],
  ['softCanonicalize', (c, p) => c('softCanonicalize', p)],
  ['anchoredCanonicalize', (c, p) => c('anchoredCanonicalize', p, '/src_dir')],
]

type Make = (root: string) => NativeStack & FsPosix
type Wrap = 'bare' | 'storage'

/** Runs one attack with one operation on a fresh fixture; returns the problems found. */
async function runOne(attack: Attack, op: Op, make: Make, wrap: Wrap, mode: Mode): Promise<string[]> {
  const fixture = new Fixture(attack.setup)
  try {
    const backend = make(fixture.world.root)
    const fs = (wrap === 'bare' ? backend : new FileStorage(backend)) as Subject
    const path = attack.path.replace('{outer}', fixture.world.outer.replace(/^\/+/, ''))
    let outcome: { ok: true; got: unknown } | { ok: false; err: unknown }
    try {
      // `batch` runs through one call whatever the mode; the sync twin is `batchSync`.
      outcome = { ok: true, got: await op[1](caller(fs, mode), path) }
    } catch (err) {
      outcome = { ok: false, err }
    }
    const problems = fixture.outsideChanges()
    if (outcome.ok) {
      const leak = fixture.leak(outcome.got)
      if (leak !== undefined) problems.push(leak)
    } else if (!(outcome.err instanceof FsError)) {
      problems.push(`threw a non-FsError: ${String(outcome.err)}`)
    } else if (!ALLOWED.has(outcome.err.code)) {
      problems.push(`failed with unexpected code ${outcome.err.code}: ${outcome.err.message}`)
    }
    return problems.map((p) => `${attack.name} / ${op[0]}: ${p}`)
  } finally {
    fixture.dispose()
  }
}

async function runAttack(attack: Attack, make: Make, wrap: Wrap, mode: Mode): Promise<[number, string[]]> {
  const ops = wrap === 'storage' ? [...OPS, ...STORAGE_OPS] : OPS
  const problems: string[] = []
  for (const op of ops) problems.push(...(await runOne(attack, op, make, wrap, mode)))
  return [ops.length, problems]
}

const vroot: Make = (root) => new VRootFsBackend(root)
const stdfs: Make = (root) => new StdFsBackend(root)

test('the corpus has at least 30 uniquely named attacks, the same as the Rust corpus', (t) => {
  t.true(CORPUS.length >= 30, `only ${CORPUS.length} attacks`)
  const names = CORPUS.map((a) => a.name)
  t.is(new Set(names).size, names.length, 'attack names must be unique')
  const rust = nodeFs.readFileSync(join(__dirname, '..', 'crates/anyfs/tests/vrootfs_escape/corpus.rs'), 'utf8')
  const rustNames = [...rust.matchAll(/^\s*name: "([^"]+)",$/gm)].map((m) => m[1])
  t.true(rustNames.length >= 30)
  t.deepEqual([...names].sort(), [...rustNames].sort(), 'the TS and Rust corpora differ')
  for (const safe of HOST_SAFE) t.true(names.includes(safe), safe)
  t.true(OPS.length >= 30, `only ${OPS.length} operations`)
})

for (const wrap of ['bare', 'storage'] as const) {
  for (const mode of ['sync', 'async'] as const) {
    for (const attack of CORPUS) {
      test(`VRootFsBackend ${wrap} ${mode}: ${attack.name} (${JSON.stringify(attack.path)}) gets nothing out`, async (t) => {
        const [runs, problems] = await runAttack(attack, vroot, wrap, mode)
        t.true(runs >= 40)
        t.deepEqual(problems, [], `${problems.length} problem(s) in ${runs} runs:\n${problems.join('\n')}`)
      })
    }
  }
}

// StdFsBackend has no containment: the same oracle must see it escape, which shows the oracle
// (and so every test above) can fail. Only HOST_SAFE attacks: their escapes stay in the fixture.
for (const mode of ['sync', 'async'] as const) {
  test(`control, ${mode}: the oracle catches StdFsBackend escaping`, async (t) => {
    const problems: string[] = []
    for (const attack of CORPUS.filter((a) => HOST_SAFE.has(a.name))) {
      problems.push(...(await runAttack(attack, stdfs, 'bare', mode))[1])
    }
    const count = (what: string): number => problems.filter((p) => p.includes(what)).length
    t.true(count('returned outside data') > 0, 'no data leak seen')
    t.true(count('changed: ') > 0, 'no outside stat change seen')
    t.true(count('entries outside the root changed') > 0, 'no outside write seen')
    t.true(count('returned the outside name') > 0, 'no name leak seen')
  })
}

interface RaceResult {
  problems: string[]
  /** Reads that got the inside file. */
  inside: number
  /** Rounds of calls made while the swapper ran. */
  rounds: number
  /** Directory-to-symlink-and-back swaps the child made. */
  swaps: number
}

/**
 * One child process swaps `/flip` between a real directory and a symlink to the outside, as
 * fast as it can, while this process reads, lists and writes through `/flip/...` on the
 * blocking pool, in rounds, until `enough` says so (or `maxMs` passes). Returns what it saw.
 */
async function race(
  make: Make,
  target: 'absolute' | 'relative',
  enough: (r: RaceResult, elapsedMs: number) => boolean,
  maxMs: number,
): Promise<RaceResult> {
  const fixture = new Fixture((w) => {
    w.dir('/flip')
    // Same name as the outside file, so a read that escaped returns its content.
    nodeFs.writeFileSync(w.host('/flip/inner'), 'INSIDE')
    nodeFs.writeFileSync(w.host('/flip/only_inside'), '')
  })
  // The stop signal lives elsewhere: a new entry in <outer> would trip the oracle.
  const control = nodeFs.mkdtempSync(join(tmpdir(), 'anyfs-ts-race-'))
  const stop = join(control, 'stop')
  try {
    const fs = make(fixture.world.root)
    const linkTarget = target === 'absolute' ? fixture.world.sentinelDir : '../sentinel_dir'
    const swapper = `
      const fs = require('node:fs'), path = require('node:path')
      const root = ${JSON.stringify(fixture.world.root)}
      const flip = path.join(root, 'flip'), real = path.join(root, 'real')
      // Each state is held a little while (about half the time each), so calls land in both
      // and in the instants between.
      const hold = () => { const until = process.hrtime.bigint() + 200000n; while (process.hrtime.bigint() < until); }
      let swaps = 0
      process.stdout.write('started\\n')
      while (!fs.existsSync(${JSON.stringify(stop)})) {
        fs.renameSync(flip, real)
        fs.symlinkSync(${JSON.stringify(linkTarget)}, flip)
        hold()
        fs.unlinkSync(flip)
        fs.renameSync(real, flip)
        hold()
        swaps++
      }
      process.stdout.write(String(swaps) + '\\n')
    `
    const child = spawn(process.execPath, ['-e', swapper])
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    // 'close' comes after the child's stdout has been read to the end, which 'exit' does not wait for.
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    let running = true
    void exited.then(() => (running = false))
    while (running && !out.startsWith('started')) await new Promise((resolve) => setTimeout(resolve, 5))
    const result: RaceResult = { problems: [], inside: 0, rounds: 0, swaps: 0 }
    const { problems } = result
    const began = Date.now()
    while (running && Date.now() - began < maxMs && !enough(result, Date.now() - began)) {
      const i = ++result.rounds
      const results = await Promise.allSettled([
        fs.read('/flip/inner'),
        fs.readDir('/flip'),
        fs.write(`/flip/new${i % 4}`, 'PWNED'),
        fs.setPermissions('/flip/inner', 0o600 | ((i & 1) * 0o44)),
        fs.hardLink('/flip/inner', `/hl${i}`),
        fs.metadata('/flip/inner'),
        fs.removeFile(`/flip/new${(i + 2) % 4}`),
      ])
      const [read, list] = results
      if (read.status === 'fulfilled') {
        if (read.value.toString() === 'INSIDE') result.inside++
        else problems.push(`read /flip/inner gave ${JSON.stringify(read.value.toString())}`)
      }
      if (list.status === 'fulfilled' && !list.value.some((e) => e.name === 'only_inside')) {
        problems.push('readDir /flip listed a directory that is not /flip')
      }
      for (const r of results) {
        if (r.status === 'rejected' && !(r.reason instanceof FsError)) problems.push(`non-FsError: ${String(r.reason)}`)
      }
      // Rounds that could not fail (the swapper never ran) must not count.
      if (!running) problems.push('the swapper stopped early')
    }
    nodeFs.writeFileSync(stop, '')
    const code = await exited
    if (code !== 0) problems.push(`the swapper failed with exit code ${code}`)
    result.swaps = Number(out.split('\n')[1])
    problems.push(...fixture.outsideChanges())
    return result
  } finally {
    fixture.dispose()
    nodeFs.rmSync(control, { recursive: true, force: true })
  }
}

for (const target of ['absolute', 'relative'] as const) {
  test(`VRootFsBackend: a symlink (${target} target) swapped in while calls run never lets one out`, async (t) => {
    // At least 1.5 s and 300 rounds of 7 calls each.
    const r = await race(vroot, target, (r, ms) => ms >= 1500 && r.rounds >= 300, 60_000)
    t.log(`${r.rounds} rounds, ${r.inside} inside reads, ${r.swaps} swaps`)
    t.true(r.swaps > 100, `the swapper barely ran (${r.swaps} swaps)`)
    t.true(r.rounds >= 300, `only ${r.rounds} rounds`)
    t.true(r.inside > 0, 'no read ever went through')
    t.deepEqual(r.problems, [])
  })
}

test('control: the race oracle sees StdFsBackend follow the swapped-in symlink out', async (t) => {
  // Until the first escape is seen (a read of the outside file, typically within a few rounds).
  const escaped = (p: string): boolean => p.startsWith('read /flip/inner gave') || p.startsWith('readDir /flip listed')
  const r = await race(stdfs, 'relative', (r) => r.problems.some(escaped), 60_000)
  t.log(`${r.problems.length} problems seen in ${r.rounds} rounds, ${r.swaps} swaps`)
  t.true(r.swaps > 0, 'the swapper never ran')
  t.true(r.problems.some(escaped), `StdFsBackend followed the outside symlink unseen in ${r.rounds} rounds`)
  t.true(r.problems.some((p) => p.includes('changed')), 'the escape left no trace outside')
})
