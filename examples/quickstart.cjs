// The quick start: an in-memory filesystem, node:fs-shaped, sync and async.
// Run with `npm start` after `npm install`.
const { FileStorage, MemoryBackend, FsError } = require('../dist/index.js')

async function main() {
  const fs = new FileStorage(new MemoryBackend())

  await fs.createDirAll('/workspace/src')
  await fs.write('/workspace/src/hello.txt', 'Hello from anyfs!\n')
  fs.writeSync('/workspace/src/data.bin', new Uint8Array([1, 2, 3]))
  await fs.symlink('/workspace/src/hello.txt', '/workspace/latest')

  console.log('read through a symlink:', (await fs.readToString('/workspace/latest')).trim())
  for (const entry of fs.readDirSync('/workspace/src')) {
    const meta = fs.metadataSync(`/workspace/src/${entry.name}`)
    console.log(`  ${entry.name.padEnd(10)} ${String(meta.size).padStart(4)} bytes  mode ${meta.permissions.mode.toString(8)}`)
  }
  console.log('canonical path of /workspace/./src/../latest:', fs.canonicalizeSync('/workspace/./src/../latest'))

  try {
    await fs.read('/workspace/missing.txt')
  } catch (err) {
    if (err instanceof FsError) console.log(`errors read like node's: ${err.message} (code ${err.code})`)
  }
  const stats = fs.statfsSync()
  console.log(`statfs: ${stats.usedInodes} inodes in use`)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
