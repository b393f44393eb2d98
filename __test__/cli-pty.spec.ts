// The `anyfs` command on a pseudo-terminal (python3's pty module): the prompt, tab completion,
// history (up arrow, and kept in $ANYFS_HISTORY between sessions), Ctrl-C, Ctrl-D, terminal
// safety of cat, columns in ls, and the progress bar of large copies.

import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import test from 'ava'

import { KEY, Pty, mountState, tempDir } from './cli-helpers'

const PROMPT = 'anyfs:/ > '

/** Types `line` and Enter, then waits for the next prompt; returns what came before it. */
async function run(pty: Pty, line: string, prompt = PROMPT): Promise<string> {
  pty.send(line + KEY.enter)
  const out = await pty.expect(prompt)
  return out.slice(0, -prompt.length)
}

test('prompt, commands, the working directory in the prompt, Ctrl-D ends with status 0', async (t) => {
  const pty = new Pty(t, [])
  await pty.expect(PROMPT)
  await run(pty, 'mkdir -p /docs/sub')
  const out = await run(pty, 'cd /docs/sub', 'anyfs:/docs/sub > ')
  t.true(out.includes('cd /docs/sub'))
  const pwd = await run(pty, 'pwd', 'anyfs:/docs/sub > ')
  t.true(pwd.endsWith('pwd\n/docs/sub\n'))
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})

test('tab completes command names, store paths, names with spaces, directories', async (t) => {
  const pty = new Pty(t, [])
  await pty.expect(PROMPT)
  await run(pty, "mkdir /docs; write /hello.txt hi; write '/my notes.txt' spaced")
  pty.send(`pw${KEY.tab}`)
  await pty.expect('pwd ')
  pty.send(KEY.enter)
  await pty.expect(`/\n${PROMPT}`)
  pty.send(`cat he${KEY.tab}`)
  await pty.expect('cat hello.txt ')
  t.true((await run(pty, '')).endsWith('hi\n'))
  pty.send(`cat my${KEY.tab}`)
  await pty.expect('cat my\\ notes.txt ')
  t.true((await run(pty, '')).endsWith('spaced\n'))
  pty.send(`cat 'my${KEY.tab}`)
  await pty.expect("cat 'my notes.txt' ")
  t.true((await run(pty, '')).endsWith('spaced\n'))
  pty.send(`cd d${KEY.tab}`)
  await pty.expect('cd docs/')
  await run(pty, '', 'anyfs:/docs > ')
  // Several candidates: the first Tab adds their common part, a second one lists them, as in bash.
  await run(pty, 'write alpha.txt 1; write alpine.txt 2', 'anyfs:/docs > ')
  pty.send(`cat al${KEY.tab}`)
  await pty.expect('cat alp')
  pty.send(KEY.tab)
  await pty.expect(/alpha\.txt\s+alpine\.txt/)
  pty.send(KEY.ctrlC)
  await pty.expect('anyfs:/docs > ')
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})

test('tab completes host paths for put', async (t) => {
  const cwd = tempDir(t)
  writeFileSync(join(cwd, 'hostfile.txt'), 'from host\n')
  const pty = new Pty(t, [], { cwd })
  await pty.expect(PROMPT)
  pty.send(`put hostf${KEY.tab}`)
  await pty.expect('put hostfile.txt ')
  await run(pty, '/copied.txt')
  t.true((await run(pty, 'cat /copied.txt')).endsWith('from host\n'))
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})

test('history: the up arrow brings back the last line, and it is kept in $ANYFS_HISTORY', async (t) => {
  const file = join(tempDir(t), 'history')
  const first = new Pty(t, [], { env: { ANYFS_HISTORY: file } })
  await first.expect(PROMPT)
  await run(first, 'echo remembered')
  first.send(KEY.up)
  await first.expect('echo remembered')
  t.true((await run(first, '')).endsWith('remembered\n'))
  first.send(`exit${KEY.enter}`)
  t.is(await first.exited, 0)
  t.is(readFileSync(file, 'utf8'), 'echo remembered\nexit\n')

  const second = new Pty(t, [], { env: { ANYFS_HISTORY: file } })
  await second.expect(PROMPT)
  second.send(KEY.up + KEY.up)
  await second.expect('echo remembered')
  t.true((await run(second, '')).endsWith('remembered\n'))
  second.send(KEY.ctrlD)
  t.is(await second.exited, 0)
})

