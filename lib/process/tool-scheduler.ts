/**
 * Runs the tool calls of one response: concurrently up to a limit, exclusive tools alone, and
 * returns the results in the order of the calls (the order the API expects them back in).
 *
 * @module
 */

import type { MaybePromise } from '../maybe-promise.js';

/** One call to schedule. */
export interface ScheduledCall<T> {
  /** Runs the call, returning its value at once or a promise of it; must not throw or reject (the tool runner never does). */
  run: () => MaybePromise<T>;
  /** When true, the call runs with no other call of the batch running. */
  exclusive: boolean;
}

/**
 * Runs `calls` with at most `concurrency` running at once (`Infinity`: all at once). Calls start
 * in order; an exclusive call waits for the running ones to finish, then runs alone.
 */
export async function runScheduled<T>(calls: readonly ScheduledCall<T>[], concurrency: number): Promise<T[]> {
  // The common case, one call: nothing to schedule.
  if (calls.length === 1) return [await calls[0]!.run()];
  const results = new Array<T>(calls.length);
  const running = new Set<Promise<void>>();
  for (const [index, call] of calls.entries()) {
    if (call.exclusive) {
      await Promise.all(running);
      results[index] = await call.run();
      continue;
    }
    while (running.size >= concurrency) await Promise.race(running);
    const task: Promise<void> = Promise.resolve(call.run()).then((value) => {
      results[index] = value;
      running.delete(task);
    });
    running.add(task);
  }
  await Promise.all(running);
  return results;
}
