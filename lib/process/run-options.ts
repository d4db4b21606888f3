/**
 * Every option `process.run()` accepts, declared, typed and checked in one place: one valibot
 * schema, whose type is `RunOptions`.
 *
 * @module
 */
import * as v from 'valibot';
import { InvalidArgumentError } from '../errors.js';
import { type Callbacks, validateCallbacks } from '../callbacks/callbacks.js';
import { formatIssues } from '../program/format-issues.js';
import { BooleanSchema, PositiveIntegerSchema, PositiveNumberSchema, table, TimeoutMsSchema } from '../program/schema-fields.js';
import { type Hooks, validateHooks } from './hooks.js';
import { DEFAULT_MAX_SPAWN_DEPTH } from './child-limits.js';
import type { PromptCacheSettings, PromptCacheTtl } from '../providers/types.js';
import { PROMPT_CACHE_TTLS, promptCacheOf } from './prompt-caching.js';

/**
 * The run settings a program may also give its processes as defaults (`[run]` in TOML, `run` in
 * code), each declared once here: TOML spells them snake_case (`max_iterations`), code camelCase.
 * Adding one is one entry here (and its use in the loop).
 */
export const RUN_SETTINGS = {
  /**
   * How many spawns may nest below this run's process (default 5): linked programs may call each
   * other in a cycle, and a spawn past this depth is refused with an `is_error` result naming the
   * chain of programs. Spawned children run under their root run's depth.
   */
  maxSpawnDepth: v.optional(PositiveIntegerSchema),
  /** Streams responses: `text` events (and `on_text`) as tokens arrive. Default false. */
  stream: v.optional(BooleanSchema),
  /** How many tools of one response may run at once. Default: all of them. */
  toolConcurrency: v.optional(PositiveIntegerSchema),
  /**
   * The most model API calls this run may make (default 10). When reached, the run ends with
   * `stopReason: 'max_iterations'` and a conversation the next run can continue.
   */
  maxIterations: v.optional(PositiveIntegerSchema),
  /**
   * Token budget of the run: total tokens of every kind over all its calls. No API call starts
   * once it is spent; the run ends with `stopReason: 'budget'`.
   */
  maxTokens: v.optional(PositiveIntegerSchema),
  /** Cost budget of the run in USD, from the price table; as `maxTokens`, checked before each call. */
  maxCostUsd: v.optional(PositiveNumberSchema),
  /**
   * Aborts the run after this many ms (`stopReason: 'timeout'`); at most 2^31 − 1 ms
   * (`MAX_TIMEOUT_MS`, about 24.8 days), the longest a Node timer can wait.
   */
  timeoutMs: v.optional(TimeoutMsSchema),
  /**
   * Automatic prompt caching (default true): Anthropic and Claude on Vertex requests get
   * `cache_control` breakpoints on the system prompt and the newest messages, so each call reads
   * the previous call's prefix from the cache. `false` turns it off for this run; so does the
   * environment variable `LLMPROC_DISABLE_AUTOMATIC_CACHING=1`, for every run (a process reads it
   * once, when it starts). OpenAI caches by itself either way.
   */
  promptCaching: v.optional(BooleanSchema),
  /**
   * How long the cache entries written live after their last use: `5m` (default) or `1h`
   * (cache writes then cost 2× the input price instead of 1.25×).
   */
  promptCacheTtl: v.optional(v.pipe(v.picklist(PROMPT_CACHE_TTLS), v.description('"5m" or "1h"'))),
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The check of an option that a check of its own follows (`validateCallbacks`, `validateHooks`): it takes anything. */
const checkedElsewhere = (): boolean => true;

/** Every option of `process.run()`: the {@link RUN_SETTINGS} and those only a run takes. */
const RUN_OPTIONS = {
  /** The spec's callbacks dictionary, attached for this run only (checked by `validateCallbacks`). */
  callbacks: v.optional(v.custom<Callbacks>(checkedElsewhere)),
  /** Aborts the run: the in-flight API request and running tools get the signal. */
  signal: v.optional(v.pipe(v.custom<AbortSignal>((value) => value instanceof AbortSignal), v.description('an AbortSignal'))),
  /** Hooks of this run, over the process's and the program's, per hook (checked by `validateHooks`). */
  hooks: v.optional(v.custom<Hooks>(checkedElsewhere)),
  ...RUN_SETTINGS,
};

/** Every option of `process.run()`, as a schema. */
export const RunOptionsSchema = v.pipe(table(RUN_OPTIONS), v.description('an object'));

/** Options of {@link LLMProcess.run}. Program-level defaults apply to the ones left unset. */
export type RunOptions = v.InferInput<typeof RunOptionsSchema>;

/** Run settings a program may give its processes as defaults. */
export type RunDefaults = v.InferInput<ReturnType<typeof table<typeof RUN_SETTINGS>>>;

/** The default of {@link RunOptions.maxIterations}. */
export const DEFAULT_MAX_ITERATIONS = 10;

/** What an unset option is. */
const DEFAULTS = {
  maxIterations: DEFAULT_MAX_ITERATIONS,
  stream: false,
  toolConcurrency: Infinity,
  maxSpawnDepth: DEFAULT_MAX_SPAWN_DEPTH,
  promptCaching: true,
  promptCacheTtl: '5m' as const,
};

type ParsedRunOptions = v.InferOutput<typeof RunOptionsSchema>;

/**
 * {@link RunOptions} with defaults applied (every option present, `undefined` when unset and
 * without default), and `promptCache`: the caching of the run's model requests, `undefined` when
 * `promptCaching` or the environment turns it off.
 */
export type ResolvedRunOptions = {
  [K in keyof ParsedRunOptions]-?: K extends 'promptCacheTtl' ? NonNullable<ParsedRunOptions[K]> : K extends keyof typeof DEFAULTS ? (typeof DEFAULTS)[K] : ParsedRunOptions[K];
} & { promptCache: PromptCacheSettings | undefined };

/** The options, present even when unset, in the order they are declared. */
const OPTION_KEYS = Object.keys(RUN_OPTIONS) as (keyof ParsedRunOptions)[];
/** Every option with its default, `undefined` where it has none: what a run's options start from. */
const UNSET: Readonly<Record<string, unknown>> = Object.freeze(Object.fromEntries(OPTION_KEYS.map((key) => [key, (DEFAULTS as Record<string, unknown>)[key]])));

/**
 * Checks `run()`'s options, fills the unset ones from `defaults`, then from llmproc's defaults.
 * `env` is read for `LLMPROC_DISABLE_AUTOMATIC_CACHING` (a process reads it once, when it starts,
 * and passes what it read).
 */
export function resolveRunOptions(
  options: RunOptions | undefined,
  defaults: RunDefaults = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedRunOptions {
  const parsed = checkedPerOption(options, defaults) ?? parseWhole(options, defaults);
  if (parsed.callbacks !== undefined) validateCallbacks(parsed.callbacks);
  if (parsed.hooks !== undefined) validateHooks(parsed.hooks, 'options.hooks');
  const resolved: Record<string, unknown> = { ...UNSET };
  for (const key in parsed) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) resolved[key] = value;
  }
  resolved['promptCache'] = promptCacheOf(resolved['promptCaching'] as boolean, resolved['promptCacheTtl'] as PromptCacheTtl, env);
  return resolved as ResolvedRunOptions;
}

