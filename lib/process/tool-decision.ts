/**
 * What happens to one tool call before it runs: the `beforeToolCall` hook and the tool's approval
 * requirement together decide whether it runs (as the model gave it or with other arguments), is
 * denied, or waits for approval. A pure decision: the loop does what the plan says and emits.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { ToolCallPart } from '../providers/types.js';
import { errorResult, type ToolResult } from '../tools/tool.js';
import type { ToolOrigin } from './events.js';
import { checkBeforeToolCallAnswer } from './hook-answers.js';
import { callHook, type Hooks } from './hooks.js';

/**
 * What was decided about a tool call, as `tool:end` and `RunResult.toolCalls` report it:
 * - `ran`: it ran as the model asked;
 * - `modified`: it ran with arguments a `beforeToolCall` hook gave (`originalArgs` are the model's);
 * - `denied`: a hook denied it (or failed, which denies too): it did not run;
 * - `approved`: it waited for approval, was approved, and ran (with `originalArgs` when it ran with
 *   other arguments than the model's);
 * - `rejected`: it waited for approval and `process.deny()` refused it: it did not run;
 * - `cancelled`: the run was aborted before it could be decided or run.
 */
export type ToolDecision = 'ran' | 'modified' | 'denied' | 'approved' | 'rejected' | 'cancelled';

/** What to do with one tool call. */
export type ToolCallPlan =
  | { kind: 'run'; args: Record<string, unknown>; decision: 'ran' | 'modified' | 'approved'; originalArgs?: Record<string, unknown> | undefined }
  | { kind: 'answer'; result: ToolResult; decision: 'denied' | 'rejected' | 'cancelled' }
  | { kind: 'pause'; args: Record<string, unknown>; originalArgs?: Record<string, unknown> | undefined };

/** What {@link planToolCall} needs besides the call. */
export interface PlanContext extends ToolOrigin {
  /** The run's `beforeToolCall` hook, if it has one. */
  hook: Hooks['beforeToolCall'];
  /** Whether the tool requires approval. */
  requiresApproval: boolean;
  /** The run's signal. */
  signal: AbortSignal;
}

/** A plan, and what the hook threw when it failed (to be reported). */
export interface PlannedCall {
  plan: ToolCallPlan;
  /** Set when the hook threw, rejected or answered something invalid: the call is denied. */
  hookFailure?: unknown;
}

/** The result a tool call gets when the run was aborted before it ran. */
export function cancelledResult(toolName: string): ToolResult {
  return errorResult(`Tool "${toolName}" was cancelled: the run was aborted.`);
}

/** The result of a call a hook denied. */
export function deniedResult(toolName: string, reason: string): ToolResult {
  return errorResult(`The call to "${toolName}" was denied${reason.trim() ? `: ${reason.trim()}` : '.'}`);
}

/** The result of a call refused at approval. */
export function rejectedResult(toolName: string, reason: string): ToolResult {
  return errorResult(`The call to "${toolName}" was not approved${reason.trim() ? `: ${reason.trim()}` : '.'}`);
}

/** The plan of a call no hook changes: it runs as the model gave it, or waits for approval when its tool requires one. */
export function planAsGiven(call: ToolCallPart, requiresApproval: boolean): ToolCallPlan {
  return requiresApproval ? { kind: 'pause', args: call.input } : { kind: 'run', args: call.input, decision: 'ran' };
}

/** Decides what to do with `call` (see {@link ToolDecision}); calls the hook when there is one. Never throws. */
export async function planToolCall(call: ToolCallPart, context: PlanContext): Promise<PlannedCall> {
  const { hook, requiresApproval } = context;
  const asGiven = (): ToolCallPlan => planAsGiven(call, requiresApproval);
  if (!hook) return { plan: asGiven() };
  const signal = context.signal;
  const origin: ToolOrigin = context.server === undefined ? { source: context.source } : { source: context.source, server: context.server };
  const outcome = await callHook(hook, { toolName: call.name, args: structuredClone(call.input), toolUseId: call.id, requiresApproval, signal, ...origin }, signal);
  if (outcome.kind === 'aborted') return { plan: { kind: 'answer', result: cancelledResult(call.name), decision: 'cancelled' } };
  const failed = (hookFailure: unknown): PlannedCall => ({
    plan: { kind: 'answer', result: deniedResult(call.name, 'the beforeToolCall hook that guards it failed'), decision: 'denied' },
    hookFailure,
  });
  if (outcome.kind === 'failed') return failed(outcome.error);
  const checked = checkBeforeToolCallAnswer(outcome.answer);
  if (!checked.ok) return failed(new InvalidArgumentError('hooks.beforeToolCall', checked.problem));
  const answer = checked.value;
  switch (answer.kind) {
    case 'none':
      return { plan: asGiven() };
    case 'allow':
      return { plan: { kind: 'run', args: call.input, decision: 'ran' } };
    case 'args':
      return answer.allow || !requiresApproval
        ? { plan: { kind: 'run', args: answer.args, decision: 'modified', originalArgs: call.input } }
        : { plan: { kind: 'pause', args: answer.args, originalArgs: call.input } };
    case 'deny':
      return { plan: { kind: 'answer', result: deniedResult(call.name, answer.reason), decision: 'denied' } };
    case 'pause':
      return { plan: { kind: 'pause', args: call.input } };
  }
}
