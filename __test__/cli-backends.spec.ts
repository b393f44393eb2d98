// The `anyfs` command's backend flags (temporary directories only) and the host copies
// (put/get), through pipes.

import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import test from 'ava'

import { anyfs, mountState, sh, tempDir } from './cli-helpers'

test('--backend mem is the default and forgets everything at exit', async (t) => {
  const a = await sh(t, 'write /a x; ls', ['--backend', 'mem'])
  t.is(a.stdout, 'a\n')
  const b = await sh(t, 'ls')
  t.is(b.stdout, '')
  t.is(b.status, 0)
})

test('--backend sqlite --db PATH keeps the store in one file across runs', async (t) => {
  const dir = tempDir(t)
  const db = join(dir, 'store.db')
  const first = await sh(t, "mkdir /docs; write '/docs/a b.txt' kept; ln -s '/docs/a b.txt' /l", ['--backend', 'sqlite', '--db', db])
  t.is(first.stderr, '')
  t.true(existsSync(db))
  const second = await sh(t, 'cat /l; stack', ['--backend', 'sqlite', '--db', db])
  t.is(second.stdout, `kept\nFileStorage  symlink-aware path resolution (every command goes through it)\nsqlite       database ${db}\n`)
})

test('--backend sqlite refuses a file that is not a database, and leaves it alone', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'notes.txt')
  writeFileSync(file, 'not a database, just text that is long enough to have a header')
  const r = await sh(t, 'ls', ['--backend', 'sqlite', '--db', file])
  t.regex(r.stderr, /^anyfs: cannot open the sqlite backend: EIO: i\/o error, open '.*notes\.txt'/)
  t.is(r.status, 1)
  t.is(readFileSync(file, 'utf8'), 'not a database, just text that is long enough to have a header')
})

test('--backend stdfs --root PATH works on the host directory', async (t) => {
  const root = tempDir(t)
  writeFileSync(join(root, 'host.txt'), 'from the host\n')
  const r = await sh(t, 'cat /host.txt; mkdir /made; write /made/f inside; ls', ['--backend', 'stdfs', '--root', root])
  t.is(r.stdout, 'from the host\nhost.txt\nmade\n')
  t.is(readFileSync(join(root, 'made', 'f'), 'utf8'), 'inside\n')
})

test('--backend vrootfs --root PATH contains symlinks inside the root', async (t) => {
  const root = tempDir(t)
  const r = await sh(t, 'ln -s /etc/passwd /p; cat /p; write /inside x; cat /../../inside', ['--backend', 'vrootfs', '--root', root])
  t.is(r.stdout, 'x\n')
  t.is(r.stderr, "cat: ENOENT: no such file or directory, cat '/p'\n")
  t.is(r.status, 1)
  t.is(readlinkSync(join(root, 'p')), '/etc/passwd')
})

test('backend flags are checked: missing --db/--root, stray ones, unknown types (status 2)', async (t) => {
  const cases: [string[], string][] = [
    [['--backend', 'sqlite'], 'anyfs: --backend sqlite needs --db PATH (the database file)'],
    [['--backend', 'stdfs'], 'anyfs: --backend stdfs needs --root PATH (an existing host directory)'],
    [['--backend', 'vrootfs', '--root', ''], 'anyfs: --backend vrootfs needs --root PATH (an existing host directory)'],
    [['--db', 'x.db'], 'anyfs: --db applies only to --backend sqlite'],
    [['--root', '/tmp'], 'anyfs: --root applies only to --backend stdfs or --backend vrootfs'],
    [['--backend', 'mem', '--db', 'x.db'], 'anyfs: --db applies only to --backend sqlite, not mem'],
    [['--backend', 'sqlite', '--db', 'x.db', '--root', '/tmp'], 'anyfs: --root applies only to --backend stdfs or --backend vrootfs, not sqlite'],
    [['--backend', 'ftp'], "anyfs: --backend must be one of mem, sqlite, stdfs, vrootfs (got 'ftp')"],
  ]
  for (const [args, message] of cases) {
    const r = await sh(t, 'pwd', args)
    t.is(r.stderr, `${message}\nTry 'anyfs --help'.\n`, args.join(' '))
    t.is(r.status, 2)
    t.is(r.stdout, '')
  }
})

