/**
 * Waits for a promise unless a signal aborts first.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';

/** What {@link untilAborted} resolves with when the signal wins. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * A signal that never aborts: what a run that nothing can abort hands its tools. Shared by every
 * such run, so it has no listener limit; {@link untilAborted} does not listen to it at all.
 */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;
setMaxListeners(0, NEVER_ABORTED);

/**
 * `promise`'s value, or {@link ABORTED} as soon as `signal` aborts (at once if it already has). The
 * losing promise's outcome is observed and dropped, never an unhandled rejection.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal === NEVER_ABORTED) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
