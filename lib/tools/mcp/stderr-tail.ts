/**
 * Keeps the end of what a server writes to stderr, for error messages.
 *
 * @module
 */
import { Readable, type Stream } from 'node:stream';

/** The last lines of a stream's text (at most `maxLines` lines and about `maxChars` characters). */
export class StderrTail {
  #text = '';
  readonly #maxChars: number;
  readonly #maxLines: number;

  constructor(options: { maxChars?: number; maxLines?: number } = {}) {
    this.#maxChars = options.maxChars ?? 4096;
    this.#maxLines = options.maxLines ?? 20;
  }

  /** Starts collecting from `stream` (if any); reading it also keeps the child from blocking on a full pipe. */
  follow(stream: Stream | null): this {
    if (stream instanceof Readable) stream.setEncoding('utf8');
    stream?.on('data', (chunk: unknown) => this.append(String(chunk)));
    return this;
  }

  /** Adds text at the end, dropping what falls out of the window. */
  append(text: string): void {
    this.#text = (this.#text + text).slice(-2 * this.#maxChars);
  }

  /** The last lines collected, without trailing whitespace. */
  toString(): string {
    return this.#text.trimEnd().split('\n').slice(-this.#maxLines).join('\n').slice(-this.#maxChars);
  }
}
