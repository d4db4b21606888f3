/**
 * A spinner line at the bottom of a terminal that says what is going on, redrawn in place, with
 * lines printed above it.
 *
 * @module
 */

/** Where the status line is drawn: a terminal's output stream. */
export interface TerminalOutput {
  write(text: string): unknown;
  /** The terminal's width; the line is cut to fit, so it never wraps. */
  readonly columns?: number | undefined;
}

/** The spinner's frames. */
export const SPINNER_FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

const ERASE_LINE = '\r\x1b[2K';

/**
 * The bottom line of a terminal, showing `⠙ <text>` while there is text, animated every
 * `intervalMs`. {@link StatusLine.print} writes above it; {@link StatusLine.suspend} hides it while
 * something else (streamed text) owns the current line.
 */
export class StatusLine {
  readonly #out: TerminalOutput;
  readonly #intervalMs: number;
  #text: string | undefined;
  #frame = 0;
  #shown = false;
  #suspended = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(out: TerminalOutput, intervalMs = 80) {
    this.#out = out;
    this.#intervalMs = intervalMs;
  }

  /** Shows `text` after the spinner; `undefined` removes the line. */
  set(text: string | undefined): void {
    this.#text = text;
    if (text === undefined) {
      this.#stopTimer();
      this.#erase();
      return;
    }
    this.#timer ??= setInterval(() => this.#draw(), this.#intervalMs).unref();
    this.#draw();
  }

  /** Writes `text` (ending with a newline) above the status line, which is drawn again below it. */
  print(text: string): void {
    this.#erase();
    this.#out.write(text);
    this.#draw();
  }

  /** Hides the line until {@link StatusLine.resume}: the current line belongs to someone else. */
  suspend(): void {
    this.#erase();
    this.#suspended = true;
  }

  /** Shows the line again after {@link StatusLine.suspend}; the cursor must be at a line start. */
  resume(): void {
    this.#suspended = false;
    this.#draw();
  }

  /** Removes the line and stops the animation. */
  stop(): void {
    this.#text = undefined;
    this.#stopTimer();
    this.#erase();
  }

  #draw(): void {
    if (this.#text === undefined || this.#suspended) return;
    const frame = SPINNER_FRAMES[this.#frame++ % SPINNER_FRAMES.length];
    const line = `${frame} ${this.#text}`;
    const width = Math.max(10, (this.#out.columns ?? 80) - 1);
    this.#out.write(`${ERASE_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    this.#shown = true;
  }

  #erase(): void {
    if (!this.#shown) return;
    this.#out.write(ERASE_LINE);
    this.#shown = false;
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
