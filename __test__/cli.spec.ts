// The `anyfs` command through pipes: every command, its errors (message and exit status), and
// the scripting rules (stdin without a prompt, -c, ';', exit statuses, -e).

import { spawn } from 'node:child_process'
import { join } from 'node:path'

import test from 'ava'

import { MAIN, anyfs, sh } from './cli-helpers'

const SETUP = "mkdir -p /docs/sub; write /hello.txt Hello!; write /docs/a.txt alpha; write '/docs/my notes.txt' spaced out"

test('-c runs commands separated by ; and exits 0 when all succeed', async (t) => {
  const r = await sh(t, `${SETUP}; ls; cat /hello.txt; pwd`)
  t.is(r.stderr, '')
  t.is(r.stdout, 'docs\nhello.txt\nHello!\n/\n')
  t.is(r.status, 0)
})

test('commands piped on stdin run in order, without a prompt', async (t) => {
  const r = await anyfs(t, [], { input: `${SETUP.replace(/; /g, '\n')}\ncd docs\npwd\nls\n` })
  t.is(r.stderr, '')
  t.is(r.stdout, '/docs\na.txt\nmy notes.txt\nsub\n')
  t.is(r.status, 0)
})

test('a script keeps going after a failure and exits with the last failure status', async (t) => {
  const r = await anyfs(t, [], { input: 'cat /missing\nls -x\necho still here\n' })
  t.is(r.stdout, 'still here\n')
  t.is(r.stderr, "cat: ENOENT: no such file or directory, cat '/missing'\nls: unknown option '-x'\nusage: ls [-l] [-a] [path ...]\n")
  t.is(r.status, 2)
})

test('-e stops at the first failing command with its status', async (t) => {
  const r = await anyfs(t, ['-e'], { input: 'echo one\ncat /missing\necho two\n' })
  t.is(r.stdout, 'one\n')
  t.is(r.status, 1)
})

test('exit N exits with N and runs nothing after it; exit alone keeps the status so far', async (t) => {
  const a = await anyfs(t, [], { input: 'echo one\nexit 7\necho two\n' })
  t.is(a.stdout, 'one\n')
  t.is(a.status, 7)
  const b = await sh(t, 'cat /nope; exit; echo unreachable')
  t.is(b.stdout, '')
  t.is(b.status, 1)
  const c = await sh(t, 'quit 0')
  t.is(c.status, 0)
  const d = await sh(t, 'exit 256')
  t.is(d.stderr, "exit: status must be a number from 0 to 255, got '256'\nusage: exit [status]\n")
  t.is(d.status, 2)
})

test('unknown commands, bad options and missing operands are reported, never fatal', async (t) => {
  const r = await anyfs(t, [], { input: 'frobnicate x\nmkdir\ncp /a\nrm --force /a\npwd extra\necho alive\n' })
  t.is(r.stdout, 'alive\n')
  t.is(
    r.stderr,
    [
      'frobnicate: command not found (type help for the list)',
      'mkdir: missing operand',
      'usage: mkdir [-p] path ...',
      'cp: needs at least 2 operands',
      'usage: cp [-r] source ... destination',
      "rm: unknown option '--force'",
      'usage: rm [-r] [-f] path ...',
      'pwd: takes no operands',
      'usage: pwd',
      '',
    ].join('\n'),
  )
  t.is(r.status, 2)
})

test('an unknown command alone exits 127', async (t) => {
  const r = await sh(t, 'nope')
  t.is(r.status, 127)
})

test('quoting: single, double, backslash; ; inside quotes; # comments', async (t) => {
  const r = await sh(t, `echo 'a  b' "c \\"d\\" \\\\ e" f\\ g 'h;i' "it's" # ignored; echo not run`)
  t.is(r.stdout, 'a  b c "d" \\ e f g h;i it\'s\n')
  t.is(r.status, 0)
})

test('an unterminated quote is a syntax error and runs nothing of the line', async (t) => {
  const r = await anyfs(t, [], { input: "echo 'open\necho next\necho trailing\\\n" })
  t.is(r.stdout, 'next\n')
  t.is(r.stderr, 'anyfs: syntax error: unterminated single quote\nanyfs: syntax error: the line ends with a backslash\n')
  t.is(r.status, 2)
})

test('names with spaces work in every command', async (t) => {
  const r = await sh(
    t,
    `mkdir 'my dir'; write "my dir/a file.txt" x; cp my\\ dir/'a file.txt' 'my dir/copy 2.txt'; mv 'my dir' "your dir"; ls 'your dir'; cat your\\ dir/copy\\ 2.txt; rm -r 'your dir'; ls`,
  )
  t.is(r.stderr, '')
  t.is(r.stdout, 'a file.txt\ncopy 2.txt\nx\n')
})

