/**
 * One abort signal for a run, from the caller's `signal` and `timeoutMs`, that remembers which of
 * the two fired.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { neverAbortingSignal } from '../until-aborted.js';

/** Why a run's signal aborted. */
export type AbortCause = 'aborted' | 'timeout';

/** The run's signal and, once it aborted, why. */
export interface RunSignal {
  readonly signal: AbortSignal;
  /**
   * Whether the run can be aborted at all (a signal or a timeout was given). When it cannot, the
   * API request is sent without a signal, which saves the SDK linking one per request.
   */
  readonly abortable: boolean;
  /** `undefined` while the run may go on. */
  cause(): AbortCause | undefined;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

/** Combines the caller's `signal` and a `timeoutMs` timer into one {@link RunSignal}. */
export function createRunSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined): RunSignal {
  if (signal === undefined && timeoutMs === undefined) return new UnabortableRunSignal();
  const controller = new AbortController();
  // Every tool of a response listens to it at once: no "possible memory leak" warning past 10.
  setMaxListeners(0, controller.signal);
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
    abortable: true,
    cause: () => cause,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}


/**
 * The signal of a run that nothing can abort. Its signal is made when first asked for (by a tool or
 * a hook): a signal costs more than a small run's loop. A class, so a run makes no closures for it.
 */
class UnabortableRunSignal implements RunSignal {
  #never: AbortSignal | undefined;
  readonly abortable = false;

  get signal(): AbortSignal {
    return (this.#never ??= neverAbortingSignal());
  }

  cause(): undefined {
    return undefined;
  }

  dispose(): void {}
}
