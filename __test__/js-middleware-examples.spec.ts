// The README's "JS middleware" examples, type-checked and run as they are written, with what
// they print checked; and the same three examples (an audit log, a content check, a JS backend
// over a Map under native Quota and PathFilter) tested in more depth.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import test from 'ava'
import ts from 'typescript'

import { FileStorage, FsError, JsBackend, MemoryBackend, Middleware, PathFilterLayer, QuotaLayer, type Data, type Fs } from '../js/index'
import { MapFs } from './js-map-fs'

const ROOT = join(__dirname, '..')

/** The TypeScript blocks of the README's "JS middleware" section. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf('\n### JS middleware\n')
  if (start < 0) throw new Error('README has no "JS middleware" section')
  const rest = readme.slice(start + 1)
  const end = rest.slice(4).search(/\n#{2,3} /)
  const section = end < 0 ? rest : rest.slice(0, end + 4)
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
}

/**
 * An example as a module: its imports (from this checkout instead of 'anyfs') on top, its body in
 * an exported async function whose `console` records what the example prints.
 */
function asModule(example: string): string {
  const lines = example.split('\n')
  const imports = lines.filter((l) => l.startsWith('import ')).map((l) => l.replace(/from 'anyfs'/, `from ${JSON.stringify(join(ROOT, 'js', 'index'))}`))
  const body = lines.filter((l) => !l.startsWith('import '))
  return [...imports, 'export default async function example(console: { log(...args: unknown[]): void }): Promise<void> {', ...body, '}', ''].join('\n')
}

/** What each README example prints, call by call. */
const PRINTS: unknown[][][] = [
  [[['write /a.txt (5 bytes)', 'write /b.txt (5 bytes)', 'removeFile /a.txt']]],
  [['EACCES', '/key.pem: refusing to store what looks like a secret']],
  [['console.log(1)'], [{ totalSize: 14, nodeCount: 3 }], ['EACCES'], ['ENOSPC'], [['FsRead', 'FsWrite', 'FsDir']]],
]

