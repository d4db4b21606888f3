/**
 * `RunResult`: what one `run()` cost and did. It is an accumulator: it subscribes to a process's
 * `api:call` and `tool:end` events for the length of one run, the way mocha's stats collector
 * listens to its runner, and is finalized by {@link RunResult.complete}.
 *
 * @module
 */
import type { EventEmitter } from 'eventemitter3';
import type { InspectOptionsStylized, inspect as nodeInspect } from 'node:util';
import type { ApiCallEvent, ChildOrigin, FileDescriptorCreateEvent, FileDescriptorReadEvent, LLMProcessEventName, LLMProcessEvents, RewindEvent, ToolEndEvent } from '../process/events.js';
import type { StopReason, TokenUsage } from '../providers/types.js';
import { roundMs, roundUsd } from './rounding.js';

/** Node's `util.inspect.custom`, without importing `node:util`. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
import type { PendingApproval } from '../process/approvals.js';
import type { ToolDecision } from '../process/tool-decision.js';

/** One model API call, as recorded by {@link RunResult.apiCallInfos}: the `api:call` payload. */
export type ApiCallInfo = ApiCallEvent;

/** One tool call, as recorded by {@link RunResult.toolCalls}. */
export interface ToolCallInfo {
  toolName: string;
  args: Record<string, unknown>;
  toolUseId: string;
  durationMs: number;
  isError: boolean;
  /** `builtin`, `function`, `mcp`, or `unknown` for a tool the program does not have. */
  source: ToolEndEvent['source'];
  /** The MCP server the call went to, for MCP tools. */
  server?: string | undefined;
  /** The child process that made it (spawn, fork); absent for the process's own work. */
  child?: ChildOrigin | undefined;
  /** What was decided about the call: `ran`, `modified`, `denied`, `approved`, `rejected`, `cancelled` (see {@link ToolDecision}). */
  decision: ToolDecision;
  /** The model's arguments, when the call ran with others (`modified`, or `approved` with new arguments); `args` are those it ran with. */
  originalArgs?: Record<string, unknown> | undefined;
}

/** What a run did with file descriptors (long tool results kept by the process for `read_fd`). */
export interface FileDescriptorCounts {
  /** Tool results kept as a descriptor. */
  created: number;
  /** Their size in bytes (UTF-8). */
  bytesKept: number;
  /** Pages (or ranges) `read_fd` returned. */
  pagesRead: number;
}

/**
 * One rewind of the run, as recorded by {@link RunResult.rewinds}: the `rewind` payload without the
 * instruction's text. `from` is the last message before it, `to` the message returned to (and
 * replaced by the instruction, `messageId`), `at` when (epoch ms).
 */
export type RewindInfo = Omit<RewindEvent, 'instruction'>;

/**
 * Why a run ended: the model's last stop reason (`end_turn`, `max_tokens`, `refusal`, ...), or one
 * of llmproc's own: `max_iterations` (the run made `maxIterations` API calls), `budget` (the next
 * call would have started past `maxTokens` or `maxCostUsd`), `aborted` (the signal aborted),
 * `timeout` (`timeoutMs` elapsed), `error` (the run failed; see the rejection), `hook_stop` (a
 * `beforeModelCall` hook stopped it; its reason is {@link RunResult.stopDetail}), `awaiting_approval`
 * (the run is paused before tool calls that need approval: see {@link RunResult.pendingApprovals},
 * then `process.approve()` / `deny()` and `resume()`).
 */
export type RunStopReason = StopReason | 'max_iterations' | 'budget' | 'aborted' | 'timeout' | 'error' | 'hook_stop' | 'awaiting_approval';

/**
 * The plain-data form of a {@link RunResult} (`JSON.stringify(runResult)` gives this): every
 * documented field. Durations (`durationMs`, `timeToFirstTokenMs`, each call's and each tool
 * call's) are rounded to the microsecond (3 decimals of ms) and costs to 1e-9 USD, so the JSON
 * carries no float noise.
 */
export interface RunResultJSON {
  apiCalls: number;
  apiCallInfos: ApiCallInfo[];
  toolCalls: ToolCallInfo[];
  usage: TokenUsage;
  /** All four token counts added up. */
  totalTokens: number;
  costUsd: number | null;
  startTime: number;
  /** Absent (after `JSON.stringify`) while the run is not completed. */
  endTime?: number | undefined;
  durationMs: number;
  stopReason?: RunStopReason | undefined;
  lastMessage: string;
  /** Whether the run had ended when this was taken. */
  completed: boolean;
  /** Present when the run is paused awaiting approval: the calls waiting. */
  pendingApprovals?: PendingApproval[] | undefined;
  /** Present when a hook stopped the run: its reason. */
  stopDetail?: string | undefined;
  /** Present when the run kept or read file descriptors. */
  fileDescriptors?: FileDescriptorCounts | undefined;
  /** Present when the conversation was rewound during the run (`goto`, `process.rewind()`): each rewind, in order. */
  rewinds?: RewindInfo[] | undefined;
}

