// The `anyfs` command's TOML configuration: each layer type at work through the shell, and
// every kind of mistake reported with the file and the key (exit status 2).

import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import test from 'ava'

import { sh, tempDir } from './cli-helpers'

const EXAMPLE = join(__dirname, '..', 'examples', 'sandbox.toml')

/** Writes `toml` to a config file in a fresh temporary directory and returns its path. */
function config(t: Parameters<typeof tempDir>[0], toml: string): string {
  const file = join(tempDir(t), 'anyfs.toml')
  writeFileSync(file, toml)
  return file
}

test('the example sandbox: starts in /workspace, filters paths, limits, restricts', async (t) => {
  const r = await sh(t, 'pwd; write a.py "print(1)"; write .env SECRET; cat a.py; ls /; ln a.py b.py; ls; stack', ['--config', EXAMPLE])
  t.is(
    r.stdout,
    '/workspace\nprint(1)\na.py\n' +
      'FileStorage   symlink-aware path resolution (every command goes through it)\n' +
      'restrictions  denied: permission changes, hard links\n' +
      'rate_limit    1000 operations per 1000 ms, bursts of 1000\n' +
      'path_filter   allow /workspace/**, deny **/.env, deny **/secrets/**\n' +
      'quota         9 B used of 50.0 MiB, 2 nodes of 10000, files up to 5.0 MiB\n' +
      'mem           in memory, capacity 256.0 MiB\n',
  )
  t.is(
    r.stderr,
    [
      "write: EACCES: permission denied, write '/workspace/.env' (access denied: /workspace/.env (pattern_blocked))",
      "ls: EACCES: permission denied, ls '/' (access denied: / (path_denied))",
      "ln: EPERM: operation not permitted, ln '/workspace/a.py' -> '/workspace/b.py' (hard_link: feature not enabled: hard_links)",
      '',
    ].join('\n'),
  )
  t.is(r.status, 1)
})

test('quota: ENOSPC with the limit, and df reports it', async (t) => {
  const file = config(t, '[[layer]]\ntype = "quota"\nmax_total_size = "1 KiB"\n')
  const r = await sh(t, 'write /a small; write /b ' + 'x'.repeat(2000) + '; df', ['--config', file])
  t.is(r.stderr, "write: ENOSPC: no space left on device, write '/b' (quota exceeded: limit 1024, requested 2001, usage 6)\n")
  t.regex(r.stdout, /^size       1\.0 KiB \(1024 bytes\)\nused       6 B /)
  t.is(r.status, 1)
})

test('read_only: every change refused with EROFS, reads work', async (t) => {
  const file = config(t, '[[layer]]\ntype = "read_only"\n')
  const r = await sh(t, 'mkdir /d; ls /; stat /', ['--config', file])
  t.is(r.stderr, "mkdir: EROFS: read-only file system, mkdir '/d'\n")
  t.regex(r.stdout, /^type=dir /)
})

test('rate_limit: calls beyond the budget fail with EAGAIN', async (t) => {
  const file = config(t, '[[layer]]\ntype = "rate_limit"\nmax_ops = 3\nwindow_ms = 600000\n')
  const r = await sh(t, Array.from({ length: 6 }, (_, i) => `write /f${i} x`).join('; '), ['--config', file])
  t.regex(r.stderr, /^write: EAGAIN: resource temporarily unavailable, write '\/f\d' \(rate limit exceeded: 3 operations per 600s\)$/m)
  t.is(r.status, 1)
})

test('restrictions: denied features fail with EPERM', async (t) => {
  const file = config(t, '[[layer]]\ntype = "restrictions"\ndeny_symlinks = true\n')
  const r = await sh(t, 'write /a x; ln -s /a /l; ln /a /h; ls', ['--config', file])
  t.regex(r.stderr, /^ln: EPERM: operation not permitted, ln '\/a' -> '\/l'/)
  t.is(r.stdout, 'a\nh\n')
})

test('tracing: one line per operation on stderr, before the failure it belongs to', async (t) => {
  const file = config(t, '[[layer]]\ntype = "tracing"\nlevel = "info"\n')
  const r = await sh(t, 'mkdir /d; cat /nope', ['--config', file])
  t.regex(r.stderr, /^trace: createDir \/d ok \d+\.\d{3} ms\ntrace: read \/nope ENOENT \d+\.\d{3} ms\ncat: ENOENT: no such file or directory, cat '\/nope'\n$/)
})

