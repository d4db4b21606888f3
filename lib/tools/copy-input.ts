/**
 * The copy of a tool call's input that the tool is handed (the call's own input is the history's,
 * and a tool may change what it is given).
 *
 * @module
 */

/** What {@link copyPlain} answers for a value that is not plain data. */
const NOT_PLAIN = Symbol('not plain data');
/** Nesting deeper than this is copied by `structuredClone` (which also keeps cycles). */
const MAX_DEPTH = 64;

/**
 * A deep copy of `value`, as `structuredClone` makes it. Plain data (what a model's JSON arguments
 * are: plain objects, arrays, primitives) is copied by a walk, several times cheaper than
 * `structuredClone` for the small objects tool inputs are; anything else (a `Date` or `Map` that a
 * `beforeToolCall` hook put in the arguments, a function, nesting deeper than 64 levels, which a
 * cycle makes) is left to `structuredClone`, which copies it or throws as it always did.
 */
export function copyInput<T>(value: T): T {
  const copy = copyPlain(value, 0);
  return copy === NOT_PLAIN ? structuredClone(value) : (copy as T);
}

function copyPlain(value: unknown, depth: number): unknown {
  if (value === null) return value;
  const type = typeof value;
  if (type === 'function' || type === 'symbol') return NOT_PLAIN;
  if (type !== 'object') return value;
  if (depth > MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyPlain(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      copy[i] = item;
    }
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const copy: Record<string, unknown> = prototype === null ? Object.create(null) : {};
  for (const key in value as object) {
    if (!Object.hasOwn(value as object, key)) continue;
    const item = copyPlain((value as Record<string, unknown>)[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    // An own `__proto__` key (JSON.parse makes one) stays a key: assigning it would set the prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}