/** How a run ended, for {@link RunResult.complete}. */
export interface RunOutcome {
  stopReason: RunStopReason;
  lastMessage: string;
  /** The calls waiting for approval, when `stopReason` is `awaiting_approval`. */
  pendingApprovals?: readonly PendingApproval[] | undefined;
  /** The reason a hook gave, when `stopReason` is `hook_stop`. */
  stopDetail?: string | undefined;
}

/** A zeroed {@link TokenUsage}. */
export function emptyUsage(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
}

/** The metrics of one run: API calls, token usage, tool calls, timings and how it ended. */
export class RunResult {
  /** When the run started (epoch ms). */
  readonly startTime: number;
  #endTime: number | undefined;
  #stopReason: RunStopReason | undefined;
  #lastMessage = '';
  #pendingApprovals: readonly PendingApproval[] = [];
  #stopDetail: string | undefined;
  readonly #apiCallInfos: ApiCallInfo[] = [];
  readonly #toolCalls: ToolCallInfo[] = [];
  readonly #rewinds: RewindInfo[] = [];
  readonly #usage: TokenUsage = emptyUsage();
  #costUsd = 0;
  #costKnown = true;
  readonly #fileDescriptors: FileDescriptorCounts = { created: 0, bytesKept: 0, pagesRead: 0 };

  constructor(startTime: number = Date.now()) {
    this.startTime = startTime;
  }

  /** Every model API call of the run, in order; a call that broke off mid-stream has `incomplete: true`. */
  get apiCallInfos(): readonly ApiCallInfo[] {
    return this.#apiCallInfos;
  }

  /** How many model API calls the run made, incomplete ones included (tool calls are not counted). */
  get apiCalls(): number {
    return this.#apiCallInfos.length;
  }

  /** Every tool call of the run, in the order they ended. */
  get toolCalls(): readonly ToolCallInfo[] {
    return this.#toolCalls;
  }

  /** Every rewind of the conversation during the run (the `goto` tool, `process.rewind()`), in order; empty when there was none. */
  get rewinds(): readonly RewindInfo[] {
    return this.#rewinds;
  }

  /** Token totals over {@link RunResult.apiCallInfos}. */
  get usage(): Readonly<TokenUsage> {
    return this.#usage;
  }

  /**
   * What the run's API calls cost in USD (from the price table in `pricing.ts`), rounded to 1e-9
   * USD so that the sum carries no float noise; `null` when a call used a model without a known
   * price.
   */
  get costUsd(): number | null {
    return this.#costKnown ? roundUsd(this.#costUsd) : null;
  }

  /** Total tokens of every kind (input, output, cache read and write): what a token budget counts. */
  get totalTokens(): number {
    const u = this.#usage;
    return u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens;
  }

  /** When the run ended (epoch ms); `undefined` until {@link RunResult.complete}. */
  get endTime(): number | undefined {
    return this.#endTime;
  }