test('dry_run: changes are recorded, not applied, and stack -v lists them', async (t) => {
  const file = config(t, '[[layer]]\ntype = "dry_run"\n')
  const r = await sh(t, 'mkdir /d; write /a xyz; cat /a; stack -v', ['--config', file])
  t.is(r.stderr, "cat: ENOENT: no such file or directory, cat '/a'\n")
  t.is(
    r.stdout,
    'FileStorage  symlink-aware path resolution (every command goes through it)\n' +
      'dry_run      2 changes recorded, none applied\n' +
      '               createDir /d\n' +
      '               write /a (4 bytes)\n' +
      'mem          in memory\n',
  )
})

test('cache: reads are served from it', async (t) => {
  const file = config(t, '[[layer]]\ntype = "cache"\nmax_entries = 100\nmax_size = "1 MiB"\nttl_ms = 60000\n')
  const r = await sh(t, 'write /a x; cat /a; cat /a; stack', ['--config', file])
  t.regex(r.stdout, /^x\nx\n[^]*\ncache +\d+ entries \([^)]*\), [1-9]\d* hits, \d+ misses\n/)
})

test('overlay: changes land in the upper layer, listed by stack -v', async (t) => {
  const file = config(t, '[[layer]]\ntype = "overlay"\nupper = { type = "mem" }\n')
  const r = await sh(t, 'write /notes.txt draft; stack -v', ['--config', file])
  t.is(
    r.stdout,
    'FileStorage  symlink-aware path resolution (every command goes through it)\n' +
      'overlay      upper mem, 1 changes over the base\n' +
      '               added /notes.txt\n' +
      'mem          in memory\n',
  )
})

test('layers wrap in order: the first wraps the backend, the last is outermost', async (t) => {
  const file = config(t, '[[layer]]\ntype = "read_only"\n\n[[layer]]\ntype = "dry_run"\n')
  const r = await sh(t, 'write /a x; stack', ['--config', file])
  t.is(r.stderr, '')
  t.regex(r.stdout, /^FileStorage .*\ndry_run .*\nread_only .*\nmem /)
})

test('a sqlite backend path is relative to the config file; --backend replaces the config backend', async (t) => {
  const file = config(t, '[backend]\ntype = "sqlite"\npath = "store.db"\nsynchronous = "full"\n\n[[layer]]\ntype = "quota"\nmax_file_size = 100\n')
  const r = await sh(t, 'write /a x; stack', ['--config', file])
  const db = join(file, '..', 'store.db')
  t.true(existsSync(db))
  t.regex(r.stdout, /\nsqlite +database .*store\.db\n$/)
  const other = join(tempDir(t), 'other.db')
  const o = await sh(t, 'stack', ['--config', file, '--backend', 'sqlite', '--db', other])
  t.regex(o.stdout, /\nquota .*\nsqlite +database .*other\.db\n$/)
})

test('a sqlite backend without a path is an in-memory database', async (t) => {
  const file = config(t, '[backend]\ntype = "sqlite"\nchunk_size = "4 KiB"\n')
  const r = await sh(t, 'write /a x; cat /a; stack', ['--config', file])
  t.regex(r.stdout, /^x\n[^]*\nsqlite +in-memory database\n$/)
})

test('host backends from the config: stdfs and vrootfs roots', async (t) => {
  const root = tempDir(t)
  const file = config(t, `[backend]\ntype = "vrootfs"\nroot = ${JSON.stringify(root)}\n`)
  const r = await sh(t, 'write /a x; stack', ['--config', file])
  t.regex(r.stdout, /vrootfs +host directory .* \(contained\)\n$/)
  t.true(existsSync(join(root, 'a')))
})

