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

/** Whether `env` turns automatic caching off (as Python llmproc reads the variable). */
export function cachingDisabledByEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['1', 'true', 'yes'].includes((env[DISABLE_CACHING_ENV] ?? '').trim().toLowerCase());
}

/** The caching of a model request: `undefined` (off) when the run or the environment turns it off. */
export function promptCacheOf(enabled: boolean, ttl: PromptCacheTtl, env: Readonly<Record<string, string | undefined>>): PromptCacheSettings | undefined {
  return enabled && !cachingDisabledByEnv(env) ? { ttl } : undefined;
}