test('ls: one name a line to a pipe, files, several targets with headers, errors', async (t) => {
  const r = await sh(t, `${SETUP}; ls /docs; ls /hello.txt; ls /docs/sub /hello.txt /docs; ls /nope`)
  t.is(r.stdout, 'a.txt\nmy notes.txt\nsub\n/hello.txt\n/hello.txt\n\n/docs/sub:\n\n/docs:\na.txt\nmy notes.txt\nsub\n')
  t.is(r.stderr, "ls: ENOENT: no such file or directory, ls '/nope'\n")
  t.is(r.status, 1)
})

test('ls -l: mode, links, owner, size, time, name, symlink target', async (t) => {
  const r = await sh(t, `${SETUP}; chmod 600 /hello.txt; ln -s /hello.txt /link; ls -l /`)
  const lines = r.stdout.trimEnd().split('\n')
  t.is(lines.length, 3)
  t.regex(lines[0] ?? '', /^drwxr-xr-x +3 +0 +0 +0 \d{4}-\d\d-\d\d \d\d:\d\d docs$/)
  t.regex(lines[1] ?? '', /^-rw------- +1 +0 +0 +7 \d{4}-\d\d-\d\d \d\d:\d\d hello\.txt$/)
  t.regex(lines[2] ?? '', /^lrwxrwxrwx +1 +0 +0 +10 \d{4}-\d\d-\d\d \d\d:\d\d link -> \/hello\.txt$/)
  t.is(r.status, 0)
})

test('cd and pwd: relative paths, .., symlinks resolved, errors', async (t) => {
  const r = await sh(t, `${SETUP}; ln -s /docs/sub /s; cd docs; pwd; cd sub; pwd; cd ..; pwd; cd /s; pwd; cd; pwd; cd /hello.txt; cd /nope; pwd`)
  t.is(r.stdout, '/docs\n/docs/sub\n/docs\n/docs/sub\n/\n/\n')
  t.is(r.stderr, "cd: ENOTDIR: not a directory, cd '/hello.txt'\ncd: ENOENT: no such file or directory, cd '/nope'\n")
  t.is(r.status, 1)
})

test('cat: text, several files, a directory, a missing file, and bytes passed through a pipe untouched', async (t) => {
  const r = await sh(t, `${SETUP}; cat /hello.txt docs/a.txt; cat /docs; cat /nope`)
  t.is(r.stdout, 'Hello!\nalpha\n')
  t.is(r.stderr, "cat: EISDIR: illegal operation on a directory, cat '/docs'\ncat: ENOENT: no such file or directory, cat '/nope'\n")
  t.is(r.status, 1)
  t.is((await sh(t, 'cat')).status, 2)
})

test('cp: a file, into a directory, a tree with -r (links copied as links), a directory without -r', async (t) => {
  const r = await sh(
    t,
    `${SETUP}; ln -s a.txt /docs/ln; cp /hello.txt /h2; cp /hello.txt /docs/a.txt /docs/sub; cp -r /docs /copy; cp /docs /x; cat /h2; ls /docs/sub; tree /copy`,
  )
  t.is(r.stderr, "cp: -r not given; omitting directory '/docs'\n")
  t.is(
    r.stdout,
    'Hello!\na.txt\nhello.txt\n/copy\n├── a.txt\n├── ln -> a.txt\n├── my notes.txt\n└── sub\n    ├── a.txt\n    └── hello.txt\n\n1 directory, 5 files\n',
  )
  t.is(r.status, 1)
  const e = await sh(t, 'cp /nope /x; write /a x; cp /a /b /c')
  t.is(e.stderr, "cp: ENOENT: no such file or directory, cp '/nope' -> '/x'\ncp: ENOTDIR: not a directory, cp '/c'\n")
})

test('cp -r of a directory into itself copies what was there and ends', async (t) => {
  const r = await sh(t, 'mkdir -p /a/b; write /a/f x; cp -r /a /a/b; tree /a')
  t.is(r.stdout, '/a\n├── b\n│   └── a\n│       ├── b\n│       └── f\n└── f\n\n3 directories, 2 files\n')
  t.is(r.status, 0)
})

test('mv: rename, into a directory, errors', async (t) => {
  const r = await sh(t, `${SETUP}; mv /hello.txt /hi.txt; mv /hi.txt /docs; ls /docs; mv /nope /x`)
  t.is(r.stdout, 'a.txt\nhi.txt\nmy notes.txt\nsub\n')
  t.is(r.stderr, "mv: ENOENT: no such file or directory, mv '/nope' -> '/x'\n")
  t.is(r.status, 1)
})

