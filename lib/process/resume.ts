/**
 * What `resume()` checks and which options the resumed part of a run gets: every paused call must
 * have a decision, the run's hooks must all be there (a restored process has only those given to
 * `restore()` and `resume()`), and the options are the run's, with the ones given on top.
 *
 * @module
 */
import { ResumeError } from '../errors.js';
import { pendingOf } from './approvals.js';
import type { HookName, Hooks } from './hooks.js';
import type { RunOptions } from './run-options.js';
import { type RunState, toRunOptions } from './run-state.js';

/** An unfinished run as the process keeps it: its plain state and the options it was given in this Node process. */
export interface UnfinishedRun {
  state: RunState;
  /** The run's options as given (empty for a restored run). */
  options: RunOptions;
}

/**
 * The options of the resumed part of `unfinished`: its options, its plain options, then `given`.
 * `hooksWith(hooks)` names the hooks the process would have with the run hooks `hooks`.
 * @throws {ResumeError} when a call still waits for a decision or a hook of the run is missing.
 */
export function resumeOptions(unfinished: UnfinishedRun, given: RunOptions | undefined, hooksWith: (hooks: Hooks | undefined) => HookName[]): RunOptions {
  const undecided = pendingOf(unfinished.state.approvals).map((approval) => approval.id);
  if (undecided.length > 0) {
    const one = undecided.length === 1;
    throw new ResumeError(`${undecided.length} tool call${one ? '' : 's'} still wait${one ? 's' : ''} for a decision (${undecided.join(', ')}): approve() or deny() ${one ? 'it' : 'each'} before resume().`, {
      undecided,
    });
  }
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, value]) => value !== undefined));
  const merged: RunOptions = { ...unfinished.options, ...toRunOptions(unfinished.state.options), ...defined };
  const has = hooksWith(merged.hooks);
  const missingHooks = unfinished.state.hooks.filter((hook) => !has.includes(hook));
  if (missingHooks.length > 0) {
    const one = missingHooks.length === 1;
    throw new ResumeError(
      `The run had the ${missingHooks.join(', ')} hook${one ? '' : 's'}, which this process does not have (a snapshot cannot hold hooks): pass ${one ? 'it' : 'them'} to resume({ hooks }) or restore().`,
      { missingHooks },
    );
  }
  return merged;
}