/** The options checked by the whole schema: what names the first problem when there is one. */
function parseWhole(options: RunOptions | undefined, defaults: RunDefaults): ParsedRunOptions {
  const given: unknown = options === undefined ? {} : options;
  const merged = isObject(given) ? { ...defaults, ...definedOnly(given) } : given;
  const result = v.safeParse(RunOptionsSchema, merged);
  if (!result.success) {
    const [first] = formatIssues(result.issues, RunOptionsSchema, 'options', 'options');
    throw new InvalidArgumentError(first!.keyPath, first!.text.slice(first!.keyPath.length + 2));
  }
  return result.output;
}

/**
 * The merged options checked one by one against their own entry of the schema, which is what the
 * whole schema does for a plain object with known keys, at a fraction of its cost (`run()` does it
 * on every call). `undefined` when anything is off (not a plain object, an unknown key, a value an
 * entry refuses): the whole schema then says what, as it always did.
 */
function checkedPerOption(options: RunOptions | undefined, defaults: RunDefaults): ParsedRunOptions | undefined {
  const given: unknown = options === undefined ? {} : options;
  if (!isObject(given)) return undefined;
  const givenKeys = Object.keys(given);
  const defaultKeys = Object.keys(defaults);
  for (const key of givenKeys) if (!Object.hasOwn(RUN_OPTIONS, key)) return undefined;
  for (const key of defaultKeys) if (!Object.hasOwn(RUN_OPTIONS, key)) return undefined;
  const parsed = {} as Record<string, unknown>;
  // A given option wins over its default; an option given as `undefined` takes the default.
  for (const key of defaultKeys) if (!checkedInto(parsed, key as keyof ParsedRunOptions, (defaults as Record<string, unknown>)[key])) return undefined;
  for (const key of givenKeys) if (!checkedInto(parsed, key as keyof ParsedRunOptions, (given as Record<string, unknown>)[key])) return undefined;
  return parsed as ParsedRunOptions;
}

/** The options whose entry is {@link checkedElsewhere}'s: no schema needs to run for them. */
const CHECKED_ELSEWHERE: ReadonlySet<string> = new Set(
  OPTION_KEYS.filter((key) => (RUN_OPTIONS[key] as { wrapped?: { check?: unknown } }).wrapped?.check === checkedElsewhere),
);

/** Checks `value` (skipped when `undefined`) against option `key`'s entry and puts its output in `parsed`; false when refused. */
function checkedInto(parsed: Record<string, unknown>, key: keyof ParsedRunOptions, value: unknown): boolean {
  if (value === undefined) return true;
  // Their entries take anything (v.custom(() => true)): no schema run for them on every run().
  if (CHECKED_ELSEWHERE.has(key)) {
    parsed[key] = value;
    return true;
  }
  const checked = v.safeParse(RUN_OPTIONS[key], value);
  if (!checked.success) return false;
  parsed[key] = checked.output;
  return true;
}

function definedOnly(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
