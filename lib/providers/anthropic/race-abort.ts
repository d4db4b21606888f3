/**
 * Settles with a promise, or rejects as soon as a signal aborts, whichever comes first.
 *
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';
import { ABORTED, untilAborted } from '../../until-aborted.js';

/**
 * `promise`'s outcome, unless `signal` aborts first: then an `APIUserAbortError` (the SDK's own
 * class for a cancelled request). The losing promise's rejection is observed, never unhandled.
 */
export async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const outcome = await untilAborted(promise, signal);
  if (outcome === ABORTED) throw new Anthropic.APIUserAbortError();
  return outcome;
}
