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
  // Indexes and own keys without the array Object.keys would build: this runs on every message added.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    for (const key in value) if (Object.hasOwn(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
