// The built package as users load it: `require('anyfs')` resolves dist/ through package.json.

import test from 'ava'

test('require("anyfs") loads the built package with its public API', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const anyfs = require('anyfs') as typeof import('../js/index')
  for (const name of ['MemoryBackend', 'FileStorage', 'FsError', 'NativeStack', 'Metadata', 'DirEntry', 'Permissions', 'OpenFlags']) {
    t.truthy((anyfs as Record<string, unknown>)[name], name)
  }
  const fs = new anyfs.FileStorage(new anyfs.MemoryBackend())
  fs.writeSync('/a', 'b')
  t.is(fs.readToStringSync('/a'), 'b')
  const err = t.throws(() => fs.readSync('/missing'))
  t.true(err instanceof anyfs.FsError)
})

test('internal helpers are not part of the public entry point', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const anyfs = require('anyfs') as Record<string, unknown>
  for (const name of ['debugPanic', 'toFsError', 'native', 'nativeOf']) t.false(name in anyfs, name)
})
