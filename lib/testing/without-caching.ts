/**
 * What a Messages API request asks of the model, with prompt caching taken out: for tests that
 * check what was sent whether or not automatic caching marked it.
 *
 * @module
 */

/**
 * `body` (a Messages API request) without its prompt caching marks: every `cache_control` removed,
 * at any depth, and a system prompt sent as one text block (which a breakpoint needs) given back as
 * the string it stands for. The model sees the same request with or without them, so a request
 * with caching on and the same request with caching off are equal after this. `body` is not
 * changed.
 */
export function withoutCaching<T>(body: T): T {
  const stripped = strip(body);
  if (isObject(stripped) && Array.isArray(stripped['system']) && stripped['system'].length === 1) {
    const [block] = stripped['system'] as unknown[];
    if (isObject(block) && block['type'] === 'text' && Object.keys(block).length === 2) stripped['system'] = block['text'];
  }
  return stripped as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'cache_control').map(([key, inner]) => [key, strip(inner)]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
