/**
 * Where a run is, as plain data: how many model calls it made, what the loop does next, the results
 * and approvals of the tool batch in progress, and the run's options that can be written down. It
 * is what a paused run keeps, what a snapshot holds, and what `resume()` continues from.
 *
 * @module
 */
import type { StopReason } from '../providers/types.js';
import type { ToolResult } from '../tools/tool.js';
import type { ApprovalRecord } from './approvals.js';
import type { HookName } from './hooks.js';
import type { ResolvedRunOptions, RunOptions } from './run-options.js';
import type { PendingRewind } from './rewind.js';

/** The options of a run that can be written down (the others — signal, callbacks, hooks — are given again to `resume()`). */
export interface PlainRunOptions {
  maxIterations: number;
  stream: boolean;
  /** Absent: all at once. */
  toolConcurrency?: number | undefined;
  maxTokens?: number | undefined;
  maxCostUsd?: number | undefined;
  /** Applies anew to each part of the run: `run()`, then each `resume()`. */
  timeoutMs?: number | undefined;
}

/** What the loop of an unfinished run does next. */
export type RunStep =
  /** Call the model (the first call, or the next one after tool results or a `pause_turn`). */
  | 'model'
  /** Answer the tool calls of the last assistant message (some may have results or approvals already). */
  | 'tools'
  /** Nothing but finishing: the run ends with `stopReason`. */
  | 'done';

/** An unfinished run, as plain data. */
export interface RunState {
  /** The run's input, as it entered the conversation (after `beforeRun`). */
  input: string;
  /** Model calls made so far in this run. */
  iteration: number;
  next: RunStep;
  /** The stop reason of the last model call. */
  stopReason?: StopReason | undefined;
  /** Results of the calls of the batch in progress that have one, by `tool_use` id. */
  results: Record<string, ToolResult>;
  /** The calls of the batch in progress that wait, or waited, for approval. */
  approvals: ApprovalRecord[];
  options: PlainRunOptions;
  /** The hooks the run has: a resumed run refuses to go on without them. */
  hooks: HookName[];
  /** A rewind asked for in the current turn (`goto`, `process.rewind()`), applied once its tool batch has completed. */
  rewind?: PendingRewind | undefined;
}

/** The state of a run that has just started. */
export function newRunState(input: string, options: ResolvedRunOptions, hooks: HookName[]): RunState {
  return { input, iteration: 0, next: 'model', results: {}, approvals: [], options: plainOptions(options), hooks };
}

/** The options of `options` that can be written down. */
export function plainOptions(options: ResolvedRunOptions): PlainRunOptions {
  const plain: PlainRunOptions = { maxIterations: options.maxIterations, stream: options.stream };
  if (Number.isFinite(options.toolConcurrency)) plain.toolConcurrency = options.toolConcurrency;
  if (options.maxTokens !== undefined) plain.maxTokens = options.maxTokens;
  if (options.maxCostUsd !== undefined) plain.maxCostUsd = options.maxCostUsd;
  if (options.timeoutMs !== undefined) plain.timeoutMs = options.timeoutMs;
  return plain;
}

/** `plain` as `run()` options. */
export function toRunOptions(plain: PlainRunOptions): RunOptions {
  return { ...plain };
}

/** Records a completed model call: what comes next depends on its stop reason and tool calls. */
export function recordModelCall(state: RunState, iteration: number, stopReason: StopReason, runsTools: boolean): void {
  state.iteration = iteration;
  state.stopReason = stopReason;
  state.results = {};
  state.approvals = [];
  state.next = runsTools ? 'tools' : stopReason === 'pause_turn' ? 'model' : 'done';
}

/** Records a batch of tool results sent: the model is called again after `tool_use`, else the run is done. */
export function recordToolResults(state: RunState): void {
  state.results = {};
  state.approvals = [];
  state.next = state.stopReason === 'tool_use' ? 'model' : 'done';
}

/** Records a rewind applied: the model is called next, on the rewound conversation. */
export function recordRewind(state: RunState): void {
  state.rewind = undefined;
  state.results = {};
  state.approvals = [];
  state.next = 'model';
}
