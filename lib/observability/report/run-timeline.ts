/**
 * The timeline of each run in a run log: its processes (the one that ran, then the children it
 * spawned or forked, nested under the tool call that started them), and on each a bar per model
 * API call and per tool call, with times relative to the run's start, lanes for calls that ran
 * at once, and tokens and cost per call; and a mark per rewind. Pure data, for the HTML report.
 *
 * @module
 */
import type { TokenUsage } from '../../providers/types.js';
import type { LoggedError, RunLogRecord, RunLogRecordOf } from '../run-log/run-log-schema.js';
import { assignLanes } from './lanes.js';

/** A bar of the timeline: one model API call or one tool call. */
export interface TimelineBar {
  kind: 'api' | 'tool';
  /** The response id (`msg_...`) of a call, `toolUseId` of a tool call; a failed call: `failed-call-<n>`. */
  id: string;
  /** The model, or the tool's name. */
  label: string;
  /** ms from the run's start. */
  startMs: number;
  endMs: number;
  /** The lane within its process (0 first); calls at the same time are on different lanes. */
  lane: number;
  /** A failed tool call, or a model call that never answered. */
  isError: boolean;
  /** Model calls: tokens, cost (null: no known price) and stop reason. */
  tokens?: TokenUsage | undefined;
  costUsd?: number | null | undefined;
  stopReason?: string | undefined;
  /** Tool calls: where the tool comes from (`builtin`, `mcp`, ...). */
  source?: string | undefined;
}

/** A moment of a process's timeline that is not a call: a rewind (the `goto` tool, `process.rewind()`). */
export interface TimelineMark {
  kind: 'rewind';
  /** ms from the run's start. */
  atMs: number;
  /** What happened, for a tooltip: `rewind to msg_2 (goto, 3 messages removed)`. */
  label: string;
  /** The message returned to, and the instruction's message. */
  to: string;
  messageId: string;
  /** The `goto` call that asked for it. */
  toolUseId?: string | undefined;
}

/** One process of a run: the one that ran it, or a child. */
export interface TimelineProcess {
  processId: string;
  program: string;
  /** How a child was made; absent for the run's own process. */
  via?: 'spawn' | 'fork' | undefined;
  /** The tool call that started a child. */
  startedBy?: string | undefined;
  /** Its bars, by start time. */
  bars: TimelineBar[];
  /** Its rewinds, in order. */
  marks: TimelineMark[];
  /** How many lanes its bars use (at least 1). */
  lanes: number;
  /** The children it started, in the order they started. */
  children: TimelineProcess[];
}

/** Totals of a run, from its RunResult (or from the bars, for a run whose end is not in the log). */
export interface TimelineTotals {
  apiCalls: number;
  toolCalls: number;
  tokens: TokenUsage;
  costUsd: number | null;
}

/** One run of the log. */
export interface RunTimeline {
  runId: string;
  /** The program and model of the process that ran it. */
  program: string;
  model: string;
  input: string;
  /** The OS process and LLMProcess that ran it. */
  pid: number;
  processId: string;
  /** Epoch ms of its start. */
  startTime: number;
  durationMs: number;
  /** `undefined` when the log has no end for it (the writer stopped first). */
  stopReason: string | undefined;
  finished: boolean;
  error?: LoggedError | undefined;
  /** The run's own process, its children nested under it. */
  root: TimelineProcess;
  totals: TimelineTotals;
}

const zero = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });

/** The process a record's event happened in: the child it is tagged with, else the one that logged it. */
function processOf(record: RunLogRecord): string {
  const child = (record.data as { child?: { processId: string } }).child;
  return child?.processId ?? record.processId;
}