test('rm: files, links (not their targets), -r trees, -f, errors, and never the root', async (t) => {
  const r = await sh(t, `${SETUP}; ln -s /docs /d; rm /d; ls /docs; rm /docs; rm -r /docs; rm -f /nope; rm /nope; rm -r /; ls`)
  t.is(r.stdout, 'a.txt\nmy notes.txt\nsub\nhello.txt\n')
  t.is(
    r.stderr,
    "rm: EISDIR: illegal operation on a directory, rm '/docs'\nrm: ENOENT: no such file or directory, rm '/nope'\nrm: refusing to remove the root directory '/'\n",
  )
  t.is(r.status, 1)
})

test('mkdir, mkdir -p, rmdir and their errors', async (t) => {
  const r = await sh(t, 'mkdir /a; mkdir /a; mkdir /x/y; mkdir -p /x/y /a; rmdir /x; rmdir /x/y; rmdir /nope; ls')
  t.is(r.stdout, 'a\nx\n')
  t.is(
    r.stderr,
    [
      "mkdir: EEXIST: file already exists, mkdir '/a'",
      "mkdir: ENOENT: no such file or directory, mkdir '/x/y'",
      "rmdir: ENOTEMPTY: directory not empty, rmdir '/x'",
      "rmdir: ENOENT: no such file or directory, rmdir '/nope'",
      '',
    ].join('\n'),
  )
  t.is(r.status, 1)
})

test('touch, write, append', async (t) => {
  const r = await sh(t, 'touch /e; write /f one  two; append /f three; append /f; write /g; cat /e /f /g; stat /e /g')
  t.is(r.stdout.split('\n').slice(0, 2).join('\n'), 'one two\nthree')
  t.regex(r.stdout, /\/e: type=file size=0 /)
  t.regex(r.stdout, /\/g: type=file size=0 /)
  t.is(r.status, 0)
  const e = await sh(t, 'write /nope/f x')
  t.is(e.stderr, "write: ENOENT: no such file or directory, write '/nope/f'\n")
  t.is(e.status, 1)
})

test('stat: the seed fields, symlinks not followed, errors', async (t) => {
  const r = await sh(t, `${SETUP}; ln -s '/docs/my notes.txt' /l; stat docs; stat /l; stat /nope`)
  const [dir, link] = r.stdout.split('\n')
  t.regex(dir ?? '', /^type=dir size=0 mode=0755 inode=\d+ links=3 uid=0 gid=0 modified=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ accessed=\S+ changed=\S+ created=\S+$/)
  t.regex(link ?? '', /^type=symlink target='\/docs\/my notes.txt' size=18 mode=0777 /)
  t.is(r.stderr, "stat: ENOENT: no such file or directory, stat '/nope'\n")
  t.is(r.status, 1)
})

test('tree: nested directories, links shown not followed, counts', async (t) => {
  const r = await sh(t, `${SETUP}; ln -s /docs /docs/sub/loop; tree; tree /docs/sub; tree /nope`)
  t.is(
    r.stdout,
    '.\n├── docs\n│   ├── a.txt\n│   ├── my notes.txt\n│   └── sub\n│       └── loop -> /docs\n└── hello.txt\n\n2 directories, 4 files\n' +
      '/docs/sub\n└── loop -> /docs\n\n0 directories, 1 file\n',
  )
  t.is(r.stderr, "tree: ENOENT: no such file or directory, tree '/nope'\n")
})

test('ln: hard links share the inode, -s stores the target as written, into a directory', async (t) => {
  const r = await sh(t, `${SETUP}; ln /hello.txt /hard; ln -s ../hello.txt /docs/rel; ln -s /hello.txt /docs/sub; stat /hard; cat /docs/rel; ls /docs/sub; ln /nope /x`)
  t.regex(r.stdout, /^type=file size=7 mode=0644 inode=\d+ links=2 /)
  t.true(r.stdout.endsWith('Hello!\nhello.txt\n'))
  t.is(r.stderr, "ln: ENOENT: no such file or directory, ln '/nope' -> '/x'\n")
  t.is(r.status, 1)
})

test('chmod: octal modes; a bad mode is a usage error', async (t) => {
  const r = await sh(t, 'write /f x; chmod 0750 /f; stat /f; chmod u+x /f; chmod 644 /nope')
  t.regex(r.stdout, /^type=file size=2 mode=0750 /)
  t.is(r.stderr, "chmod: invalid mode 'u+x' (an octal number such as 644)\nusage: chmod mode path ...\nchmod: ENOENT: no such file or directory, chmod '/nope'\n")
  t.is(r.status, 1)
})

