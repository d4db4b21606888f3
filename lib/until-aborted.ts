/**
 * Waits for a promise unless a signal aborts first.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';

/** What {@link untilAborted} resolves with when the signal wins. */
export const ABORTED: unique symbol = Symbol('aborted');

/** The signals made by {@link neverAbortingSignal}: {@link untilAborted} does not listen to them. */
const neverAborting = new WeakSet<AbortSignal>();

/**
 * A signal that never aborts: what a run that nothing can abort hands its tools. Each run gets its
 * own, so a tool that adds an abort listener and never removes it leaks into nothing but its own
 * run (a signal shared by every such run collected them for the life of the Node process).
 */
export function neverAbortingSignal(): AbortSignal {
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  neverAborting.add(signal);
  return signal;
}

/** Whether `signal` was made by {@link neverAbortingSignal} (it can never abort). */
export function isNeverAborting(signal: AbortSignal): boolean {
  return neverAborting.has(signal);
}

/**
 * `promise`'s value, or {@link ABORTED} as soon as `signal` aborts (at once if it already has). The
 * losing promise's outcome is observed and dropped, never an unhandled rejection.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (neverAborting.has(signal)) return promise;
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
