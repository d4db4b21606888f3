/**
 * The run's hook points besides `beforeToolCall` (see tool-decision.ts): what the answer of
 * `beforeRun`, `beforeModelCall` and `afterToolCall` means for the loop. Each returns what to do;
 * the process acts and reports. A failure closes: `beforeRun` and `beforeModelCall` fail the run,
 * `afterToolCall` withholds the result it was to check.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { errorResult, type ToolResult } from '../tools/tool.js';
import { checkAfterToolCallAnswer, checkBeforeModelCallAnswer, checkBeforeRunAnswer } from './hook-answers.js';
import { type AfterToolCallContext, type BeforeModelCallContext, callHook, type Hooks } from './hooks.js';
import type { CheckedInput } from './run-input.js';
import { cancelledResult } from './tool-decision.js';

/** A hook that stops the run: why, and what it threw (`cause`). */
export interface HookFailure {
  kind: 'failed';
  /** Completes "The <hook> hook …": `threw Error: …`, `answered …`. */
  problem: string;
  cause?: unknown;
}

/** What `beforeRun` decided. */
export type BeforeRunOutcome = { kind: 'input'; input: CheckedInput } | { kind: 'aborted' } | HookFailure;

/** What `beforeModelCall` decided. */
export type BeforeModelCallOutcome = { kind: 'call' } | { kind: 'stop'; reason: string } | { kind: 'aborted' } | HookFailure;

const threw = (error: unknown): string => `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;

/**
 * Asks `beforeRun` (when there is one) what input the run takes. The hook gets a copy of the
 * input; an input it answers goes through `check` (`run()`'s checks), and one that fails them fails
 * the hook, with the check's error as `cause`.
 */
export async function applyBeforeRun(
  hook: Hooks['beforeRun'],
  input: CheckedInput,
  signal: AbortSignal,
  check: (answered: unknown) => CheckedInput,
): Promise<BeforeRunOutcome> {
  if (!hook) return { kind: 'input', input };
  const copy = typeof input === 'string' ? input : input.map((part) => ({ ...part }));
  const outcome = await callHook(hook, { input: copy, signal }, signal);
  if (outcome.kind === 'aborted') return outcome;
  if (outcome.kind === 'failed') return { kind: 'failed', problem: threw(outcome.error), cause: outcome.error };
  const checked = checkBeforeRunAnswer(outcome.answer);
  if (!checked.ok) return { kind: 'failed', problem: checked.problem };
  if (checked.value === undefined) return { kind: 'input', input };
  try {
    return { kind: 'input', input: check(checked.value) };
  } catch (error) {
    return { kind: 'failed', problem: `answered an input that cannot be sent: ${error instanceof Error ? error.message : String(error)}`, cause: error };
  }
}

/** Asks `beforeModelCall` (when there is one) whether the model call is made. */
export async function applyBeforeModelCall(hook: Hooks['beforeModelCall'], context: BeforeModelCallContext): Promise<BeforeModelCallOutcome> {
  if (!hook) return { kind: 'call' };
  const outcome = await callHook(hook, context, context.signal);
  if (outcome.kind === 'aborted') return outcome;
  if (outcome.kind === 'failed') return { kind: 'failed', problem: threw(outcome.error), cause: outcome.error };
  const checked = checkBeforeModelCallAnswer(outcome.answer);
  if (!checked.ok) return { kind: 'failed', problem: checked.problem };
  return checked.value === undefined ? { kind: 'call' } : { kind: 'stop', reason: checked.value };
}

/** The result after `afterToolCall`, and what the hook threw when it failed (to be reported). */
export interface AfterToolCallOutcome {
  result: ToolResult;
  hookFailure?: unknown;
}

/**
 * Asks `afterToolCall` (when there is one) what result the model gets. A hook that fails, or is
 * cut short by an abort, withholds the result: the model gets an `is_error` result instead.
 */
export async function applyAfterToolCall(hook: Hooks['afterToolCall'], context: AfterToolCallContext): Promise<AfterToolCallOutcome> {
  const { result, toolName } = context;
  if (!hook) return { result };
  const outcome = await callHook(hook, { ...context, args: structuredClone(context.args) }, context.signal);
  if (outcome.kind === 'aborted') return { result: cancelledResult(toolName) };
  const withheld = errorResult(`The result of the call to "${toolName}" was withheld: the afterToolCall hook that checks it failed.`);
  if (outcome.kind === 'failed') return { result: withheld, hookFailure: outcome.error };
  const checked = checkAfterToolCallAnswer(outcome.answer);
  if (!checked.ok) return { result: withheld, hookFailure: new InvalidArgumentError('hooks.afterToolCall', checked.problem) };
  return { result: checked.value ?? result };
}
