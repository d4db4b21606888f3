/**
 * The Messages API's checks on prompt caching marks (`cache_control`), as a pure function.
 *
 * @module
 */

type Json = Record<string, unknown>;

/** The most breakpoints the API takes in one request. */
const MAX_BREAKPOINTS = 4;

/** Every `cache_control` of `body`, in cache order (tools, system, messages), with where it is and what carries it. */
function marks(body: Json): Array<{ at: string; type: unknown; control: unknown }> {
  const found: Array<{ at: string; type: unknown; control: unknown }> = [];
  const visit = (item: unknown, at: string): void => {
    if (item === null || typeof item !== 'object') return;
    const block = item as Json;
    if (block['cache_control'] !== undefined && block['cache_control'] !== null) found.push({ at, type: block['type'], control: block['cache_control'] });
    if (block['type'] === 'tool_result' && Array.isArray(block['content'])) block['content'].forEach((inner, k) => visit(inner, `${at}.content.${k}`));
  };
  if (Array.isArray(body['tools'])) body['tools'].forEach((tool, i) => visit(tool, `tools.${i}`));
  if (Array.isArray(body['system'])) body['system'].forEach((block, i) => visit(block, `system.${i}`));
  if (Array.isArray(body['messages'])) {
    (body['messages'] as Json[]).forEach((message, i) => {
      if (Array.isArray(message?.['content'])) (message['content'] as unknown[]).forEach((block, j) => visit(block, `messages.${i}.content.${j}`));
    });
  }
  // The top-level mark goes on the last block.
  if (body['cache_control'] !== undefined && body['cache_control'] !== null) found.push({ at: 'cache_control', type: undefined, control: body['cache_control'] });
  return found;
}

/**
 * The first problem the API would answer 400 to in the `cache_control` marks of `body`: more than
 * 4 breakpoints, a type other than `ephemeral`, a TTL other than `5m` / `1h`, a mark on a thinking
 * block, a 1-hour mark after a 5-minute one. `undefined` when they are valid.
 */
export function checkCacheControl(body: Json): string | undefined {
  const found = marks(body);
  if (found.length > MAX_BREAKPOINTS) return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${found.length}.`;
  let seenFiveMinutes = false;
  for (const { at, type, control } of found) {
    if (typeof control !== 'object') return `${at}.cache_control: Input should be an object`;
    const { type: kind, ttl } = control as Json;
    if (kind !== 'ephemeral') return `${at}.cache_control.type: Input should be 'ephemeral'`;
    if (ttl !== undefined && ttl !== '5m' && ttl !== '1h') return `${at}.cache_control.ttl: Input should be '5m' or '1h'`;
    if (type === 'thinking' || type === 'redacted_thinking') return `${at}: cache_control cannot be set for ${String(type)} blocks`;
    if (ttl === '1h' && seenFiveMinutes) return `${at}: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block`;
    if (ttl !== '1h') seenFiveMinutes = true;
  }
  return undefined;
}
