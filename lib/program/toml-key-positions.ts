/**
 * Where each key of a TOML document is written. smol-toml parses without positions, so this scans
 * the text once more (after smol-toml has accepted it, so it may assume valid TOML): table headers
 * (`[parameters]`, `[[x]]`), keys (dotted and quoted ones too), the keys of inline tables and the
 * items of arrays. Scanning is best effort: text it does not follow only loses positions, never
 * throws.
 *
 * @module
 */
import type { TextPosition } from './program-document.js';

type PathKey = string | number;

/** A key path as a map key. */
export const positionKey = (path: readonly PathKey[]): string => JSON.stringify(path);

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  i = 0;
  readonly offsets = new Map<string, number>();
  constructor(readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.i];
  }

  /** Notes where `path` (and each table it implies) is written, keeping the first place. */
  record(path: readonly PathKey[], offset: number): void {
    for (let length = 1; length <= path.length; length++) {
      const key = positionKey(path.slice(0, length));
      if (!this.offsets.has(key)) this.offsets.set(key, offset);
    }
  }

  /** Skips spaces and tabs (and newlines and comments when `lines`). */
  skipBlank(lines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') this.i++;
      else if (lines && (c === '\n' || c === '\r')) this.i++;
      else if (lines && c === '#') this.skipComment();
      else return;
    }
  }

  skipComment(): void {
    while (this.peek() !== undefined && this.peek() !== '\n') this.i++;
  }

  /** A basic (`"..."`) or literal (`'...'`) one-line string, from its opening quote; returns its text. */
  string(): string {
    const quote = this.peek()!;
    const start = ++this.i;
    let raw = '';
    while (this.peek() !== undefined && this.peek() !== quote && this.peek() !== '\n') {
      if (quote === '"' && this.peek() === '\\') this.i++;
      this.i++;
    }
    raw = this.text.slice(start, this.i);
    this.i++;
    if (quote === "'") return raw;
    try {
      return JSON.parse(`"${raw.replace(/\\U([0-9A-Fa-f]{8})/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)).replace(/"/g, '\\"'))}"`) as string;
    } catch {
      return raw;
    }
  }

  /** A multi-line string, from its opening `"""` or `'''`. */
  multilineString(): void {
    const quotes = this.text.slice(this.i, this.i + 3);
    this.i += 3;
    while (this.peek() !== undefined && this.text.slice(this.i, this.i + 3) !== quotes) {
      if (quotes === '"""' && this.peek() === '\\') this.i++;
      this.i++;
    }
    this.i += 3;
    // Up to two quotes may close the string's content right before its delimiter.
    for (let extra = 0; extra < 2 && this.peek() === quotes[0]; extra++) this.i++;
  }

  /** A dotted key (`a."b c".d`), up to the `=` or `]` after it. */
  keys(): PathKey[] {
    const keys: PathKey[] = [];
    for (;;) {
      this.skipBlank(false);
      if (this.peek() === '"' || this.peek() === "'") keys.push(this.string());
      else {
        const start = this.i;
        while (this.peek() !== undefined && BARE_KEY.test(this.peek()!)) this.i++;
        if (this.i === start) return keys;
        keys.push(this.text.slice(start, this.i));
      }
      this.skipBlank(false);
      if (this.peek() !== '.') return keys;
      this.i++;
    }
  }

  /** A value at `path`: its items and inline-table keys are recorded too. */
  value(path: readonly PathKey[]): void {
    this.skipBlank(false);
    const c = this.peek();
    if (c === '"' || c === "'") {
      if (this.text.slice(this.i, this.i + 3) === c.repeat(3)) this.multilineString();
      else this.string();
    } else if (c === '[') {
      this.i++;
      for (let index = 0; ; index++) {
        this.skipBlank(true);
        if (this.peek() === undefined || this.peek() === ']') break;
        this.record([...path, index], this.i);
        this.value([...path, index]);
        this.skipBlank(true);
        if (this.peek() === ',') this.i++;
      }
      this.i++;
    } else if (c === '{') {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (this.peek() === undefined || this.peek() === '}') break;
        const start = this.i;
        const keys = this.keys();
        if (keys.length === 0 || this.peek() !== '=') return;
        this.i++;
        this.record([...path, ...keys], start);
        this.value([...path, ...keys]);
        this.skipBlank(true);
        if (this.peek() === ',') this.i++;
      }
      this.i++;
    } else {
      while (this.peek() !== undefined && !',]}#\n'.includes(this.peek()!)) this.i++;
    }
  }

  /** The whole document. */
  document(): void {
    let table: PathKey[] = [];
    const arrayLengths = new Map<string, number>();
    for (;;) {
      this.skipBlank(true);
      if (this.peek() === undefined) return;
      const start = this.i;
      if (this.peek() === '[') {
        const isArray = this.text[this.i + 1] === '[';
        this.i += isArray ? 2 : 1;
        const keys = this.keys();
        this.i += isArray ? 2 : 1;
        if (isArray) {
          const index = arrayLengths.get(positionKey(keys)) ?? 0;
          arrayLengths.set(positionKey(keys), index + 1);
          table = [...keys, index];
        } else {
          table = keys;
        }
        this.record(table, start);
      } else {
        const keys = this.keys();
        if (keys.length === 0 || this.peek() !== '=') return;
        this.i++;
        this.record([...table, ...keys], start);
        this.value([...table, ...keys]);
      }
      this.skipBlank(false);
      if (this.peek() === '#') this.skipComment();
    }
  }
}

/** The 1-based line and column of each offset of `text`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Where each key path of the (valid) TOML `text` is first written: table headers, keys, array
 * items, inline-table keys. Key paths are looked up with {@link positionKey}.
 */
export function tomlKeyPositions(text: string): Map<string, TextPosition> {
  const scanner = new Scanner(text);
  try {
    scanner.document();
  } catch {
    // Best effort: keep what was found.
  }
  const starts = lineStarts(text);
  const positions = new Map<string, TextPosition>();
  for (const [key, offset] of scanner.offsets) {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    positions.set(key, { line: low + 1, column: offset - starts[low]! + 1 });
  }
  return positions;
}
