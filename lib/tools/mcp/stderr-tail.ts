/**
 * Keeps the end of what a server writes to stderr, for error messages.
 *
 * @module
 */
import type { Stream } from 'node:stream';

/** The last `maxBytes` of a stream's text, read on demand. */
export class StderrTail {
  #text = '';
  constructor(private readonly maxBytes = 4096) {}

  /** Starts collecting from `stream` (if any). */
  follow(stream: Stream | null): this {
    stream?.on('data', (chunk: Buffer | string) => this.append(String(chunk)));
    return this;
  }

  append(text: string): void {
    this.#text = (this.#text + text).slice(-this.maxBytes);
  }

  /** The last lines collected (at most 20). */
  toString(): string {
    return this.#text.split('\n').slice(-20).join('\n');
  }
}
