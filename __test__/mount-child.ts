// A child process for mount.spec.ts: mounts a MemoryBackend on argv[2], then behaves as
// argv[3] says, so the parent can check that no mount survives the way the child ends.
//   wait      print "ready" and idle until a signal arrives
//   listener  like wait, with its own SIGINT listener that exits with code 7
//   exit      call process.exit(3) right after mounting

import { MemoryBackend, MountHandle } from '../js/index'

const [mountPoint = '', mode = 'wait'] = process.argv.slice(2)
MountHandle.mountSync(new MemoryBackend(), mountPoint)
if (mode === 'exit') process.exit(3)
if (mode === 'listener') {
  process.on('SIGINT', () => {
    process.stdout.write('mine\n')
    setTimeout(() => process.exit(7), 20)
  })
}
process.stdout.write('ready\n')
setInterval(() => {}, 1000)
