/**
 * Every option `process.run()` accepts, declared, typed and checked in one place.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { type Callbacks, validateCallbacks } from '../callbacks/callbacks.js';

/** Options of {@link LLMProcess.run}. */
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
}

/** {@link RunOptions} with defaults applied. */
export interface ResolvedRunOptions {
  callbacks: Callbacks | undefined;
  maxIterations: number;
  signal: AbortSignal | undefined;
}

/** The default of {@link RunOptions.maxIterations}. */
export const DEFAULT_MAX_ITERATIONS = 10;

const KNOWN_OPTIONS: ReadonlyArray<keyof RunOptions> = ['callbacks', 'maxIterations', 'signal'];

/** Checks `run()`'s options and applies defaults; throws {@link InvalidArgumentError} naming the option. */
export function resolveRunOptions(options: RunOptions | undefined): ResolvedRunOptions {
  if (options === undefined) return { callbacks: undefined, maxIterations: DEFAULT_MAX_ITERATIONS, signal: undefined };
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', `expected an object, received ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`options.${key}`, `unknown option; valid options: ${KNOWN_OPTIONS.join(', ')}`);
    }
  }
  const { callbacks, maxIterations = DEFAULT_MAX_ITERATIONS, signal } = options;
  if (callbacks !== undefined) validateCallbacks(callbacks);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidArgumentError('options.maxIterations', `expected a positive integer, received ${String(maxIterations)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('options.signal', 'expected an AbortSignal');
  }
  return { callbacks, maxIterations, signal };
}