test('every example of the README\'s "JS middleware" section type-checks, runs and prints what it says', async (t) => {
  const examples = readmeExamples()
  t.is(examples.length, PRINTS.length)
  const dir = mkdtempSync(join(tmpdir(), 'anyfs-readme-'))
  try {
    const files = examples.map((example, i) => {
      const file = join(dir, `example${i}.ts`)
      writeFileSync(file, asModule(example))
      return file
    })
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
    })
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(d.file.fileName))
      .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    t.deepEqual(problems, [])
    for (const [i, file] of files.entries()) {
      const mod = (await import(pathToFileURL(file).href)) as { default: unknown }
      const run = (typeof mod.default === 'function' ? mod.default : (mod.default as { default: unknown }).default) as (c: { log(...a: unknown[]): void }) => Promise<void>
      const printed: unknown[][] = []
      await run({ log: (...args: unknown[]) => printed.push(args) })
      t.deepEqual(printed, PRINTS[i], `example ${i + 1}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

/** The README's audit log. */
class AuditLog extends Middleware<Fs> {
  readonly entries: string[] = []

  override write(path: string, data: Data) {
    this.entries.push(`write ${path}`)
    return super.write(path, data)
  }

  override removeFile(path: string) {
    this.entries.push(`removeFile ${path}`)
    return super.removeFile(path)
  }
}

test('an audit-log layer records every call, whichever twin and whatever sits above it', async (t) => {
  const audit = new AuditLog(new MemoryBackend())
  const fs = new FileStorage(audit.layer(new QuotaLayer({ maxTotalSize: 1 << 20 })))
  fs.writeSync('/a', '1')
  await fs.write('/b', '2')
  audit.writeSync('/c', '3')
  await audit.write('/d', '4')
  fs.removeFileSync('/a')
  await fs.removeFile('/b')
  // A refused call is still recorded: the layer sees it before its inner refuses it.
  await t.throwsAsync(fs.removeFile('/missing'), { instanceOf: FsError, code: 'ENOENT' })
  t.deepEqual(audit.entries, ['write /a', 'write /b', 'write /c', 'write /d', 'removeFile /a', 'removeFile /b', 'removeFile /missing'])
  // Streams through native layers above are writes too.
  const w = fs.openWriteSync('/e')
  await new Promise<void>((resolve, reject) => w.end('5', () => resolve()).on('error', reject))
  t.is(audit.entries.at(-1), 'write /e')
})

/** The README's content check. */
class RejectSecrets extends Middleware<Fs> {
  static readonly pattern = /-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}/

  override write(path: string, data: Data) {
    this.#check(path, data)
    return super.write(path, data)
  }

  override append(path: string, data: Data) {
    this.#check(path, data)
    return super.append(path, data)
  }

  #check(path: string, data: Data) {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8')
    if (RejectSecrets.pattern.test(text)) {
      throw Object.assign(new Error(`${path}: refusing to store what looks like a secret`), { code: 'EACCES' })
    }
  }
}

test('a content check rejects matching writes and appends with its own code and message, sync and async', async (t) => {
  const base = new MemoryBackend()
  const fs = new FileStorage(new RejectSecrets(base).layer(PathFilterLayer.builder().allow('/**').build()))
  await fs.write('/notes.txt', 'nothing to see')
  fs.appendSync('/notes.txt', ' here')
  const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIE'
  const sync = t.throws(() => fs.writeSync('/key.pem', key), { instanceOf: FsError })
  t.is(sync?.code, 'EACCES')
  t.is(sync?.message, '/key.pem: refusing to store what looks like a secret')
  const async = await t.throwsAsync(fs.append('/notes.txt', 'AKIAABCDEFGHIJKLMNOP'), { instanceOf: FsError })
  t.is(async?.code, 'EACCES')
  t.is(async?.message, '/notes.txt: refusing to store what looks like a secret')
  // Nothing of the refused data reached the storage.
  t.is(base.readToStringSync('/notes.txt'), 'nothing to see here')
  t.false(base.existsSync('/key.pem'))
})

test('a JS backend over a Map under native Quota and PathFilter: limits, sandbox, capabilities', async (t) => {
  const map = new MapFs()
  const backend = new JsBackend(map)
    .layer(QuotaLayer.builder().maxTotalSize(64).maxNodeCount(5).build())
    .layer(PathFilterLayer.builder().allow('/workspace/**').deny('**/.env').build())
  const fs = new FileStorage(backend)
  await fs.createDirAll('/workspace/src')
  fs.writeSync('/workspace/src/a.ts', 'export {}')
  await fs.append('/workspace/src/a.ts', '\n')
  t.is(await fs.readToString('/workspace/src/a.ts'), 'export {}\n')
  t.deepEqual(backend.inner.usage(), { totalSize: 10, nodeCount: 3 })
  // Sandbox: outside the allowed tree, or a denied name.
  const outside = await t.throwsAsync(fs.write('/etc/passwd', 'x'), { instanceOf: FsError })
  t.is(outside?.code, 'EACCES')
  t.throws(() => fs.writeSync('/workspace/.env', 'SECRET=1'), { instanceOf: FsError, code: 'EACCES' })
  // No links below: what the types forbid fails at run time too.
  t.throws(() => (fs as unknown as { symlinkSync(a: string, b: string): void }).symlinkSync('/workspace/src/a.ts', '/workspace/l'), {
    instanceOf: FsError,
    code: 'ENOSYS',
  })
  // Quota: bytes and nodes.
  await t.throwsAsync(fs.write('/workspace/big', new Uint8Array(100)), { instanceOf: FsError, code: 'ENOSPC' })
  fs.writeSync('/workspace/b', 'b')
  fs.writeSync('/workspace/c', 'c')
  t.throws(() => fs.writeSync('/workspace/d', 'd'), { instanceOf: FsError, code: 'ENOSPC' })
  // None of the refused writes reached the Map.
  t.deepEqual([...map.files.keys()].sort(), ['/workspace/b', '/workspace/c', '/workspace/src/a.ts'])
  // Fs only, at run time as in the types.
  t.deepEqual(backend.capabilities, ['FsRead', 'FsWrite', 'FsDir'])
  t.deepEqual(fs.capabilities, ['FsRead', 'FsWrite', 'FsDir'])
})