/** Each bad configuration and the message it must give (after `anyfs: <file>: `). */
const MISTAKES: [string, string, string][] = [
  ['unknown top-level key', 'bogus = 1\n', 'bogus: unknown key in the configuration (top level) (known keys: backend, shell, layer)'],
  ['unknown backend type', '[backend]\ntype = "ftp"\n', 'backend.type: must be one of "mem", "sqlite", "stdfs", "vrootfs", got "ftp"'],
  ['missing backend type', '[backend]\ncapacity = 10\n', 'backend.type: missing: one of "mem", "sqlite", "stdfs", "vrootfs"'],
  ['bad size', '[backend]\ntype = "mem"\ncapacity = "lots"\n', 'backend.capacity: expected a size (a number of bytes, or a string such as "50 MiB"), got the string "lots"'],
  ['unknown backend key', '[backend]\ntype = "mem"\npath = "x"\n', 'backend.path: unknown key in a mem backend (known keys: type, capacity)'],
  ['host backend without root', '[backend]\ntype = "stdfs"\n', 'backend.root: missing: the host directory a stdfs backend serves'],
  ['sqlite durability without a file', '[backend]\ntype = "sqlite"\nsynchronous = "full"\n', 'backend.synchronous: applies only to a database file: set path'],
  ['bad sqlite enum', '[backend]\ntype = "sqlite"\npath = "x.db"\nsynchronous = "sometimes"\n', 'backend.synchronous: must be one of "off", "normal", "full", "extra", got "sometimes"'],
  ['sqlite range (the library check)', '[backend]\ntype = "sqlite"\npage_size = 1000\n', 'backend.page_size: must be a power of two from 512 to 65536 (got 1000)'],
  ['relative cwd', '[shell]\ncwd = "work"\n', 'shell.cwd: must be an absolute store path, got "work"'],
  ['layer not an array of tables', 'layer = 3\n', 'layer: expected an array of tables ([[layer]]), got the number 3'],
  ['layer without type', '[[layer]]\nmax_ops = 1\n', 'layer[0].type: missing: one of "quota", "restrictions", "read_only", "rate_limit", "tracing", "dry_run", "cache", "path_filter", "overlay"'],
  ['unknown layer type', '[[layer]]\ntype = "sandbox"\n', 'layer[0].type: must be one of "quota", "restrictions", "read_only", "rate_limit", "tracing", "dry_run", "cache", "path_filter", "overlay", got "sandbox"'],
  ['unknown layer key', '[[layer]]\ntype = "read_only"\n\n[[layer]]\ntype = "quota"\nmax_totl_size = 1\n', 'layer[1].max_totl_size: unknown key in a quota layer (known keys: type, max_total_size, max_file_size, max_node_count, max_dir_entries, max_path_depth)'],
  ['negative size', '[[layer]]\ntype = "quota"\nmax_total_size = -1\n', 'layer[0].max_total_size: expected a size (a number of bytes, or a string such as "50 MiB"), got the number -1'],
  ['fraction (the library check)', '[[layer]]\ntype = "quota"\nmax_node_count = 1.5\n', 'layer[0].max_node_count: must be an integer >= 0 && <= 9007199254740991 (got 1.5)'],
  ['out of range (the library check)', '[[layer]]\ntype = "rate_limit"\nmax_ops = 0\n', 'layer[0].max_ops: must be an integer >= 1 && <= 4294967295 (got 0)'],
  ['wrong type (the library check)', '[[layer]]\ntype = "restrictions"\ndeny_symlinks = "yes"\n', "layer[0].deny_symlinks: must be of type boolean (got type string ('yes'))"],
  ['bad enum (the library check)', '[[layer]]\ntype = "tracing"\nlevel = "loud"\n', 'layer[0].level: must be one of trace, debug, info, warn, error (got loud)'],
  ['patterns not an array', '[[layer]]\ntype = "path_filter"\nallow = "/x"\n', 'layer[0].allow: expected an array of strings, got the string "/x"'],
  ['bad glob', '[[layer]]\ntype = "path_filter"\nallow = ["/ok/**"]\ndeny = [1]\n', 'layer[0].deny[0]: expected a string, got the number 1'],
  ['overlay upper not a table', '[[layer]]\ntype = "overlay"\nupper = "mem"\n', 'layer[0].upper: expected a table, got the string "mem"'],
  ['overlay upper backend key', '[[layer]]\ntype = "overlay"\nupper = { type = "mem", size = 1 }\n', 'layer[0].upper.size: unknown key in a mem backend (known keys: type, capacity)'],
]

for (const [what, toml, message] of MISTAKES) {
  test(`config mistake names the key: ${what}`, async (t) => {
    const file = config(t, toml)
    const r = await sh(t, 'echo never', ['--config', file])
    t.is(r.stderr, `anyfs: ${file}: ${message}\n`)
    t.is(r.stdout, '')
    t.is(r.status, 2)
  })
}

test('config mistake: an invalid glob is reported with the library reason', async (t) => {
  const file = config(t, '[[layer]]\ntype = "path_filter"\nallow = ["/ok/**", "/bad/[**"]\n')
  const r = await sh(t, 'pwd', ['--config', file])
  t.regex(r.stderr, /^anyfs: .*: layer\[0\]\.allow\[1\]: is not a valid glob pattern \(.*unclosed character class.*\)/)
  t.is(r.status, 2)
})

test('config mistake: a TOML syntax error gives line, column and the spot', async (t) => {
  const file = config(t, 'a = 1\nb = [1,\nc = \n')
  const r = await sh(t, 'pwd', ['--config', file])
  t.regex(r.stderr, new RegExp(`^anyfs: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: Invalid TOML document: `))
  t.regex(r.stderr, /\n\d+: +b = \[1,\n/)
  t.is(r.status, 2)
})

test('config mistake: a missing file', async (t) => {
  const file = join(tempDir(t), 'missing.toml')
  const r = await sh(t, 'pwd', ['--config', file])
  t.is(r.stderr, `anyfs: cannot read the configuration: ENOENT: no such file or directory, open '${file}'\n`)
  t.is(r.status, 2)
})
