/**
 * Automatic prompt caching for the Messages API: a final pass over a built request that places
 * `cache_control` breakpoints, so each call of a tool loop reads the previous call's prefix from
 * the cache. The API's cache key is the prefix tools → system → messages up to a breakpoint; a
 * request may carry at most {@link MAX_CACHE_BREAKPOINTS}. The breakpoints, in order of priority:
 *
 * 1. the end of the stable prefix: the last system block (the program's prompt with its env and
 *    preload blocks), or the last tool when there is no system prompt;
 * 2. the last block of the last message: what the next call will read;
 * 3. the last block of the previous request's last message (the last user message before the
 *    last message): what this call reads, however many blocks were added since (the API looks
 *    back only about 20 blocks from a breakpoint).
 *
 * Breakpoints already in the request are kept and counted against the limit. Thinking blocks
 * cannot carry one: the last other block of the message is marked. The pass is pure: it copies
 * only the objects on the path to a block it marks (request, array, message, block) and never
 * changes the objects it was given, so per-message caches of the wire form stay valid.
 *
 * @module
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { PromptCacheSettings } from '../types.js';

/** The most `cache_control` breakpoints the Messages API takes in one request. */
export const MAX_CACHE_BREAKPOINTS = 4;

type Params = Anthropic.MessageCreateParamsNonStreaming;
type WireMessage = Anthropic.MessageParam;
type CacheControl = Anthropic.CacheControlEphemeral;
/** Any object of the request that may carry a breakpoint. */
type Markable = { type?: string; cache_control?: CacheControl | null };

/** Blocks the API refuses a breakpoint on. */
const UNMARKABLE = new Set(['thinking', 'redacted_thinking']);

/** The `cache_control` values, shared by every breakpoint (frozen: the request is only serialized). */
const FIVE_MINUTES: CacheControl = Object.freeze({ type: 'ephemeral' });
const ONE_HOUR: CacheControl = Object.freeze({ type: 'ephemeral', ttl: '1h' });

/** The `cache_control` value of a breakpoint with `ttl` (`5m` is the API's default and is not spelled out). */
export function cacheControlOf(settings: PromptCacheSettings): CacheControl {
  return settings.ttl === '1h' ? ONE_HOUR : FIVE_MINUTES;
}

/**
 * The last system prompt marked, by TTL: a process sends the same prompt with every call, so its
 * marked block is made once (and frozen, as it is shared by the calls).
 */
const markedSystems = { '5m': { text: '', blocks: [] as Anthropic.TextBlockParam[] }, '1h': { text: '', blocks: [] as Anthropic.TextBlockParam[] } };

/** `system` (a string) as one text block carrying `control`. */
function markedSystem(system: string, settings: PromptCacheSettings): Anthropic.TextBlockParam[] {
  const last = markedSystems[settings.ttl];
  if (last.text !== system || last.blocks.length === 0) {
    last.text = system;
    last.blocks = Object.freeze([Object.freeze({ type: 'text' as const, text: system, cache_control: cacheControlOf(settings) })]) as Anthropic.TextBlockParam[];
  }
  return last.blocks;
}

/**
 * `params` with automatic breakpoints (see the module's description); `params` itself when
 * `settings` is `undefined` or nothing is marked. One pass: the request and its message list are
 * copied at most once, however many breakpoints are placed (this runs on every model call).
 */
export function withCacheBreakpoints<P extends Params>(params: P, settings: PromptCacheSettings | undefined): P {
  if (!settings) return params;
  let budget = MAX_CACHE_BREAKPOINTS - countBreakpoints(params);
  if (budget <= 0) return params;
  const control = cacheControlOf(settings);
  const prefix = typeof params.system === 'string' && params.system !== '' ? { system: markedSystem(params.system, settings) } : markedPrefix(params, control);
  if (prefix) budget -= 1;
  const given = params.messages;
  let messages: WireMessage[] | undefined;
  const last = given.length - 1;
  const lastMarked = budget > 0 ? markedMessage(given[last], control) : undefined;
  if (lastMarked) {
    (messages = [...given])[last] = lastMarked;
    budget -= 1;
  }
  const previous = previousRequestEnd(given);
  const previousMarked = budget > 0 ? markedMessage(given[previous], control) : undefined;
  if (previousMarked) (messages ??= [...given])[previous] = previousMarked;
  if (!prefix && !messages) return params;
  const marked = { ...params };
  if (prefix && 'system' in prefix) marked.system = prefix.system;
  if (prefix && 'tools' in prefix) marked.tools = prefix.tools;
  if (messages) marked.messages = messages;
  return marked;
}

/**
 * How many breakpoints `params` carries: the top-level `cache_control` (the API puts it on the last
 * cacheable block), and those on tools, system blocks, message blocks and the blocks inside tool
 * results.
 */
export function countBreakpoints(params: Params): number {
  let count = params.cache_control ? 1 : 0;
  if (params.tools) count += breakpointsIn(params.tools);
  if (Array.isArray(params.system)) count += breakpointsIn(params.system);
  for (const message of params.messages) if (Array.isArray(message.content)) count += breakpointsIn(message.content);
  return count;
}

/** The breakpoints on `items`, and on the blocks inside those of them that are tool results. */
function breakpointsIn(items: readonly unknown[]): number {
  let count = 0;
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const block = item as Markable & { content?: unknown };
    if (block.cache_control) count += 1;
    if (block.type === 'tool_result' && Array.isArray(block.content)) count += breakpointsIn(block.content);
  }
  return count;
}

/** The index of the last user message before the last message, or -1. */
function previousRequestEnd(messages: readonly WireMessage[]): number {
  for (let i = messages.length - 2; i >= 0; i -= 1) if (messages[i]!.role === 'user') return i;
  return -1;
}

/** The end of the stable prefix, marked: the last system block, else the last tool; `undefined` when neither can be. */
function markedPrefix(params: Params, control: CacheControl): Pick<Params, 'system'> | Pick<Params, 'tools'> | undefined {
  const { system, tools } = params;
  if (typeof system === 'string' ? system !== '' : system !== undefined && system.length > 0) {
    const blocks: Anthropic.TextBlockParam[] = typeof system === 'string' ? [{ type: 'text', text: system }] : system!;
    const marked = markLast(blocks, control);
    return marked && { system: marked };
  }
  if (tools && tools.length > 0) {
    const marked = markLast(tools as Markable[], control);
    return marked && { tools: marked as Params['tools'] };
  }
  return undefined;
}

/** `message` with its last block that can carry a breakpoint marked; `undefined` when none can (or there is no message). */
function markedMessage(message: WireMessage | undefined, control: CacheControl): WireMessage | undefined {
  if (!message) return undefined;
  const { content } = message;
  if (typeof content === 'string' && content === '') return undefined;
  const blocks: Markable[] = typeof content === 'string' ? [{ type: 'text', text: content } as Markable] : content;
  const marked = markLast(blocks, control);
  return marked && ({ ...message, content: marked } as WireMessage);
}

/**
 * A copy of `items` whose last markable item carries `control`; `undefined` when none can, or the
 * last markable one already has a breakpoint (it counts already).
 */
function markLast<T extends Markable>(items: readonly T[], control: CacheControl): T[] | undefined {
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i]!;
    if (item.type !== undefined && UNMARKABLE.has(item.type)) continue;
    if (item.cache_control) return undefined;
    const copy = [...items];
    copy[i] = { ...item, cache_control: control };
    return copy;
  }
  return undefined;
}