test('df: space and inodes from statfs', async (t) => {
  const r = await sh(t, 'write /f 12345; df')
  t.regex(r.stdout, /^size       1\.0 TiB \(1099511627776 bytes\)\nused       6 B \(6 bytes\) \(0\.0%\)\navailable  1\.0 TiB \(1099511627770 bytes\)\ninodes     2 used, \d+ available, \d+ total\nblock size 4096 bytes\nmax name   255 bytes\n$/)
  t.is((await sh(t, 'df /')).status, 2)
})

test('stack: the backend alone by default', async (t) => {
  const r = await sh(t, 'stack')
  t.is(r.stdout, 'FileStorage  symlink-aware path resolution (every command goes through it)\nmem          in memory\n')
})

test('help lists every command; help NAME shows its usage', async (t) => {
  const all = await sh(t, 'help')
  for (const name of ['ls', 'cd', 'pwd', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'stat', 'help', 'exit', 'tree', 'df', 'ln', 'put', 'get', 'mount', 'unmount']) {
    t.regex(all.stdout, new RegExp(`^  ${name} `, 'm'), name)
  }
  const one = await sh(t, 'help rm; help umount; help nope')
  t.is(one.stdout, 'usage: rm [-r] [-f] path ...\nremove files and links (-r: directory trees, -f: ignore missing paths)\nusage: unmount [mountpoint] (also: umount)\nunmount what mount mounted (the only mount, when there is one)\n')
  t.is(one.stderr, 'help: no such command: nope\nusage: help [command]\n')
})

test('names with control characters are shown escaped, never sent to the terminal raw', async (t) => {
  const r = await sh(t, `mkdir /d; write '/d/a\u001b[31mred' x; ls /d; cat '/d/b\u0007'`)
  t.is(r.stdout, 'a\\x1b[31mred\n')
  t.is(r.stderr, "cat: ENOENT: no such file or directory, cat '/d/b\\x07'\n")
})

test('an empty path operand is ENOENT, as in sh', async (t) => {
  const r = await sh(t, "cat ''")
  t.is(r.stderr, "cat: ENOENT: no such file or directory, cat ''\n")
  t.is(r.status, 1)
})

test('a reader that goes away (EPIPE) ends the shell quietly', async (t) => {
  const child = spawn(process.execPath, [MAIN, '-c', Array.from({ length: 200 }, () => 'help').join('; ')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  child.stdout.once('data', () => child.stdout.destroy())
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  t.is(stderr, '')
  t.is(status, 0)
})

test('--help, --version, and bad command lines (status 2)', async (t) => {
  const help = await anyfs(t, ['--help'])
  t.regex(help.stdout, /^Usage: anyfs \[options\] \[script\]/)
  t.is(help.status, 0)
  const version = await anyfs(t, ['-V'])
  t.regex(version.stdout, /^anyfs \d+\.\d+\.\d+/)
  const bad = await anyfs(t, ['--nope'])
  t.regex(bad.stderr, /^anyfs: Unknown option '--nope'/)
  t.regex(bad.stderr, /Try 'anyfs --help'\.\n$/)
  t.is(bad.status, 2)
  const two = await anyfs(t, ['a', 'b'])
  t.is(two.stderr, "anyfs: one script file at most (got 2 arguments)\nTry 'anyfs --help'.\n")
  t.is(two.status, 2)
  const both = await anyfs(t, ['-c', 'pwd', 'script'])
  t.is(both.stderr, "anyfs: give either -c COMMANDS or a script file, not both\nTry 'anyfs --help'.\n")
})

test('-v shows each line after the prompt before running it', async (t) => {
  const r = await anyfs(t, ['-v'], { input: 'mkdir /d\n\n# only a comment\ncd /d; pwd\n' })
  t.is(r.stdout, 'anyfs:/ > mkdir /d\nanyfs:/ > cd /d; pwd\n/d\n')
  t.is(r.status, 0)
})

test('the quick start demo (npm start) runs cleanly', async (t) => {
  const r = await anyfs(t, ['-v', join(__dirname, '..', 'examples', 'demo.anyfs')])
  t.is(r.stderr, '')
  t.is(r.status, 0)
  t.true(r.stdout.includes('anyfs:/docs/2024 > cat "meeting notes.txt"\nBudget approved; ship it.\n'))
  t.true(r.stdout.includes('5 directories, 5 files\n'))
})
