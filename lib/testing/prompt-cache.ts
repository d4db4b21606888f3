/**
 * The fake Anthropic server's prompt cache: what the Messages API reports as cache reads and
 * writes, simulated from the `cache_control` breakpoints of each request, so that tests and the
 * bench measure caching without the real API.
 *
 * As the API documents it: the cache key of a breakpoint is the whole prefix up to and including
 * its block, in the order tools → system → messages (and the model). A request reads the longest
 * prefix that was written before and is still alive, looking for it at each breakpoint and at the
 * block boundaries up to {@link LOOKBACK_BLOCKS} blocks before it; reading an entry renews its
 * TTL. Each breakpoint past what was read writes its prefix, when that prefix has at least the
 * model's minimum cacheable length ({@link minimumCacheableTokens}). `input_tokens` is what is
 * left: the prompt's tokens neither read nor written.
 *
 * Simplifications: tokens are counted as the test kit counts them (about 4 characters of each
 * block's JSON a token, `count-tokens.ts`), not by Claude's tokenizer; a changed `tool_choice`,
 * `thinking` setting or image does not invalidate entries (the real cache does); entries are
 * never evicted before their TTL and there is one cache per server (the API's is per
 * organization); a request's own writes are visible to the next request at once (the real cache
 * only once the first response has begun).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { estimateTokens } from './count-tokens.js';

/** How many blocks before a breakpoint the API looks for an earlier cache entry. */
export const LOOKBACK_BLOCKS = 20;

/** The TTLs the API takes, in ms. */
const TTL_MS: Readonly<Record<string, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** Options of the fake server's prompt cache. */
export interface FakePromptCacheOptions {
  /** The clock, in ms (default `Date.now`): TTL tests move it instead of sleeping. */
  now?: (() => number) | undefined;
  /** The shortest prefix that is cached, in tokens. Default: the model's ({@link minimumCacheableTokens}). */
  minimumTokens?: number | undefined;
}

/** The cache fields of a response's `usage`. */
export interface CacheUsage {
  /** The prompt's tokens neither read from the cache nor written to it. */
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The writes by TTL. */
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/**
 * The shortest prefix `model` caches, in tokens, as Anthropic documents it: 4096 for Claude Opus
 * 4.5 / 4.6 and Haiku 4.5, 2048 for Sonnet 4.6 and the Haiku 3 models, 1024 for the others
 * (Sonnet 4.5, 4, 3.7, Opus 4.1, 4).
 */
export function minimumCacheableTokens(model: string): number {
  if (/opus-4-[56]|haiku-4-5/.test(model)) return 4096;
  if (/sonnet-4-6|haiku/.test(model)) return 2048;
  return 1024;
}

type Json = Record<string, unknown>;

/** One block of the prompt, in cache order, with what the cache needs of it. */
interface PromptBlock {
  /** The hash of the prefix up to and including this block. */
  key: string;
  /** The prefix's tokens, this block included. */
  upTo: number;
  /** Its breakpoint's TTL, when it has one. */
  ttl?: string | undefined;
}

/** The prompt cache of one fake server. */
export class FakePromptCache {
  readonly #now: () => number;
  readonly #minimumTokens: number | undefined;
  /** Prefix key → when the entry expires and its TTL. */
  readonly #entries = new Map<string, { expires: number; ttlMs: number }>();

  constructor(options: FakePromptCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#minimumTokens = options.minimumTokens;
  }

  /** How many entries are alive now. */
  get size(): number {
    const now = this.#now();
    return [...this.#entries.values()].filter((entry) => entry.expires > now).length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
  }

  /** Looks `body` (a valid Messages API request for `model`) up in the cache, writes what it writes, and says what it used. */
  use(body: unknown, model: string): CacheUsage {
    const now = this.#now();
    const blocks = promptBlocks(body, model);
    const total = blocks.at(-1)?.upTo ?? 0;
    const breakpoints = blocks.flatMap((block, i) => (block.ttl === undefined ? [] : [i]));
    let hit = -1;
    for (const point of breakpoints) {
      for (let i = point; i >= 0 && i > point - LOOKBACK_BLOCKS; i -= 1) {
        if ((this.#entries.get(blocks[i]!.key)?.expires ?? 0) > now) {
          hit = Math.max(hit, i);
          break;
        }
      }
    }
    if (hit >= 0) {
      const entry = this.#entries.get(blocks[hit]!.key)!;
      entry.expires = now + entry.ttlMs;
    }
    const read = hit >= 0 ? blocks[hit]!.upTo : 0;
    const minimum = this.#minimumTokens ?? minimumCacheableTokens(model);
    const written = { '5m': 0, '1h': 0 } as Record<string, number>;
    let end = read;
    for (const point of breakpoints) {
      const block = blocks[point]!;
      if (point <= hit || block.upTo < minimum) continue;
      const ttlMs = TTL_MS[block.ttl!] ?? TTL_MS['5m']!;
      this.#entries.set(block.key, { expires: now + ttlMs, ttlMs });
      written[block.ttl === '1h' ? '1h' : '5m']! += block.upTo - end;
      end = block.upTo;
    }
    const creation = written['5m']! + written['1h']!;
    return {
      input_tokens: total - read - creation,
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: written['5m']!, ephemeral_1h_input_tokens: written['1h']! },
    };
  }
}

/** The blocks of a request in cache order (tools, system, messages), each with its prefix's key and tokens. */
function promptBlocks(body: unknown, model: string): PromptBlock[] {
  const request = (body ?? {}) as Json;
  const items: Array<{ role?: string; start?: boolean; block: unknown }> = [];
  if (Array.isArray(request['tools'])) for (const tool of request['tools']) items.push({ block: tool });
  const system = request['system'];
  if (typeof system === 'string' && system !== '') items.push({ role: 'system', block: { type: 'text', text: system } });
  else if (Array.isArray(system)) for (const block of system) items.push({ role: 'system', block });
  if (Array.isArray(request['messages'])) {
    for (const message of request['messages'] as Json[]) {
      const content = typeof message['content'] === 'string' ? [{ type: 'text', text: message['content'] }] : (message['content'] as unknown[]);
      content.forEach((block, j) => items.push({ role: String(message['role']), start: j === 0, block }));
    }
  }
  const hash = createHash('sha256').update(model);
  let upTo = 0;
  const last = items.length - 1;
  const topLevel = controlOf(request);
  return items.map(({ role, start, block }, i) => {
    const text = JSON.stringify(block, withoutControl);
    hash.update(JSON.stringify({ role, start }));
    hash.update(text);
    upTo += estimateTokens(text);
    const control = controlOf(block) ?? nestedControl(block) ?? (i === last ? topLevel : undefined);
    return { key: hash.copy().digest('hex'), upTo, ttl: control ? (control.ttl ?? '5m') : undefined };
  });
}

/** A JSON replacer that leaves `cache_control` out: the mark is not part of the cached prefix. */
const withoutControl = (key: string, value: unknown): unknown => (key === 'cache_control' ? undefined : value);

function controlOf(item: unknown): { ttl?: string } | undefined {
  const control = (item as { cache_control?: unknown } | null)?.cache_control;
  return control !== null && typeof control === 'object' ? (control as { ttl?: string }) : undefined;
}

/** A breakpoint on a block inside a tool result marks the tool result's end. */
function nestedControl(block: unknown): { ttl?: string } | undefined {
  const content = (block as { content?: unknown } | null)?.content;
  return Array.isArray(content) ? content.map(controlOf).findLast((control) => control !== undefined) : undefined;
}
