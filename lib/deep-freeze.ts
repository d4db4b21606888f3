/**
 * Deep freezing, for values that must never change once they are part of the conversation.
 *
 * @module
 */

/**
 * Freezes `value` and every object and array it holds (already frozen parts are skipped, so
 * shared or cyclic parts are walked once), and returns it.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
