// What every benchmark suite shares: a clock, rounds with implementations interleaved, the median,
// number formatting and markdown tables.

/** Seconds, monotonic. */
export const now = () => Number(process.hrtime.bigint()) / 1e9

/** The median of a non-empty list. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** 1.23M, 45.6k, 789, or '-' for a missing value. */
export const fmt = (v) =>
  v === undefined || Number.isNaN(v) ? '-' : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0)

/** Rows whose unit is MB/s rather than ops/s. */
export const unitOf = (row) => (/MiB/.test(row) ? 'MB/s' : 'ops/s')

/**
 * Times rows into `out`: `await time(row, count, body)` stores count/seconds (MB/s when `count` is a
 * byte count and the row is a MiB row).
 */
export function rowTimer(out) {
  return async (row, count, body) => {
    const t0 = now()
    await body()
    const dt = now() - t0
    out[row] = unitOf(row) === 'MB/s' ? count / dt / (1 << 20) : count / dt
  }
}

/**
 * Collects samples[impl][mode][row] = [values...] over rounds.
 */
export class Samples {
  constructor() {
    this.data = {}
  }
  record(name, mode, res) {
    const byMode = (this.data[name] ??= {})
    const byRow = (byMode[mode] ??= {})
    for (const [row, v] of Object.entries(res)) (byRow[row] ??= []).push(v)
  }
  /** Median of one cell, or undefined. */
  get(name, mode, row) {
    const xs = this.data[name]?.[mode]?.[row]
    return xs && xs.length ? median(xs) : undefined
  }
  /** Best (largest) value of one cell, or undefined: interference from other processes only ever slows a round down. */
  best(name, mode, row) {
    const xs = this.data[name]?.[mode]?.[row]
    return xs && xs.length ? Math.max(...xs) : undefined
  }
  rows(name, mode) {
    return Object.keys(this.data[name]?.[mode] ?? {})
  }
}

/** A markdown table: `head` is the header cells, `body` an array of row cell arrays. */
export function table(title, head, body) {
  return [`\n### ${title}\n`, `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}

/** Progress on stderr, so stdout stays the table. */
export const progress = (msg) => process.stderr.write(`${msg}\n`)
