/**
 * Whether a run uses automatic prompt caching, and with which TTL: the run's `promptCaching` and
 * `promptCacheTtl` (over the program's `[run]` settings), and Python llmproc's kill switch, the
 * environment variable {@link DISABLE_CACHING_ENV}.
 *
 * @module
 */
import type { PromptCacheSettings, PromptCacheTtl } from '../providers/types.js';

/** Set to `1`, `true` or `yes` (any case), it turns automatic prompt caching off, whatever programs and runs say. */
export const DISABLE_CACHING_ENV = 'LLMPROC_DISABLE_AUTOMATIC_CACHING';

/** The TTLs automatic caching can write with. */
export const PROMPT_CACHE_TTLS: readonly PromptCacheTtl[] = ['5m', '1h'];

/** What {@link DISABLE_CACHING_ENV} turns caching off with. */
const DISABLING_VALUES = ['1', 'true', 'yes'];

/**
 * The part of the environment prompt caching reads, as it is now: a process reads it once, when it
 * starts (`process.env` is slow to read, and a run reads it on every call).
 */
export function cachingEnv(): Readonly<Record<string, string | undefined>> {
  return { [DISABLE_CACHING_ENV]: process.env[DISABLE_CACHING_ENV] };
}

/** Whether `env` turns automatic caching off (as Python llmproc reads the variable). */
export function cachingDisabledByEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[DISABLE_CACHING_ENV];
  return value !== undefined && DISABLING_VALUES.includes(value.trim().toLowerCase());
}

/** The settings of each TTL, frozen and shared (a run asks for them once; providers only read them). */
const CACHE_SETTINGS: Readonly<Record<PromptCacheTtl, PromptCacheSettings>> = Object.freeze({ '5m': Object.freeze({ ttl: '5m' }), '1h': Object.freeze({ ttl: '1h' }) });

/** The caching of a model request: `undefined` (off) when the run or the environment turns it off. */
export function promptCacheOf(enabled: boolean, ttl: PromptCacheTtl, env: Readonly<Record<string, string | undefined>>): PromptCacheSettings | undefined {
  return enabled && !cachingDisabledByEnv(env) ? CACHE_SETTINGS[ttl] : undefined;
}
