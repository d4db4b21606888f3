/**
 * Removes a secret (the API key) from an error the SDK threw, in place, so that the error can be
 * kept as a `cause` (class, `status` and `requestID` intact) without carrying the key (R19): an
 * API, a proxy or a gateway may echo the key in its error body, and the SDK puts that body in
 * the error's message.
 *
 * @module
 */

/** What replaces the secret. */
export const REDACTED = '[redacted]';

/** Whether `value` is an error, a plain object or an array: the shapes an error body is made of. */
function isWalkable(value: object): boolean {
  if (value instanceof Error || Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Replaces every occurrence of `secret` in the string fields of `value` (an error: its message,
 * stack and own fields; its `cause` chain; the plain objects and arrays they hold), in place.
 * Other objects (headers, responses) are left alone. Returns `value`.
 */
export function redactSecret<T>(value: T, secret: string, seen = new Set<object>()): T {
  if (!secret || value === null || typeof value !== 'object' || seen.has(value) || !isWalkable(value)) return value;
  seen.add(value);
  const keys = new Set<string>(Object.getOwnPropertyNames(value));
  if (value instanceof Error) for (const key of ['message', 'stack', 'cause']) keys.add(key);
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'string') {
      if (!field.includes(secret)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && !descriptor.configurable && !descriptor.writable) continue;
      Object.defineProperty(value, key, { value: field.replaceAll(secret, REDACTED), writable: true, configurable: true, enumerable: descriptor?.enumerable ?? false });
    } else if (field !== null && typeof field === 'object') {
      redactSecret(field, secret, seen);
    }
  }
  return value;
}
