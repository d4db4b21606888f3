/**
 * Text dumps of whatever a test wants to search for a leaked secret: errors with their stack and
 * cause chain, objects by their own fields, without throwing on cycles or odd objects.
 */
import { inspect } from 'node:util';

/**
 * Everything reachable from `value` as text, without throwing on cycles, getters or odd objects:
 * errors by name, message, stack, cause and own fields; objects with `toJSON` by what it returns
 * and by their own fields; Maps, Sets, arrays and plain objects by their entries.
 */
export function dumpAll(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  const parts: string[] = [];
  const walk = (item: unknown): void => void parts.push(dumpAll(item, seen));
  try {
    if (value instanceof Error) {
      parts.push(value.name, value.message, String(value.stack));
      walk(value.cause);
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') walk((value as { toJSON(): unknown }).toJSON());
    if (value instanceof Map) for (const [k, v] of value) (walk(k), walk(v));
    else if (value instanceof Set) for (const v of value) walk(v);
    if (typeof value === 'object') {
      for (const key of Reflect.ownKeys(value)) {
        parts.push(String(key));
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (descriptor && 'value' in descriptor) walk(descriptor.value);
      }
    }
  } catch (error) {
    parts.push(`[unserializable: ${String(error)}]`);
  }
  return parts.join('\n');
}

/** Everything an assertion should search: the safe dump and util.inspect, hidden fields included. */
export function everything(value: unknown): string {
  return `${dumpAll(value)}\n${inspect(value, { depth: 12, showHidden: true, getters: true })}\n${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? ''}`;
}
