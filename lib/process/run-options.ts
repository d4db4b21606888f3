/**
 * Every option `process.run()` accepts, declared, typed and checked in one place.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { type Callbacks, validateCallbacks } from '../callbacks/callbacks.js';
import { MAX_TIMEOUT_MS } from '../timer-limit.js';
import { type Hooks, validateHooks } from './hooks.js';
import { DEFAULT_MAX_SPAWN_DEPTH } from './child-limits.js';
import type { PromptCacheSettings, PromptCacheTtl } from '../providers/types.js';
import { PROMPT_CACHE_TTLS, promptCacheOf } from './prompt-caching.js';

/** Options of {@link LLMProcess.run}. Program-level defaults apply to the ones left unset. */
export interface RunOptions {
  /** The spec's callbacks dictionary, attached for this run only. */
  callbacks?: Callbacks | undefined;
  /**
   * The most model API calls this run may make (default 10). When reached, the run ends with
   * `stopReason: 'max_iterations'` and a conversation the next run can continue.
   */
  maxIterations?: number | undefined;
  /** Aborts the run: the in-flight API request and running tools get the signal. */
  signal?: AbortSignal | undefined;
  /**
   * Aborts the run after this many ms (`stopReason: 'timeout'`); at most 2^31 − 1 ms
   * (`MAX_TIMEOUT_MS`, about 24.8 days), the longest a Node timer can wait.
   */
  timeoutMs?: number | undefined;
  /** Streams responses: `text` events (and `on_text`) as tokens arrive. Default false. */
  stream?: boolean | undefined;
  /** How many tools of one response may run at once. Default: all of them. */
  toolConcurrency?: number | undefined;
  /**
   * Token budget of the run: total tokens of every kind over all its calls. No API call starts
   * once it is spent; the run ends with `stopReason: 'budget'`.
   */
  maxTokens?: number | undefined;
  /** Cost budget of the run in USD, from the price table; as `maxTokens`, checked before each call. */
  maxCostUsd?: number | undefined;
  /** Hooks of this run, over the process's and the program's, per hook (see `Hooks`). */
  hooks?: Hooks | undefined;
  /**
   * How many spawns may nest below this run's process (default 5): linked programs may call each
   * other in a cycle, and a spawn past this depth is refused with an `is_error` result naming the
   * chain of programs.
   */
  maxSpawnDepth?: number | undefined;
  /**
   * Automatic prompt caching (default true): Anthropic and Claude on Vertex requests get
   * `cache_control` breakpoints on the system prompt and the newest messages, so each call reads
   * the previous call's prefix from the cache. `false` turns it off for this run; so does the
   * environment variable `LLMPROC_DISABLE_AUTOMATIC_CACHING=1`, for every run. OpenAI caches by
   * itself either way.
   */
  promptCaching?: boolean | undefined;
  /**
   * How long the cache entries written live after their last use: `5m` (default) or `1h`
   * (cache writes then cost 2× the input price instead of 1.25×).
   */
  promptCacheTtl?: PromptCacheTtl | undefined;
}

/** {@link RunOptions} with defaults applied. */
export interface ResolvedRunOptions {
  callbacks: Callbacks | undefined;
  maxIterations: number;
  signal: AbortSignal | undefined;
  timeoutMs: number | undefined;
  stream: boolean;
  toolConcurrency: number;
  maxTokens: number | undefined;
  maxCostUsd: number | undefined;
  hooks: Hooks | undefined;
  maxSpawnDepth: number;
  /** The `promptCaching` setting (default true); {@link ResolvedRunOptions.promptCache} says whether requests are cached. */
  promptCaching: boolean;
  promptCacheTtl: PromptCacheTtl;
  /** The caching of the run's model requests: `undefined` when `promptCaching` or the environment turns it off. */
  promptCache: PromptCacheSettings | undefined;
}

/** Run settings a program may give its processes as defaults. */
export type RunDefaults = Pick<
  RunOptions,
  'maxIterations' | 'timeoutMs' | 'stream' | 'toolConcurrency' | 'maxTokens' | 'maxCostUsd' | 'promptCaching' | 'promptCacheTtl'
