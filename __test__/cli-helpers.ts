// Helpers of the `anyfs` command's specs: run the built command as a child process, through
// pipes or through a pseudo-terminal (python3's pty module: no native npm dependency), in
// temporary directories only. The specs run dist/cli/main.js, what `npx anyfs` runs: build it
// first (`npm run build:ts`; `npm test` does).

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

import type { ExecutionContext } from 'ava'

const ROOT = join(__dirname, '..')
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js')

/** Fails loudly when dist/cli is older than js/cli, so a stale build cannot pass or fail a spec. */
function checkBuilt(): void {
  const src = join(ROOT, 'js', 'cli')
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
  for (const file of walk(src).filter((f) => f.endsWith('.ts'))) {
    const built = join(ROOT, 'dist', 'cli', relative(src, file).replace(/\.ts$/, '.js'))
    let stale: boolean
    try {
      stale = statSync(built).mtimeMs < statSync(file).mtimeMs
    } catch {
      stale = true
    }
    if (stale) throw new Error(`${relative(ROOT, built)} is missing or older than its source: run \`npm run build:ts\` first`)
  }
}
checkBuilt()

/**
 * What the shell's `mount` will find: `'none'` in a build without mounting (no `MountHandle`
 * on the entry point or in dist/mount.js, or one whose native part lacks it), `'unavailable'`
 * without FUSE, `'available'` otherwise.
 */
export function mountState(): 'none' | 'unavailable' | 'available' {
  for (const file of [join(ROOT, 'dist', 'index.js'), join(ROOT, 'dist', 'mount.js')]) {
    if (!existsSync(file)) continue
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const handle = (require(file) as Record<string, unknown>)['MountHandle'] as { isAvailable?: unknown } | undefined
      if (handle === undefined || typeof handle.isAvailable !== 'function') continue
      return (handle.isAvailable as () => boolean).call(handle) ? 'available' : 'unavailable'
    } catch {
      return 'none'
    }
  }
  return 'none'
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: ExecutionContext, prefix = 'anyfs-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The environment of a child: a temporary HOME and no history file unless asked for. */
function childEnv(t: ExecutionContext, env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, HOME: tempDir(t, 'anyfs-home-'), ANYFS_HISTORY: '', TERM: 'xterm', ...env }
}

export interface Run {
  stdout: string
  stderr: string
  status: number
  /** stdout as bytes. */
  bytes: Buffer
}

export interface RunOptions {
  /** Standard input (a pipe); empty by default. */
  input?: string | Buffer
  /** The working directory of the child (default: a fresh temporary one). */
  cwd?: string
  /** Extra environment. */
  env?: Record<string, string>
}

/** Runs `anyfs ...args` through pipes. */
export function anyfs(t: ExecutionContext, args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: options.cwd ?? tempDir(t),
      env: childEnv(t, options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (code) => {
      const bytes = Buffer.concat(out)
      // -1: killed by a signal, which no spec expects.
      resolve({ stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status: code ?? -1, bytes })
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Runs one `-c` line. */
export function sh(t: ExecutionContext, line: string, args: readonly string[] = [], options: RunOptions = {}): Promise<Run> {
  return anyfs(t, [...args, '-c', line], options)
}

// ---- pseudo-terminal ----

/** Runs argv on a pty (24x100) and copies between it and this script's stdin/stdout. */
const PTY_DRIVER = `
import fcntl, os, pty, select, struct, sys, termios
argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 100, 0, 0))
    os.execvp(argv[0], argv)
watch = [fd, 0]
while fd in watch:
    ready, _, _ = select.select(watch, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if data:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            watch.remove(fd)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            watch.remove(0)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
`

/** Terminal control sequences (cursor moves, erases), dropped before matching. */
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-9;?]*[A-Za-z]/g

/** Keys as a terminal sends them. */
export const KEY = { enter: '\r', tab: '\t', up: '\u001b[A', ctrlC: '\u0003', ctrlD: '\u0004' } as const

/** `anyfs` on a pseudo-terminal: type keys, wait for output. */
export class Pty {
  #raw = ''
  #seen = 0
  #waiters: (() => void)[] = []
  readonly #exit: Promise<number>
  readonly #stdin: NodeJS.WritableStream

  constructor(t: ExecutionContext, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
    const child = spawn('python3', ['-c', PTY_DRIVER, process.execPath, MAIN, ...args], {
      cwd: options.cwd ?? tempDir(t),
      env: childEnv(t, options.env ?? {}),
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    this.#stdin = child.stdin
    child.stdout.on('data', (b: Buffer) => {
      this.#raw += b.toString('utf8')
      for (const w of this.#waiters.splice(0)) w()
    })
    this.#exit = new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)))
    t.teardown(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
  }

  /** Everything the terminal showed, control sequences removed, carriage returns dropped. */
  get text(): string {
    return this.#raw.replace(CSI, '').replace(/\r/g, '')
  }

  /** Everything the terminal received, as it came. */
  get raw(): string {
    return this.#raw
  }

  /** Types `keys`. */
  send(keys: string): void {
    this.#stdin.write(keys)
  }

  /**
   * Waits until the output after the last match contains `pattern`; returns the output up to
   * and including the match and moves past it.
   */
  async expect(pattern: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const text = this.text
      const rest = text.slice(this.#seen)
      const found = typeof pattern === 'string' ? indexOf(rest, pattern) : regexIndex(rest, pattern)
      if (found !== null) {
        this.#seen += found.end
        return rest.slice(0, found.end)
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${String(pattern)}; the terminal showed:\n${rest}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Closes the keyboard and waits for the exit status. */
  async exit(): Promise<number> {
    this.#stdin.end()
    return this.#exit
  }

  /** The exit status, once the shell has ended by itself. */
  get exited(): Promise<number> {
    return this.#exit
  }
}

function indexOf(text: string, s: string): { end: number } | null {
  const i = text.indexOf(s)
  return i < 0 ? null : { end: i + s.length }
}

function regexIndex(text: string, re: RegExp): { end: number } | null {
  const m = re.exec(text)
  return m === null ? null : { end: m.index + m[0].length }
}
