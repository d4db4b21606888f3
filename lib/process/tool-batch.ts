/**
 * Answers the tool calls of one model response, with steering: each call is planned first, in
 * order (hooks, approvals), then the calls that may run are run, up to the run's concurrency. When
 * some calls wait for approval, the batch pauses: the results of the others are kept in the run's
 * state (not in the conversation, which gets every result of a batch in one message) until every
 * call has a result. Resuming runs the batch again: calls with a result are skipped, approved ones
 * run, denied ones get their refusal.
 *
 * @module
 */
import type { ToolCallPart } from '../providers/types.js';
import type { ToolResult } from '../tools/tool.js';
import type { RunState } from './run-state.js';
import { cancelledResult, rejectedResult, type ToolCallPlan, type ToolDecision } from './tool-decision.js';
import { runScheduled, type ScheduledCall } from './tool-scheduler.js';
import type { MaybePromise } from '../maybe-promise.js';

/** A plan to run a call. */
export type RunPlan = Extract<ToolCallPlan, { kind: 'run' }>;

/** What {@link runToolBatch} is given: the run's state and the process's ways to plan, run and report calls. */
export interface ToolBatchContext {
  /** Its `results` and `approvals` are updated as calls are answered and paused. */
  state: RunState;
  /** How many calls may run at once. */
  concurrency: number;
  /** Whether a call must run alone. */
  exclusive(call: ToolCallPart): boolean;
  /** Plans a call that has no result and no approval record yet. */
  plan(call: ToolCallPart): ToolCallPlan | Promise<ToolCallPlan>;
  /** Runs a call (emitting its events) and returns its result (at once when the tool gave it at once); never rejects. */
  run(call: ToolCallPart, plan: RunPlan): MaybePromise<ToolResult>;
  /** Reports a call answered without running (denied, rejected, cancelled). */
  answer(call: ToolCallPart, result: ToolResult, decision: ToolDecision): void;
  /** Whether the run was aborted. */
  aborted(): boolean;
}

/** The batch's results in the order of the calls, or `paused` while some call waits for approval. */
export type ToolBatchOutcome = { kind: 'done'; results: ToolResult[] } | { kind: 'paused' };

/**
 * Answers `calls`. Calls already answered in `context.state` are skipped; after an abort, calls
 * still waiting for approval are cancelled, so every call has a result (R5, R6). The outcome comes
 * at once when every plan and every tool does (no hook, tools that return at once), else a promise.
 */
export function runToolBatch(calls: readonly ToolCallPart[], context: ToolBatchContext): MaybePromise<ToolBatchOutcome> {
  return planFrom(calls, 0, [], context);
}

/** A call planned to run, with its plan. */
interface PlannedRun {
  call: ToolCallPart;
  plan: RunPlan;
}

/**
 * Plans the calls from `from` on, in order, then runs those that may run. Most plans are known at
 * once (no hook): the batch waits only at a plan that is not, and goes on from the call after it.
 */
function planFrom(calls: readonly ToolCallPart[], from: number, runnable: PlannedRun[], context: ToolBatchContext): MaybePromise<ToolBatchOutcome> {
  for (let i = from; i < calls.length; i++) {
    const call = calls[i]!;
    if (Object.hasOwn(context.state.results, call.id)) continue;
    const planned = planOf(call, context);
    if (planned instanceof Promise) {
      return planned.then((plan) => {
        take(call, plan, runnable, context);
        return planFrom(calls, i + 1, runnable, context);
      });
    }
    take(call, planned, runnable, context);
  }
  return runPlanned(calls, runnable, context);
}

/** Does what a call's plan says: answers it, keeps it for approval, or adds it to the calls to run. */
function take(call: ToolCallPart, plan: ToolCallPlan | undefined, runnable: PlannedRun[], context: ToolBatchContext): void {
  if (plan === undefined) return;
  const { state } = context;
  if (plan.kind === 'answer') {
    state.results[call.id] = plan.result;
    context.answer(call, plan.result, plan.decision);
  } else if (plan.kind === 'pause') {
    state.approvals.push({ id: call.id, toolName: call.name, args: plan.args, status: 'pending', ...(plan.originalArgs ? { originalArgs: plan.originalArgs } : {}) });
  } else {
    runnable.push({ call, plan });
  }
}

/** Runs one planned call and keeps its result in the run's state; at once when the call gives its result at once. */
function runOne({ call, plan }: PlannedRun, context: ToolBatchContext): MaybePromise<void> {
  const result = context.run(call, plan);
  if (result instanceof Promise) return result.then((settled) => void (context.state.results[call.id] = settled));
  context.state.results[call.id] = result;
}

/** Runs the planned calls (one alone at once: nothing to schedule), then concludes the batch. */
function runPlanned(calls: readonly ToolCallPart[], runnable: readonly PlannedRun[], context: ToolBatchContext): MaybePromise<ToolBatchOutcome> {
  const ran =
    runnable.length === 0
      ? undefined
      : runnable.length === 1
        ? runOne(runnable[0]!, context)
        : runScheduled(
            runnable.map((planned): ScheduledCall<void> => ({ exclusive: context.exclusive(planned.call), run: () => runOne(planned, context) })),
            context.concurrency,
          );
  return ran instanceof Promise ? ran.then(() => conclude(calls, context)) : conclude(calls, context);
}

/** The outcome once every call that could run has: paused while some call still waits for approval. */
function conclude(calls: readonly ToolCallPart[], context: ToolBatchContext): ToolBatchOutcome {
  const { state } = context;
  if (context.aborted()) cancelWaiting(calls, context);
  if (state.approvals.some((record) => record.status === 'pending')) return { kind: 'paused' };
  return { kind: 'done', results: calls.map((call) => state.results[call.id]!) };
}

/** The plan of a call: from its approval record when it has one (`undefined` while it still waits), else planned afresh. */
function planOf(call: ToolCallPart, context: ToolBatchContext): ToolCallPlan | Promise<ToolCallPlan> | undefined {
  const approval = context.state.approvals.find((record) => record.id === call.id);
  if (!approval) return context.plan(call);
  switch (approval.status) {
    case 'pending':
      return undefined;
    case 'approved':
      return { kind: 'run', args: approval.args, decision: 'approved', originalArgs: approval.originalArgs };
    case 'denied':
      return { kind: 'answer', result: rejectedResult(call.name, approval.reason ?? ''), decision: 'rejected' };
  }
}

/** Gives every call still waiting for approval a cancelled result. */
function cancelWaiting(calls: readonly ToolCallPart[], context: ToolBatchContext): void {
  const { state } = context;
  for (const call of calls) {
    const approval = state.approvals.find((record) => record.id === call.id);
    if (approval?.status !== 'pending' || Object.hasOwn(state.results, call.id)) continue;
    state.results[call.id] = cancelledResult(call.name);
    state.approvals = state.approvals.filter((record) => record !== approval);
    context.answer(call, state.results[call.id]!, 'cancelled');
  }
}
