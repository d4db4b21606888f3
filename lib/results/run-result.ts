/**
 * `RunResult`: what one `run()` cost and did. It is an accumulator: it subscribes to a process's
 * `api:call` and `tool:end` events for the length of one run, the way mocha's stats collector
 * listens to its runner, and is finalized by {@link RunResult.complete}.
 *
 * @module
 */
import type { EventEmitter } from 'eventemitter3';
import type { ApiCallEvent, ChildOrigin, LLMProcessEvents, ToolEndEvent } from '../process/events.js';
import type { StopReason, TokenUsage } from '../providers/types.js';

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
}

/**
 * Why a run ended: the model's last stop reason (`end_turn`, `max_tokens`, `refusal`, ...), or one
 * of llmproc's own: `max_iterations` (the run made `maxIterations` API calls), `budget` (the next
 * call would have started past `maxTokens` or `maxCostUsd`), `aborted` (the signal aborted),
 * `timeout` (`timeoutMs` elapsed), `error` (the run failed; see the rejection).
 */
export type RunStopReason = StopReason | 'max_iterations' | 'budget' | 'aborted' | 'timeout' | 'error';

/** The plain-data form of a {@link RunResult} (`JSON.stringify(runResult)` gives this). */
export interface RunResultJSON {
  apiCalls: number;
  apiCallInfos: ApiCallInfo[];
  toolCalls: ToolCallInfo[];
  usage: TokenUsage;
  costUsd: number | null;
  startTime: number;
  endTime: number | undefined;
  durationMs: number;
  stopReason: RunStopReason | undefined;
  lastMessage: string;
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
  readonly #apiCallInfos: ApiCallInfo[] = [];
  readonly #toolCalls: ToolCallInfo[] = [];
  readonly #usage: TokenUsage = emptyUsage();
  #costUsd = 0;
  #costKnown = true;

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

  /** Token totals over {@link RunResult.apiCallInfos}. */
  get usage(): Readonly<TokenUsage> {
    return this.#usage;
  }

  /**
   * What the run's API calls cost in USD (from the price table in `pricing.ts`); `null` when a
   * call used a model without a known price.
   */
  get costUsd(): number | null {
    return this.#costKnown ? this.#costUsd : null;
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

  /** Whether {@link RunResult.complete} was called. */
  get completed(): boolean {
    return this.#endTime !== undefined;
  }

  /** Records one API call. Also what the `api:call` listener of {@link RunResult.listen} calls. */
  addApiCall(call: ApiCallEvent): void {
    this.#apiCallInfos.push({
      model: call.model,
      usage: call.usage,
      tokens: call.tokens,
      stopReason: call.stopReason,
      id: call.id,
      durationMs: call.durationMs,
      requestId: call.requestId,
      timeToFirstTokenMs: call.timeToFirstTokenMs,
      costUsd: call.costUsd,
      ...(call.child ? { child: call.child } : {}),
      ...(call.incomplete ? { incomplete: true as const } : {}),
    });
    if (call.costUsd === null) this.#costKnown = false;
    else this.#costUsd += call.costUsd;
    this.#usage.inputTokens += call.tokens.inputTokens;
    this.#usage.outputTokens += call.tokens.outputTokens;
    this.#usage.cacheReadInputTokens += call.tokens.cacheReadInputTokens;
    this.#usage.cacheCreationInputTokens += call.tokens.cacheCreationInputTokens;
  }

  /** Records one finished tool call. */
  addToolCall(call: ToolEndEvent): void {
    this.#toolCalls.push({
      toolName: call.toolName,
      args: call.args,
      toolUseId: call.toolUseId,
      durationMs: call.durationMs,
      isError: call.isError,
      source: call.source,
      server: call.server,
      ...(call.child ? { child: call.child } : {}),
    });
  }

  /**
   * Subscribes to a process's events; returns the function that unsubscribes. Accumulation is
   * synchronous, so the result is up to date as soon as an event has been emitted.
   */
  listen(emitter: EventEmitter<LLMProcessEvents>): () => void {
    const onApiCall = (event: ApiCallEvent): void => this.addApiCall(event);
    const onToolEnd = (event: ToolEndEvent): void => this.addToolCall(event);
    emitter.on('api:call', onApiCall);
    emitter.on('tool:end', onToolEnd);
    return () => {
      emitter.off('api:call', onApiCall);
      emitter.off('tool:end', onToolEnd);
    };
  }

  /** Finalizes the result: sets `endTime`, the stop reason and the last message. Idempotent. */
  complete(outcome: { stopReason: RunStopReason; lastMessage: string }, endTime: number = Date.now()): this {
    if (this.#endTime !== undefined) return this;
    this.#endTime = endTime;
    this.#stopReason = outcome.stopReason;
    this.#lastMessage = outcome.lastMessage;
    return this;
  }

  /** Plain data for logs and `JSON.stringify`. */
  toJSON(): RunResultJSON {
    return {
      apiCalls: this.apiCalls,
      apiCallInfos: this.#apiCallInfos.map((info) => ({ ...info })),
      toolCalls: this.#toolCalls.map((call) => ({ ...call })),
      usage: { ...this.#usage },
      costUsd: this.costUsd,
      startTime: this.startTime,
      endTime: this.#endTime,
      durationMs: this.durationMs,
      stopReason: this.#stopReason,
      lastMessage: this.#lastMessage,
    };
  }
}
