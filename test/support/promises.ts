/**
 * Promise helpers shared by the tests: await a moment a callback signals, or what a promise
 * rejects with.
 */

/** A promise and the function that resolves it: to await a moment signalled by a callback. */
export function signalled<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** What a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
