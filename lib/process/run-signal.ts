/**
 * One abort signal for a run, from the caller's `signal` and `timeoutMs`, that remembers which of
 * the two fired.
 *
 * @module
 */

/** Why a run's signal aborted. */
export type AbortCause = 'aborted' | 'timeout';

/** The run's signal and, once it aborted, why. */
export interface RunSignal {
  readonly signal: AbortSignal;
  /** `undefined` while the run may go on. */
  cause(): AbortCause | undefined;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

/** Combines the caller's `signal` and a `timeoutMs` timer into one {@link RunSignal}. */
export function createRunSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined): RunSignal {
  const controller = new AbortController();
  let cause: AbortCause | undefined;
  const abort = (why: AbortCause): void => {
    if (cause) return;
    cause = why;
    controller.abort(why);
  };
  const onAbort = (): void => abort('aborted');
  if (signal?.aborted) abort('aborted');
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort('timeout'), timeoutMs);
  return {
    signal: controller.signal,
    cause: () => cause,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