/** Builds one run's timeline from its records (in log order). */
function timelineOf(records: readonly RunLogRecord[]): RunTimeline {
  const first = records[0]!;
  const start = records.find((r): r is RunLogRecordOf<'run:start'> => r.event === 'run:start');
  const end = records.find((r): r is RunLogRecordOf<'run:end'> => r.event === 'run:end');
  const t0 = start?.time ?? Math.min(...records.map((r) => r.time));
  const t1 = end?.time ?? Math.max(...records.map((r) => r.time));
  const at = (time: number): number => Math.max(0, time - t0);

  const processes = new Map<string, TimelineProcess>();
  const root: TimelineProcess = { processId: first.processId, program: start?.data.program ?? first.processId, bars: [], marks: [], lanes: 1, children: [] };
  processes.set(root.processId, root);
  const processNamed = (id: string): TimelineProcess => {
    let found = processes.get(id);
    if (!found) {
      found = { processId: id, program: id, bars: [], marks: [], lanes: 1, children: [] };
      processes.set(id, found);
      root.children.push(found);
    }
    return found;
  };

  const openTools = new Map<string, TimelineBar>();
  const failedCalls: TimelineBar[] = [];
  let pendingCall: { startMs: number; model: string; iteration: number } | undefined;
  for (const record of records) {
    switch (record.event) {
      case 'child:start': {
        const parent = processNamed(processOf(record));
        const existing = processes.get(record.data.origin.processId);
        const child: TimelineProcess = existing ?? { processId: record.data.origin.processId, program: '', bars: [], marks: [], lanes: 1, children: [] };
        if (existing) root.children.splice(root.children.indexOf(existing), 1);
        Object.assign(child, { program: record.data.origin.program, via: record.data.origin.via, startedBy: record.data.toolUseId });
        processes.set(child.processId, child);
        parent.children.push(child);
        break;
      }
      case 'api:start':
        pendingCall = { startMs: at(record.time), model: record.data.model, iteration: record.data.iteration };
        break;
      case 'api:call': {
        const { data } = record;
        if (!data.child) pendingCall = undefined;
        processNamed(processOf(record)).bars.push({
          kind: 'api',
          id: data.id,
          label: data.model,
          startMs: at(record.time - data.durationMs),
          endMs: at(record.time),
          lane: 0,
          isError: false,
          tokens: data.tokens,
          costUsd: data.costUsd,
          stopReason: data.stopReason,
        });
        break;
      }
      case 'tool:start': {
        const bar: TimelineBar = {
          kind: 'tool',
          id: record.data.toolUseId,
          label: record.data.toolName,
          startMs: at(record.time),
          endMs: at(t1),
          lane: 0,
          isError: true,
          source: record.data.source,
        };
        openTools.set(`${processOf(record)}\u0000${bar.id}`, bar);
        processNamed(processOf(record)).bars.push(bar);
        break;
      }
      case 'rewind': {
        const { data } = record;
        const removed = `${data.removed} message${data.removed === 1 ? '' : 's'} removed`;
        processNamed(processOf(record)).marks.push({
          kind: 'rewind',
          atMs: at(record.time),
          label: `rewind to ${data.to} (${data.via === 'goto' ? 'goto' : 'process.rewind()'}, ${removed})`,
          to: data.to,
          messageId: data.messageId,
          ...(data.toolUseId !== undefined ? { toolUseId: data.toolUseId } : {}),
        });
        break;
      }
      case 'tool:end': {
        const bar = openTools.get(`${processOf(record)}\u0000${record.data.toolUseId}`);
        if (bar) {
          bar.endMs = at(record.time);
          bar.isError = record.data.isError;
          openTools.delete(`${processOf(record)}\u0000${record.data.toolUseId}`);
        }
        break;
      }
      default:
        break;
    }
  }
  if (pendingCall) {
    failedCalls.push({ kind: 'api', id: `failed-call-${pendingCall.iteration}`, label: pendingCall.model, startMs: pendingCall.startMs, endMs: at(t1), lane: 0, isError: true });
  }
  root.bars.push(...failedCalls);

  for (const process of processes.values()) {
    process.bars.sort((a, b) => a.startMs - b.startMs);
    const lanes = assignLanes(process.bars);
    process.bars.forEach((bar, i) => (bar.lane = lanes[i]!));
    process.lanes = Math.max(1, ...lanes.map((lane) => lane + 1));
  }

  const allBars = [...processes.values()].flatMap((p) => p.bars);
  const summed = zero();
  let cost: number | null = 0;
  for (const bar of allBars) {
    if (!bar.tokens) continue;
    summed.inputTokens += bar.tokens.inputTokens;
    summed.outputTokens += bar.tokens.outputTokens;
    summed.cacheReadInputTokens += bar.tokens.cacheReadInputTokens;
    summed.cacheCreationInputTokens += bar.tokens.cacheCreationInputTokens;
    cost = cost === null || bar.costUsd === null || bar.costUsd === undefined ? null : cost + bar.costUsd;
  }
  const result = end?.data.runResult;
  return {
    runId: first.runId,
    program: root.program,
    model: start?.data.model ?? '',
    input: start?.data.input ?? '',
    pid: first.pid,
    processId: first.processId,
    startTime: t0,
    durationMs: Math.max(0, t1 - t0),
    stopReason: result?.stopReason,
    finished: end !== undefined,
    error: end?.data.error,
    root,
    totals: result
      ? { apiCalls: result.apiCalls, toolCalls: result.toolCalls.length, tokens: { ...result.usage }, costUsd: result.costUsd }
      : { apiCalls: allBars.filter((b) => b.kind === 'api' && b.tokens).length, toolCalls: allBars.filter((b) => b.kind === 'tool').length, tokens: summed, costUsd: cost },
  };
}

/** The runs of a run log, one timeline each, in the order they started. */
export function buildTimelines(records: readonly RunLogRecord[]): RunTimeline[] {
  const runs = new Map<string, RunLogRecord[]>();
  for (const record of records) {
    const run = runs.get(record.runId);
    if (run) run.push(record);
    else runs.set(record.runId, [record]);
  }
  return [...runs.values()].map(timelineOf).sort((a, b) => a.startTime - b.startTime);
}

/** Every process of a run, the run's own first, each followed by its children (depth first). */
export function processesOf(run: RunTimeline): Array<{ process: TimelineProcess; depth: number }> {
  const out: Array<{ process: TimelineProcess; depth: number }> = [];
  const visit = (process: TimelineProcess, depth: number): void => {
    out.push({ process, depth });
    for (const child of process.children) visit(child, depth + 1);
  };
  visit(run.root, 0);
  return out;
}
