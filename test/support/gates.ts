/**
 * Gates for tests of concurrency: work that waits until the test lets it finish, instead of work
 * that sleeps. A gated task counts itself as running from its start until its gate opens, so a
 * test can see how many ran at once without measuring time.
 */

/** A set of gated tasks, with a gauge of how many are running. */
export class Gates {
  /** How many gated tasks are running now, and the most that ever ran at once. */
  readonly gauge = { now: 0, max: 0 };
  /** Every start and end, in order: `start a`, `end a`. */
  readonly log: string[] = [];
  readonly #waiting: Array<{ name: string; open: () => void }> = [];
  #autoOpen = false;

  /**
   * Opens the gates by themselves from now on, one per turn of the event loop, oldest first: each
   * task runs until the next turn. Whatever starts at once in one turn (without waiting on I/O or
   * a timer) is seen running at once, and nothing waits forever.
   */
  openOnePerTurn(): this {
    this.#autoOpen = true;
    return this;
  }

  /** Runs a gated task called `name`: it starts, waits for its gate, and ends with `value`. */
  async pass<T>(name: string, value: T): Promise<T> {
    this.gauge.now++;
    this.gauge.max = Math.max(this.gauge.max, this.gauge.now);
    this.log.push(`start ${name}`);
    await new Promise<void>((open) => {
      this.#waiting.push({ name, open });
      if (this.#autoOpen) setImmediate(() => this.openOldest());
    });
    this.gauge.now--;
    this.log.push(`end ${name}`);
    return value;
  }

  /** The names of the tasks waiting at their gate, oldest first. */
  get waiting(): string[] {
    return this.#waiting.map((entry) => entry.name);
  }

  /** Opens the gate of the task that has waited longest; `false` when none waits. */
  openOldest(): boolean {
    const entry = this.#waiting.shift();
    entry?.open();
    return entry !== undefined;
  }

  /** Opens the gate of `name` (the oldest of that name). */
  open(name: string): void {
    const index = this.#waiting.findIndex((entry) => entry.name === name);
    if (index === -1) throw new Error(`no task "${name}" is waiting; waiting: ${this.waiting.join(', ') || 'none'}`);
    this.#waiting.splice(index, 1)[0]!.open();
  }
}