test('Ctrl-C drops the line being typed; the shell goes on', async (t) => {
  const pty = new Pty(t, [])
  await pty.expect(PROMPT)
  pty.send('echo typed')
  await pty.expect('echo typed')
  pty.send(KEY.ctrlC)
  await pty.expect(`^C\n${PROMPT}`)
  const out = await run(pty, 'echo after')
  t.true(out.endsWith('after\n'))
  t.false(/^typed$/m.test(pty.text))
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})

test('cat refuses binary and control characters on a terminal; errors keep the shell; status at the end', async (t) => {
  const cwd = tempDir(t)
  writeFileSync(join(cwd, 'bin.dat'), Buffer.from([0, 1, 2, 255]))
  writeFileSync(join(cwd, 'esc.txt'), 'red \u001b[31mtext\n')
  const pty = new Pty(t, [], { cwd })
  await pty.expect(PROMPT)
  await run(pty, 'put bin.dat /bin.dat; put esc.txt /esc.txt; write /ok.txt fine')
  const bin = await run(pty, 'cat /bin.dat')
  t.true(bin.includes("cat: '/bin.dat' is not UTF-8 text (4 bytes): not printed to a terminal (redirect the output, or copy it out with get)"))
  const esc = await run(pty, 'cat /esc.txt')
  t.true(esc.includes("cat: '/esc.txt' holds terminal control characters (14 bytes)"))
  t.false(pty.raw.includes('\u001b[31m'))
  t.true((await run(pty, 'cat /ok.txt')).endsWith('fine\n'))
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 1)
})

test('ls on a terminal prints columns, quoting names that need it', async (t) => {
  const pty = new Pty(t, [])
  await pty.expect(PROMPT)
  await run(pty, "write /a.txt 1; write '/my notes.txt' 2; mkdir /sub")
  const out = await run(pty, 'ls')
  t.regex(out, /\na\.txt +'my notes\.txt' +sub\n$/)
  pty.send(`exit 3${KEY.enter}`)
  t.is(await pty.exited, 3)
})

test('output without a final newline does not swallow the prompt', async (t) => {
  const cwd = tempDir(t)
  writeFileSync(join(cwd, 'partial.txt'), 'no newline')
  const pty = new Pty(t, [], { cwd })
  await pty.expect(PROMPT)
  await run(pty, 'put partial.txt /p')
  const out = await run(pty, 'cat /p')
  t.true(out.endsWith('no newline\n'))
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})

test('put of a large tree shows a progress bar on the terminal, then erases it', async (t) => {
  const cwd = tempDir(t)
  const tree = join(cwd, 'many')
  mkdirSync(tree)
  for (let i = 0; i < 150; i++) writeFileSync(join(tree, `f${String(i).padStart(3, '0')}.txt`), `file ${i}\n`)
  const pty = new Pty(t, [], { cwd })
  await pty.expect(PROMPT)
  await run(pty, 'put many /many')
  t.regex(pty.raw, /put \[[#-]{24}\] +\d+% +\d+\/150 files/)
  t.true(pty.raw.includes('\r\u001b[K'))
  const count = await run(pty, 'tree /many')
  t.true(count.endsWith('0 directories, 150 files\n'))
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})

// Runs only where this build has mounting and the machine has FUSE.
;(mountState() === 'available' ? test : test.skip)('mount serves the store on a host directory until unmount', async (t) => {
  const mnt = tempDir(t, 'anyfs-mnt-')
  const pty = new Pty(t, [])
  // Registered last, so it runs first: never leave a mount behind, even when the test fails.
  t.teardown(() => {
    spawnSync('fusermount3', ['-u', '-z', mnt], { stdio: 'ignore' })
  })
  await pty.expect(PROMPT)
  await run(pty, "write /hello.txt 'through fuse'")
  t.true((await run(pty, `mount ${mnt}`)).includes(`mounted on ${mnt}`))
  t.is(await readFile(join(mnt, 'hello.txt'), 'utf8'), 'through fuse\n')
  await writeFile(join(mnt, 'from-host.txt'), 'hi\n')
  t.true((await run(pty, 'cat /from-host.txt')).endsWith('hi\n'))
  t.true((await run(pty, 'mount')).endsWith(`${mnt}\n`))
  await run(pty, 'unmount')
  t.deepEqual(await readdir(mnt), [])
  pty.send(KEY.ctrlD)
  t.is(await pty.exited, 0)
})
