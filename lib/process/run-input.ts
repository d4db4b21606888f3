/**
 * The check on `run()`'s input: a prompt, as a non-empty string.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * Refuses an input that is not a non-empty string (nor only whitespace).
 * @throws {InvalidArgumentError} naming `input` and what it was: `an empty string`, `null`, `an array`, `a number`, ...
 */
export function assertRunInput(input: unknown): asserts input is string {
  if (typeof input === 'string' && input.trim() !== '') return;
  throw new InvalidArgumentError('input', `expected a non-empty prompt (a string), received ${describeInput(input)}`);
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return 'an empty string';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (input === undefined) return 'undefined';
  return typeof input === 'object' ? 'an object' : `a ${typeof input}`;
}
