/**
 * The progress bar of `put` and `get`: one line on standard error, redrawn at most ten times a
 * second, erased when the copy ends. Shown only on a terminal and only for copies large enough
 * to take a while.
 *
 * @internal
 * @module
 */

import type { Io } from './command'
import { humanSize } from './format'

/** Copies of at least this many files get a bar. */
export const PROGRESS_MIN_FILES = 100
/** Copies of at least this many bytes get a bar. */
export const PROGRESS_MIN_BYTES = 16 * 1024 * 1024

const BAR = 24
const REDRAW_MS = 100

/** Counts a copy's files and bytes against its totals and draws them. */
export class Progress {
  readonly #io: Io
  readonly #label: string
  readonly #total: { readonly files: number; readonly bytes: number }
  readonly #shown: boolean
  #files = 0
  #bytes = 0
  #drawn = 0

  /** A bar for a copy of `total`, drawn when standard error is a terminal and the copy is large. */
  constructor(io: Io, label: string, total: { files: number; bytes: number }) {
    this.#io = io
    this.#label = label
    this.#total = total
    this.#shown = io.errIsTTY && (total.files >= PROGRESS_MIN_FILES || total.bytes >= PROGRESS_MIN_BYTES)
    this.#draw(true)
  }

  /** One more file (or link) copied. */
  file(): void {
    this.#files += 1
    this.#draw(false)
  }

  /** `n` more bytes copied. */
  bytes(n: number): void {
    this.#bytes += n
    this.#draw(false)
  }

  /** Erases the bar. */
  done(): void {
    if (this.#shown) this.#io.err('\r\u001b[K')
  }

  #draw(force: boolean): void {
    if (!this.#shown) return
    const now = Date.now()
    if (!force && now - this.#drawn < REDRAW_MS) return
    this.#drawn = now
    const { files, bytes } = this.#total
    const fraction = bytes > 0 ? this.#bytes / bytes : files > 0 ? this.#files / files : 1
    const filled = Math.min(BAR, Math.round(fraction * BAR))
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}]`
    const pct = `${Math.floor(Math.min(1, fraction) * 100)}%`.padStart(4)
    const text = `${this.#label} ${bar} ${pct}  ${this.#files}/${files} files  ${humanSize(this.#bytes)}/${humanSize(bytes)}`
    this.#io.err(`\r\u001b[K${text}`)
  }
}