test('a host root that does not exist or is a file fails to open (status 1)', async (t) => {
  const dir = tempDir(t)
  const missing = join(dir, 'missing')
  const a = await sh(t, 'pwd', ['--backend', 'stdfs', '--root', missing])
  t.is(a.stderr, `anyfs: cannot open the stdfs backend: ENOENT: no such file or directory, open '${missing}'\n`)
  t.is(a.status, 1)
  const file = join(dir, 'file')
  writeFileSync(file, '')
  const b = await sh(t, 'pwd', ['--backend', 'vrootfs', '--root', file])
  t.is(b.stderr, `anyfs: cannot open the vrootfs backend: ENOTDIR: not a directory, open '${file}'\n`)
  t.is(b.status, 1)
})

/** A host tree: files (one binary, one large enough to stream), a nested directory, a link. */
function hostTree(dir: string): string {
  const root = join(dir, 'src tree')
  mkdirSync(join(root, 'nested', 'deeper'), { recursive: true })
  writeFileSync(join(root, 'a.txt'), 'alpha\n')
  writeFileSync(join(root, 'nested', 'bin.dat'), Buffer.from([0, 1, 2, 255, 254]))
  writeFileSync(join(root, 'nested', 'deeper', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 7))
  symlinkSync('a.txt', join(root, 'link'))
  return root
}

test('put copies a host tree into the store: files, binary, streamed large files, links as links', async (t) => {
  const dir = tempDir(t)
  hostTree(dir)
  const r = await sh(t, "mkdir /in; put 'src tree' /in; tree /in; cat '/in/src tree/link'; stat '/in/src tree/nested/deeper/big.bin'", [], { cwd: dir })
  t.is(r.stderr, '')
  t.true(
    r.stdout.startsWith(
      "/in\n└── src tree\n    ├── a.txt\n    ├── link -> a.txt\n    └── nested\n        ├── bin.dat\n        └── deeper\n            └── big.bin\n\n3 directories, 4 files\nalpha\n",
    ),
  )
  t.regex(r.stdout, /type=file size=3145728 /)
  t.is(r.status, 0)
})

test('cat to a pipe passes binary contents through byte for byte', async (t) => {
  const dir = tempDir(t)
  const bytes = Buffer.from([0, 1, 2, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x0a])
  writeFileSync(join(dir, 'b.bin'), bytes)
  const r = await sh(t, 'put b.bin /b.bin; cat /b.bin', [], { cwd: dir })
  t.deepEqual(r.bytes, bytes)
  t.is(r.status, 0)
})

test('put of a single file: into a directory, to a new name, over an existing file', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'f.txt'), 'one\n')
  const r = await sh(t, 'mkdir /d; put f.txt /d; put f.txt /g.txt; write /h.txt old; put f.txt /h.txt; put f.txt; cat /d/f.txt /g.txt /h.txt /f.txt', [], { cwd: dir })
  t.is(r.stdout, 'one\none\none\none\n')
  t.is(r.status, 0)
})

test('put errors: a missing host path, a missing store directory', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'f'), 'x')
  const r = await sh(t, 'put nope /x; put f /no/where', [], { cwd: dir })
  t.is(r.stderr, `put: ENOENT: no such file or directory, put '${join(dir, 'nope')}'\nput: ENOENT: no such file or directory, put '/no/where'\n`)
  t.is(r.status, 1)
})