>;

/** The default of {@link RunOptions.maxIterations}. */
export const DEFAULT_MAX_ITERATIONS = 10;

const KNOWN_OPTIONS: ReadonlyArray<keyof RunOptions> = [
  'callbacks',
  'maxIterations',
  'signal',
  'timeoutMs',
  'stream',
  'toolConcurrency',
  'maxTokens',
  'maxCostUsd',
  'hooks',
  'maxSpawnDepth',
  'promptCaching',
  'promptCacheTtl',
];

/**
 * Checks `run()`'s options, fills the unset ones from `defaults`, then from llmproc's defaults.
 * `env` is read for `LLMPROC_DISABLE_AUTOMATIC_CACHING`.
 */
export function resolveRunOptions(
  options: RunOptions | undefined,
  defaults: RunDefaults = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedRunOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', `expected an object, received ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options ?? {})) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`options.${key}`, `unknown option; valid options: ${KNOWN_OPTIONS.join(', ')}`);
    }
  }
  const merged: RunOptions = { ...defaults, ...definedOnly(options ?? {}) };
  if (merged.callbacks !== undefined) validateCallbacks(merged.callbacks);
  if (merged.signal !== undefined && !(merged.signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('options.signal', 'expected an AbortSignal');
  }
  if (merged.hooks !== undefined) validateHooks(merged.hooks, 'options.hooks');
  if (merged.stream !== undefined && typeof merged.stream !== 'boolean') {
    throw new InvalidArgumentError('options.stream', `expected a boolean, received ${typeof merged.stream}`);
  }
  if (merged.promptCaching !== undefined && typeof merged.promptCaching !== 'boolean') {
    throw new InvalidArgumentError('options.promptCaching', `expected a boolean, received ${typeof merged.promptCaching}`);
  }
  if (merged.promptCacheTtl !== undefined && !PROMPT_CACHE_TTLS.includes(merged.promptCacheTtl)) {
    throw new InvalidArgumentError('options.promptCacheTtl', `expected "5m" or "1h", received ${JSON.stringify(merged.promptCacheTtl)}`);
  }
  const promptCaching = merged.promptCaching ?? true;
  const promptCacheTtl = merged.promptCacheTtl ?? '5m';
  return {
    callbacks: merged.callbacks,
    maxIterations: positiveInteger('maxIterations', merged.maxIterations) ?? DEFAULT_MAX_ITERATIONS,
    signal: merged.signal,
    timeoutMs: timeout(merged.timeoutMs),
    stream: merged.stream ?? false,
    toolConcurrency: positiveInteger('toolConcurrency', merged.toolConcurrency) ?? Infinity,
    maxTokens: positiveInteger('maxTokens', merged.maxTokens),
    maxCostUsd: positiveNumber('maxCostUsd', merged.maxCostUsd),
    hooks: merged.hooks,
    maxSpawnDepth: positiveInteger('maxSpawnDepth', merged.maxSpawnDepth) ?? DEFAULT_MAX_SPAWN_DEPTH,
    promptCaching,
    promptCacheTtl,
    promptCache: promptCacheOf(promptCaching, promptCacheTtl, env),
  };
}

function definedOnly(options: RunOptions): RunOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as RunOptions;
}

function positiveInteger(key: keyof RunOptions, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`options.${key}`, `expected a positive integer, received ${String(value)}`);
  }
  return value;
}

function positiveNumber(key: keyof RunOptions, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`options.${key}`, `expected a positive number, received ${String(value)}`);
  }
  return value;
}

/** A positive number of ms a Node timer can hold: a longer `setTimeout` would fire after 1 ms. */
function timeout(value: unknown): number | undefined {
  const ms = positiveNumber('timeoutMs', value);
  if (ms !== undefined && ms > MAX_TIMEOUT_MS) {
    throw new InvalidArgumentError(
      'options.timeoutMs',
      `expected at most ${MAX_TIMEOUT_MS} ms (2^31 - 1, about 24.8 days: the longest a Node timer can wait), received ${ms}`,
    );
  }
  return ms;
}
