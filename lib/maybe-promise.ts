/**
 * Steps that usually finish at once (a tool with nothing to wait for, a plan with no hook) return
 * their value, and a promise only when they must wait: each `await` of a value that is already
 * there still costs a turn of the microtask queue and a few hundred bytes, on every tool call.
 *
 * @module
 */

/** A value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `value` is a thenable: a promise, or another library's promise-like. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
