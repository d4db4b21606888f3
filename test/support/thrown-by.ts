/** What a call that must fail throws. */
import { expect } from 'chai';

/**
 * Calls `fn` and returns what it throws, asserting it is a `type`; fails the test, with `what` in
 * the message, when `fn` returns instead.
 */
export function thrownBy<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E, what: string): E {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as E;
  }
  throw new Error(`${what} was accepted, but should have been refused`);
}
