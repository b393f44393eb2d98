/**
 * Word splitting of shell input, sh-style: `'...'` takes everything literally, `"..."` takes
 * everything but `\"`, `\\`, `` \` `` and `\$` literally, a backslash outside quotes takes the
 * next character literally, an unquoted `;` ends a command and an unquoted `#` at the start of
 * a word starts a comment. There is no expansion of any kind (`*`, `$x`, `~` are ordinary
 * characters), so a name is always exactly what was typed.
 *
 * @internal
 * @module
 */

/** One word of a command line. */
export interface Word {
  /** The word with its quotes removed and escapes applied. */
  readonly value: string
  /** Offset in the line of the word's first character (a quote, if it starts with one). */
  readonly start: number
}

/** What {@link scan} makes of a line. */
export interface Scan {
  /** The commands of the line (split at unquoted `;`), each a list of words; empty ones kept. */
  readonly commands: Word[][]
  /**
   * How the line ends: `null` when complete, else the quote still open or `'\\'` after a final
   * backslash. Only a line in the middle of being typed (tab completion) may end open.
   */
  readonly open: "'" | '"' | '\\' | null
  /** Whether the line ends between words (after whitespace or `;`, or it is empty). */
  readonly betweenWords: boolean
}

/** A line that ends inside quotes or after a backslash. */
export class QuoteError extends Error {
  override readonly name = 'QuoteError'
}

/** Characters a backslash escapes inside double quotes, as in sh. */
const DQ_ESCAPES = '"\\$`'

/** Splits `line` into commands and words; never throws (see {@link Scan.open}). */
export function scan(line: string): Scan {
  const commands: Word[][] = [[]]
  let words: Word[] = commands[0] as Word[]
  let value = null as string | null
  let start = 0
  let quote: "'" | '"' | null = null
  let open: Scan['open'] = null

  const begin = (at: number): void => {
    if (value === null) {
      value = ''
      start = at
    }
  }
  const end = (): void => {
    if (value !== null) words.push({ value, start })
    value = null
  }

  let i = 0
  while (i < line.length) {
    const c = line.charAt(i)
    if (quote === "'") {
      if (c === "'") quote = null
      else value += c
      i += 1
      continue
    }
    if (quote === '"') {
      if (c === '"') quote = null
      else if (c === '\\' && i + 1 < line.length && DQ_ESCAPES.includes(line.charAt(i + 1))) {
        value += line.charAt(i + 1)
        i += 1
      } else value += c
      i += 1
      continue
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      end()
    } else if (c === ';') {
      end()
      words = []
      commands.push(words)
    } else if (c === '#' && value === null) {
      break
    } else if (c === "'" || c === '"') {
      begin(i)
      quote = c
    } else if (c === '\\') {
      begin(i)
      if (i + 1 < line.length) {
        value += line.charAt(i + 1)
        i += 1
      } else open = '\\'
    } else {
      begin(i)
      value += c
    }
    i += 1
  }
  if (quote !== null) open = quote
  const betweenWords = value === null && open === null
  end()
  return { commands, open, betweenWords }
}

/**
 * The commands of a complete line: lists of word values, empty commands dropped. A line
 * ending inside quotes or after a backslash is a {@link QuoteError}.
 */
export function splitLine(line: string): string[][] {
  const { commands, open } = scan(line)
  if (open === '\\') throw new QuoteError('syntax error: the line ends with a backslash')
  if (open !== null) throw new QuoteError(`syntax error: unterminated ${open === "'" ? 'single' : 'double'} quote`)
  return commands.filter((words) => words.length > 0).map((words) => words.map((w) => w.value))
}

/** Characters that never need quoting. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/

/** `value` as one word the shell reads back as `value`: as is when plain, else single-quoted. */
export function quote(value: string): string {
  if (PLAIN.test(value)) return value
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** `value` with a backslash before every character {@link scan} treats specially (completion). */
export function escapeWord(value: string): string {
  return value.replace(/[\s'"\\;#]/g, (c) => `\\${c}`)
}

/** `value` written inside an open `quoteChar` quote, so the shell reads it back as `value`. */
export function escapeInQuote(value: string, quoteChar: "'" | '"'): string {
  if (quoteChar === '"') return value.replace(/["\\$`]/g, (c) => `\\${c}`)
  return value.replace(/'/g, `'\\''`)
}