  /** The run's duration in ms; while it is still going, the time so far. */
  get durationMs(): number {
    return (this.#endTime ?? Date.now()) - this.startTime;
  }

  /** Why the run ended; `undefined` until {@link RunResult.complete}. */
  get stopReason(): RunStopReason | undefined {
    return this.#stopReason;
  }

  /** The text of the last assistant message when the run ended. */
  get lastMessage(): string {
    return this.#lastMessage;
  }

  /**
   * The tool calls waiting for approval when the run paused (`stopReason: 'awaiting_approval'`);
   * empty otherwise. Approve or deny them on the process, then `resume()`.
   */
  get pendingApprovals(): readonly PendingApproval[] {
    return this.#pendingApprovals;
  }

  /** Why a hook stopped the run (`stopReason: 'hook_stop'`): the reason it gave; `undefined` otherwise. */
  get stopDetail(): string | undefined {
    return this.#stopDetail;
  }

  /**
   * What the run did with file descriptors: results kept (`created`, `bytesKept`) and pages
   * `read_fd` returned (`pagesRead`). The process's own; a child's are in the child's events.
   */
  get fileDescriptors(): Readonly<FileDescriptorCounts> {
    return this.#fileDescriptors;
  }

  /** Whether {@link RunResult.complete} was called. */
  get completed(): boolean {
    return this.#endTime !== undefined;
  }

  /** Records one API call. Also what the `api:call` listener of {@link RunResult.listen} calls. */
  addApiCall(call: ApiCallEvent): void {
    const info: ApiCallInfo = {
      model: call.model,
      usage: call.usage,
      tokens: call.tokens,
      stopReason: call.stopReason,
      id: call.id,
      durationMs: call.durationMs,
      requestId: call.requestId,
      timeToFirstTokenMs: call.timeToFirstTokenMs,
      costUsd: call.costUsd,
    };
    if (call.child) info.child = call.child;
    if (call.incomplete) info.incomplete = true;
    this.#apiCallInfos.push(info);
    if (call.costUsd === null) this.#costKnown = false;
    else this.#costUsd += call.costUsd;
    this.#usage.inputTokens += call.tokens.inputTokens;
    this.#usage.outputTokens += call.tokens.outputTokens;
    this.#usage.cacheReadInputTokens += call.tokens.cacheReadInputTokens;
    this.#usage.cacheCreationInputTokens += call.tokens.cacheCreationInputTokens;
    if (call.tokens.cacheCreation1hInputTokens) {
      this.#usage.cacheCreation1hInputTokens = (this.#usage.cacheCreation1hInputTokens ?? 0) + call.tokens.cacheCreation1hInputTokens;
    }
  }

  /** Records one finished tool call. */
  addToolCall(call: ToolEndEvent): void {
    const info: ToolCallInfo = {
      toolName: call.toolName,
      args: call.args,
      toolUseId: call.toolUseId,
      durationMs: call.durationMs,
      isError: call.isError,
      source: call.source,
      server: call.server,
      decision: call.decision ?? 'ran',
    };
    if (call.child) info.child = call.child;
    if (call.originalArgs) info.originalArgs = call.originalArgs;
    this.#toolCalls.push(info);
  }

  /** Records a tool result kept as a file descriptor (the `fd:create` listener of {@link RunResult.listen}). */
  addFileDescriptor(event: FileDescriptorCreateEvent): void {
    this.#fileDescriptors.created += 1;
    this.#fileDescriptors.bytesKept += event.bytes;
  }

  /** Records a part of a descriptor read by `read_fd` (the `fd:read` listener). */
  addFileDescriptorRead(_event: FileDescriptorReadEvent): void {
    this.#fileDescriptors.pagesRead += 1;
  }

  /** Records one rewind. */
  addRewind(rewind: RewindEvent | RewindInfo): void {
    const { from, to, messageId, removed, via, toolUseId, at } = rewind;
    this.#rewinds.push({ from, to, messageId, removed, via, ...(toolUseId !== undefined ? { toolUseId } : {}), at });
  }

  /**
   * Subscribes to an emitter of process events (the {@link RECORDED_EVENTS}); returns the function
   * that unsubscribes. Accumulation is synchronous, so the result is up to date as soon as an event
   * has been emitted. A process does not need it for its own runs: it hands each event to its
   * run's result itself ({@link recordRunEvent}).
   */
  listen(emitter: EventEmitter<LLMProcessEvents>): () => void {
    // The methods themselves, with this result as their context: no listener is made per run.
    for (const event of RECORDED_EVENTS) emitter.on(event, RECORDERS[event] as never, this);
    return () => {
      for (const event of RECORDED_EVENTS) emitter.off(event, RECORDERS[event] as never, this);
    };
  }

  /** Finalizes the result: sets `endTime`, the stop reason and the last message. Idempotent. */
  complete(outcome: RunOutcome, endTime: number = Date.now()): this {
    if (this.#endTime !== undefined) return this;
    this.#endTime = endTime;
    this.#stopReason = outcome.stopReason;
    this.#lastMessage = outcome.lastMessage;
    this.#pendingApprovals = outcome.pendingApprovals ? outcome.pendingApprovals.map((approval) => ({ ...approval })) : [];
    this.#stopDetail = outcome.stopDetail;
    return this;
  }

  /**
   * Opens a result completed by a pause again, for the rest of the run (`resume()`): the end time,
   * stop reason, pending approvals and stop detail are cleared; everything recorded stays.
   * @internal
   */
  reopen(): this {
    this.#endTime = undefined;
    this.#stopReason = undefined;
    this.#pendingApprovals = [];
    this.#stopDetail = undefined;
    return this;
  }

  /**
   * A RunResult from its plain data ({@link RunResult.toJSON}, as a snapshot holds it): the same
   * calls, totals, start time and, when it was completed, end.
   */
  static fromJSON(json: RunResultJSON): RunResult {
    const result = new RunResult(json.startTime);
    for (const call of json.apiCallInfos) result.addApiCall(call);
    for (const call of json.toolCalls) result.#toolCalls.push({ ...call });
    if (json.fileDescriptors) {
      const { created, bytesKept, pagesRead } = json.fileDescriptors;
      Object.assign(result.#fileDescriptors, { created, bytesKept, pagesRead });
    }
    for (const rewind of json.rewinds ?? []) result.addRewind(rewind);
    if (json.endTime !== undefined && json.stopReason !== undefined) {
      result.complete({ stopReason: json.stopReason, lastMessage: json.lastMessage, pendingApprovals: json.pendingApprovals, stopDetail: json.stopDetail }, json.endTime);
    } else {
      result.#lastMessage = json.lastMessage;
    }
    return result;
  }

  /**
   * Plain data for logs and `JSON.stringify`: every field, durations rounded to the microsecond
   * and costs to 1e-9 USD (see {@link RunResultJSON}).
   */
  toJSON(): RunResultJSON {
    return {
      apiCalls: this.apiCalls,
      apiCallInfos: this.#apiCallInfos.map((info) => ({
        ...info,
        durationMs: roundMs(info.durationMs),
        ...(info.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: roundMs(info.timeToFirstTokenMs) }),
        costUsd: roundUsd(info.costUsd),
      })),
      toolCalls: this.#toolCalls.map((call) => ({ ...call, durationMs: roundMs(call.durationMs) })),
      usage: { ...this.#usage },
      totalTokens: this.totalTokens,
      costUsd: this.costUsd,
      startTime: this.startTime,
      endTime: this.#endTime,
      durationMs: roundMs(this.durationMs),
      stopReason: this.#stopReason,
      lastMessage: this.#lastMessage,
      completed: this.completed,
      ...(this.#pendingApprovals.length > 0 ? { pendingApprovals: this.#pendingApprovals.map((approval) => structuredClone(approval)) } : {}),
      ...(this.#stopDetail !== undefined ? { stopDetail: this.#stopDetail } : {}),
      ...(this.#fileDescriptors.created + this.#fileDescriptors.pagesRead > 0 ? { fileDescriptors: { ...this.#fileDescriptors } } : {}),
      ...(this.#rewinds.length > 0 ? { rewinds: this.#rewinds.map((rewind) => ({ ...rewind })) } : {}),
    };
  }

  /**
   * What `console.log(runResult)` and `util.inspect` show: `RunResult { apiCalls: 2, ... }` with
   * the fields of {@link RunResult.toJSON}.
   */
  [INSPECT](depth: number, options: InspectOptionsStylized, inspect: typeof nodeInspect): string {
    if (depth < 0) return options.stylize('[RunResult]', 'special');
    const nested = { ...options, depth: options.depth === null || options.depth === undefined ? options.depth : options.depth - 1 };
    return `RunResult ${inspect(this.toJSON(), nested)}`;
  }
}

/** The events a {@link RunResult} accumulates, each by its method. */
const RECORDERS = {
  'api:call': RunResult.prototype.addApiCall,
  'tool:end': RunResult.prototype.addToolCall,
  'fd:create': RunResult.prototype.addFileDescriptor,
  'fd:read': RunResult.prototype.addFileDescriptorRead,
  rewind: RunResult.prototype.addRewind,
} as const satisfies { [E in LLMProcessEventName]?: (this: RunResult, payload: LLMProcessEvents[E][0]) => void };

/** The events a {@link RunResult} accumulates: `api:call`, `tool:end`, `fd:create`, `fd:read` and `rewind`. */
export const RECORDED_EVENTS = Object.freeze(Object.keys(RECORDERS)) as readonly (keyof typeof RECORDERS)[];

/**
 * Hands `result` one event of a process: what {@link RunResult.listen}'s listeners do, called by
 * the process itself for its run's result, before the event's listeners. Events a result does not
 * record are ignored. @internal
 */
export function recordRunEvent<E extends LLMProcessEventName>(result: RunResult, event: E, payload: LLMProcessEvents[E][0]): void {
  const record = (RECORDERS as Partial<Record<LLMProcessEventName, (this: RunResult, payload: unknown) => void>>)[event];
  if (record !== undefined) record.call(result, payload);
}
