// One measurement of the `layers` suite in a process of its own:
//   node benchmark/layers-worker.mjs <stack index> <files> <repeats> [<warm-up passes>]
// builds stack <index> of layers-stacks.mjs, runs the workload <warm-up passes> times (default
// 3) unrecorded (the JIT needs about three passes to settle, the allocator and the CPU
// frequency too), then <repeats> times, and prints one JSON line on stdout:
// { stack, wall: { row: value }, cpu: { row: value }, events }: each row's best (largest) value
// of the repeats by elapsed time and by the process's CPU time.
//
// Why a process per stack: in one process the stacks share the JIT's feedback (call sites that
// saw nine stack classes turn megamorphic) and the garbage and allocator state each one leaves,
// so a row could pay for what another stack did, and which row paid changed from run to run.
import { SMALL_ROWS, STACKS, build, lifecycle, seen } from './layers-stacks.mjs'

const [index, files, repeats, warmup = 3] = process.argv.slice(2).map(Number)
const spec = STACKS[index]
if (spec === undefined || !(files > 0) || !(repeats > 0) || !(warmup >= 0)) {
  console.error(`usage: layers-worker.mjs <stack 0..${STACKS.length - 1}> <files> <repeats> [<warm-up passes>]`)
  process.exit(2)
}
const impl = build(spec)
for (let w = 0; w < warmup; w++) await lifecycle(impl, files)
const best = { wall: {}, cpu: {} }
for (let r = 0; r < repeats; r++) {
  const res = await lifecycle(impl, files)
  for (const clock of ['wall', 'cpu']) {
    for (const [row, v] of Object.entries(res[clock])) best[clock][row] = Math.max(best[clock][row] ?? 0, v)
  }
}
// The read-only and warm stacks skip their write rows; every other stack must have them all.
if (!spec.readOnly && !spec.warm && SMALL_ROWS.some((row) => !(row in best.wall))) throw new Error(`rows missing: ${JSON.stringify(best)}`)
process.stdout.write(`${JSON.stringify({ stack: spec.name, ...best, events: seen.events })}\n`)
