/**
 * Settles with a promise, or rejects as soon as a signal aborts, whichever comes first.
 *
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';

/**
 * `promise`'s outcome, unless `signal` aborts first: then an `APIUserAbortError` (the SDK's own
 * class for a cancelled request). The losing promise's rejection is observed, never unhandled.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(new Anthropic.APIUserAbortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Anthropic.APIUserAbortError());
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