test('get copies a store tree to the host, and a round trip keeps every byte', async (t) => {
  const dir = tempDir(t)
  const src = hostTree(dir)
  const r = await sh(t, "put 'src tree' /t; get /t back", [], { cwd: dir })
  t.is(r.stderr, '')
  t.is(r.status, 0)
  const back = join(dir, 'back')
  t.is(readFileSync(join(back, 'a.txt'), 'utf8'), 'alpha\n')
  t.deepEqual(readFileSync(join(back, 'nested', 'bin.dat')), readFileSync(join(src, 'nested', 'bin.dat')))
  t.deepEqual(readFileSync(join(back, 'nested', 'deeper', 'big.bin')), readFileSync(join(src, 'nested', 'deeper', 'big.bin')))
  t.true(lstatSync(join(back, 'link')).isSymbolicLink())
  t.is(readlinkSync(join(back, 'link')), 'a.txt')
  // Into an existing directory: under the source's name.
  const again = await sh(t, 'write /one.txt 1; get /one.txt back', [], { cwd: dir })
  t.is(again.status, 0)
  t.is(readFileSync(join(back, 'one.txt'), 'utf8'), '1\n')
})

test('get never replaces a host file without -f, and -f replaces a link without writing through it', async (t) => {
  const dir = tempDir(t)
  const victim = join(dir, 'victim.txt')
  writeFileSync(victim, 'precious')
  writeFileSync(join(dir, 'existing.txt'), 'old')
  symlinkSync(victim, join(dir, 'trap.txt'))
  const refused = await sh(t, 'write /f new; get /f existing.txt; get /f trap.txt', [], { cwd: dir })
  t.is(
    refused.stderr,
    `get: EEXIST: file already exists, get '${join(dir, 'existing.txt')}'\nget: EEXIST: file already exists, get '${join(dir, 'trap.txt')}'\n`,
  )
  t.is(refused.status, 1)
  t.is(readFileSync(join(dir, 'existing.txt'), 'utf8'), 'old')
  const forced = await sh(t, 'write /f new; get -f /f existing.txt; get -f /f trap.txt', [], { cwd: dir })
  t.is(forced.status, 0)
  t.is(readFileSync(join(dir, 'existing.txt'), 'utf8'), 'new\n')
  t.false(lstatSync(join(dir, 'trap.txt')).isSymbolicLink())
  t.is(readFileSync(join(dir, 'trap.txt'), 'utf8'), 'new\n')
  t.is(readFileSync(victim, 'utf8'), 'precious')
})

test('get errors: a missing store path', async (t) => {
  const r = await sh(t, 'get /nope')
  t.is(r.stderr, "get: ENOENT: no such file or directory, get '/nope'\n")
  t.is(r.status, 1)
})

test('mount says plainly when mounting is unavailable; unmount with nothing mounted fails', async (t) => {
  const dir = tempDir(t)
  const state = mountState()
  const r = await sh(t, `unmount; mount; mount ${join(dir, 'mnt')}`)
  t.true(r.stderr.startsWith('unmount: nothing is mounted\n'))
  if (state === 'none') {
    t.is(r.stderr, 'unmount: nothing is mounted\nmount: mounting is not available in this build (it has no FUSE support)\n')
  } else if (state === 'unavailable') {
    t.is(r.stderr, 'unmount: nothing is mounted\nmount: mounting is not available on this machine (FUSE is missing: install fuse3)\n')
  } else {
    // A mount point that does not exist: the mount layer's own error, reported, not fatal.
    t.regex(r.stderr, /^unmount: nothing is mounted\nmount: \S/)
  }
  t.is(r.status, 1)
  t.is(r.stdout, '')
})

test('a script file given as the argument runs like stdin', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'script.anyfs'), '#!/usr/bin/env anyfs\nmkdir /x # a comment\nls\n\n   \necho done\n')
  const r = await anyfs(t, ['script.anyfs'], { cwd: dir })
  t.is(r.stdout, 'x\ndone\n')
  t.is(r.status, 0)
  const missing = await anyfs(t, ['nope.anyfs'], { cwd: dir })
  t.is(missing.stderr, "anyfs: cannot read the script: ENOENT: no such file or directory, open 'nope.anyfs'\n")
  t.is(missing.status, 1)
})
