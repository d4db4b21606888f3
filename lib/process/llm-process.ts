/**
 * `LLMProcess`: a started program. It holds the conversation and runs the model/tool loop, and it
 * is the one place that emits events.
 *
 * @module
 */
import { ApiCallError, type ClosedProcessOperation, InvalidArgumentError, LLMProcError, ProcessClosedError, RunAbortedError, RunError, RunInProgressError } from '../errors.js';
import { attachCallbacks } from '../callbacks/callbacks.js';
import type { LLMProgram } from '../program/llm-program.js';
import type { Message, ModelProvider, ModelTurn, PartialUsage, ToolCallPart, ToolSpec } from '../providers/types.js';
import { costOf } from '../results/pricing.js';
import { RunResult, type RunStopReason } from '../results/run-result.js';
import { runToolCall } from '../tools/run-tool.js';
import { ABORTED, untilAborted } from '../until-aborted.js';
import { deepFreeze } from '../deep-freeze.js';
import type { StartOptions } from './start.js';
import type { Tool, ToolResult } from '../tools/tool.js';
import path from 'node:path';
import { composeSystemPrompt, type PreloadedFile, readPreloadFiles, warnMissingPreload } from './system-prompt.js';
import { appendUserInput, lastAssistantText, textOf, toolCallsOf, toToolResultPart } from './conversation.js';
import type { ApiCallEvent, LLMProcessEventName, LLMProcessEvents, ToolEndEvent, ToolOrigin, ToolStartEvent } from './events.js';
import { budgetLeft } from './budget.js';
import { incompleteCallEvent } from './incomplete-call.js';
import { assertRunInput } from './run-input.js';
import { assertPriced, assertSpawnDepth, DEFAULT_MAX_SPAWN_DEPTH, remainingBudget } from './child-limits.js';
import { type ResolvedRunOptions, type RunDefaults, type RunOptions, resolveRunOptions } from './run-options.js';
import { createRunSignal, type RunSignal } from './run-signal.js';
import { runScheduled } from './tool-scheduler.js';
import { emitListenerWarning, listenerName, SafeEventEmitter } from './safe-event-emitter.js';

/** What {@link LLMProcess} is built from; `program.start()` assembles it. */
export interface LLMProcessInit {
  program: LLMProgram;
  provider: ModelProvider;
  /** The options the process was started with: a child of the same provider is started with them. */
  startOptions?: StartOptions | undefined;
  /** Every tool the model may call, names unique. */
  tools: readonly Tool[];
  /** The program's system prompt, before the env and preload blocks. */
  systemPrompt: string;
  /** The `<env>` block (may be empty). */
  envBlock?: string | undefined;
  /** Files read into the `<preload>` block at start. */
  preloaded?: readonly PreloadedFile[] | undefined;
  /** Releases what the process holds (MCP servers); called once by {@link LLMProcess.close}. */
  close?: (() => Promise<void>) | undefined;
  /** Defaults for the options of every `run()` (the program's run settings). */
  runDefaults?: RunDefaults | undefined;
  /** Set on a process made by {@link LLMProcess.fork}: it may not fork again. */
  forkedFrom?: string | undefined;
}

let processCount = 0;

/** Per-run state threaded through the loop. */
interface RunContext {
  options: ResolvedRunOptions;
  result: RunResult;
  abort: RunSignal;
}

const noop = (): void => {};

/**
 * A running LLM program: `await process.run(prompt)` drives the model/tool loop and resolves to a
 * {@link RunResult}. Subscribe to its typed events (`process.on('tool:start', (e) => ...)`) or pass
 * a callbacks object to `run()`. A listener that throws never breaks a run: it is reported as a
 * `callback:error` event (or a process warning when nobody listens to that).
 */
export class LLMProcess extends SafeEventEmitter<LLMProcessEvents> {
  /** The program this process was started from. */
  readonly program: LLMProgram;
  /** A process id, unique in this Node process (`proc-1`, ...); tags the events of children. */
  readonly id = `proc-${++processCount}`;
  /** The id of the process this one was forked from, if it is a fork. */
  readonly forkedFrom: string | undefined;
  readonly #init: LLMProcessInit;
  readonly #basePrompt: string;
  readonly #envBlock: string;
  #preloaded: PreloadedFile[];
  #systemPrompt: string;
  readonly #provider: ModelProvider;
  readonly #tools: ReadonlyMap<string, Tool>;
  readonly #toolSpecs: readonly ToolSpec[];
  readonly #close: () => Promise<void>;
  readonly #runDefaults: RunDefaults;
  #messages: Message[] = [];
  #running = false;
  #closed: Promise<void> | undefined;
  /** The run going on, for the children its tools start. */
  #run: RunContext | undefined;
  /** Set on a child while it runs: whether the parent's run (and its ancestors') has budget left. */
  #parentBudgetLeft: (() => boolean) | undefined;
  /** The programs from the root process down to this one (spawns add one; a fork is its parent's). */
  #lineage: readonly string[];

  constructor(init: LLMProcessInit) {
    super();
    this.program = init.program;
    this.#init = init;
    this.forkedFrom = init.forkedFrom;
    this.#basePrompt = init.systemPrompt;
    this.#envBlock = init.envBlock ?? '';
    this.#preloaded = [...(init.preloaded ?? [])];
    this.#systemPrompt = composeSystemPrompt(this.#basePrompt, this.#envBlock, this.#preloaded);
    this.#provider = init.provider;
    this.#tools = new Map(init.tools.map((tool) => [tool.name, tool]));
    this.#toolSpecs = init.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
    this.#close = init.close ?? (async () => {});
    this.#runDefaults = { ...init.runDefaults };
    this.#lineage = [init.program.displayName];
  }

  /** The system prompt sent with every call: the program's prompt, then `<env>` and `<preload>` blocks. */
  get systemPrompt(): string {
    return this.#systemPrompt;
  }

  /**
   * Reads more files into the `<preload>` block of the system prompt (paths relative to the
   * program's folder), after the files preloaded before; a file given again is read again. A file
   * that cannot be read is skipped with a warning naming it (one preloaded before keeps its
   * earlier content). The prompt only changes between runs: it rejects with
   * {@link RunInProgressError}, changing nothing, when a run is going when it is called or started
   * while the files were being read.
   */
  async preloadFiles(paths: readonly string[]): Promise<void> {
    this.#throwIfClosed('preloadFiles');
    if (this.#running) throw new RunInProgressError();
    const absolute = paths.map((file) => path.resolve(this.program.baseDir, file));
    const files = await readPreloadFiles(absolute, warnMissingPreload);
    // The read took a while: a run may have started (its prompt must not change) or close() been called.
    this.#throwIfClosed('preloadFiles');
    if (this.#running) throw new RunInProgressError();
    const reread = new Set(files.map((file) => file.path));
    this.#preloaded = [...this.#preloaded.filter((file) => !reread.has(file.path)), ...files];
    this.#systemPrompt = composeSystemPrompt(this.#basePrompt, this.#envBlock, this.#preloaded);
  }

  /** The model this process calls. */
  get model(): string {
    return this.program.model;
  }

  /** The tools the model is offered, as sent to the API. */
  get tools(): readonly ToolSpec[] {
    return this.#toolSpecs;
  }

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Runs one prompt: calls the model, runs every tool it asks for, sends the results back, and
   * repeats until the model stops asking for tools or `maxIterations` API calls were made.
   *
   * @returns the run's metrics. On failure the promise rejects with a {@link RunError} (for an API
   *   failure, an {@link ApiCallError} whose `cause` is the SDK's error) carrying the partial
   *   RunResult; the conversation is left valid for the next run.
   */
  async run(input: string, options?: RunOptions): Promise<RunResult> {
    assertRunInput(input);
    this.#throwIfClosed('run');
    const resolved = resolveRunOptions(options, this.#runDefaults);
    if (resolved.maxCostUsd !== undefined && !this.#provider.priceOf?.(this.program.model)) {
      throw new InvalidArgumentError(
        'options.maxCostUsd',
        `the model "${this.program.model}" has no known price, so a cost budget cannot be enforced; use maxTokens instead`,
      );
    }
    if (this.#running) throw new RunInProgressError();
    this.#running = true;

    const result = new RunResult();
    const detachResult = result.listen(this);
    const detachCallbacks = resolved.callbacks ? attachCallbacks(this, resolved.callbacks) : noop;
    const run: RunContext = { options: resolved, result, abort: createRunSignal(resolved.signal, resolved.timeoutMs) };
    this.#run = run;
    let stopReason: RunStopReason = 'error';
    let error: RunError | undefined;
    try {
      this.emit('run:start', { input });
      appendUserInput(this.#messages, input);
      stopReason = await this.#loop(run);
    } catch (thrown) {
      error = this.#toRunError(thrown, run);
      stopReason = error instanceof RunAbortedError ? error.reason : 'error';
    } finally {
      run.abort.dispose();
      result.complete({ stopReason, lastMessage: this.getLastMessage() });
      this.emit('run:end', { runResult: result, error });
      detachCallbacks();
      detachResult();
      this.#run = undefined;
      this.#running = false;
    }
    if (error) throw error;
    return result;
  }

  /**
   * An independent copy of this process: same program, tools and settings, a deep copy of the
   * conversation. It shares the model client and MCP servers (closing it does not stop them).
   * A forked process cannot fork again.
   */
  fork(): LLMProcess {
    this.#throwIfClosed('fork');
    const child = new LLMProcess({ ...this.#init, preloaded: this.#preloaded, close: undefined, forkedFrom: this.id });
    child.#messages = structuredClone(this.#messages);
    child.#lineage = this.#lineage;
    return child;
  }

  /**
   * Replaces the conversation of a fork so that it answers the fork call `toolUseId` (used by the
   * fork tool): the last assistant message keeps only that call, answered by `note`.
   * @internal
   */
  prepareForkOf(toolUseId: string, note: string): void {
    const last = this.#messages.at(-1);
    if (last?.role !== 'assistant') return;
    const content = last.content.filter((part) => part.type !== 'tool_call' || part.id === toolUseId);
    this.#messages[this.#messages.length - 1] = { role: 'assistant', content };
    this.#messages.push({ role: 'user', content: [{ type: 'tool_result', toolCallId: toolUseId, content: [{ type: 'text', text: note }], isError: false }] });
  }

  /**
   * Starts a process of a linked `program` (for spawn), on **its own** program's provider: a
   * program of this process's provider gets this process's start options (key, base URL, client),
   * one of another provider gets its client from its own settings and environment. A provider
   * given to `start()` as `provider` answers for every program.
   *
   * @throws {ChildRunRefusedError} (`depth`) before starting anything, when the spawn would nest
   *   deeper than the current run's `maxSpawnDepth`.
   */
  async startChild(program: LLMProgram): Promise<LLMProcess> {
    const chain = [...this.#lineage, program.displayName];
    assertSpawnDepth(chain, this.#run?.options.maxSpawnDepth ?? DEFAULT_MAX_SPAWN_DEPTH);
    const options = this.#init.startOptions ?? {};
    const child = await (options.provider
      ? program.start({ provider: options.provider })
      : !this.#init.startOptions
        ? program.start({ provider: this.#provider })
        : program.start(program.provider === this.program.provider ? options : {}));
    child.#lineage = chain;
    return child;
  }

  /**
   * Runs `prompt` on a child (from {@link LLMProcess.startChild} or {@link LLMProcess.fork}) within
   * the current run: its events reach this process's listeners and RunResult (see
   * {@link LLMProcess.adoptChild}); it spends from this run's budget (its run gets what is left of
   * `maxTokens` and `maxCostUsd`, and stops as soon as this run's totals, which include every
   * child, reach them, so concurrent children share one budget); it inherits `maxSpawnDepth`.
   * Used by the spawn and fork tools.
   *
   * @throws {ChildRunRefusedError} (`budget`, `unpriced`) without running the child, when the
   *   budget is spent or the child's model has no known price under a cost budget. What the
   *   child's `run()` rejects with otherwise.
   * @internal
   */
  async runChild(child: LLMProcess, prompt: string, via: 'spawn' | 'fork', signal: AbortSignal): Promise<RunResult> {
    const run = this.#run;
    const options: RunOptions = { signal };
    if (run) {
      const context = { program: child.program.displayName, model: child.model, chain: child.#lineage };
      Object.assign(options, remainingBudget(run.options, run.result, context), { maxSpawnDepth: run.options.maxSpawnDepth });
      assertPriced(run.options, child.#provider.priceOf?.(child.model), context);
      const parentLeft = this.#parentBudgetLeft;
      child.#parentBudgetLeft = () => budgetLeft(run.options, run.result) && (parentLeft?.() ?? true);
    }
    const detach = this.adoptChild(child, via);
    try {
      return await child.run(prompt, options);
    } finally {
      detach();
      child.#parentBudgetLeft = undefined;
    }
  }

  /**
   * Forwards a child's `api:call`, `tool:start` and `tool:end` events to this process's listeners
   * (and so to its RunResult), tagged with the child. Returns the function that stops forwarding.
   */
  adoptChild(child: LLMProcess, via: 'spawn' | 'fork'): () => void {
    const tag = { program: child.program.displayName, processId: child.id, via };
    const onApiCall = (event: ApiCallEvent): void => void this.emit('api:call', { ...event, child: event.child ?? tag });
    const onToolStart = (event: ToolStartEvent): void => void this.emit('tool:start', { ...event, child: event.child ?? tag });
    const onToolEnd = (event: ToolEndEvent): void => void this.emit('tool:end', { ...event, child: event.child ?? tag });
    child.on('api:call', onApiCall);
    child.on('tool:start', onToolStart);
    child.on('tool:end', onToolEnd);
    return () => {
      child.off('api:call', onApiCall);
      child.off('tool:start', onToolStart);
      child.off('tool:end', onToolEnd);
    };
  }

  /** The text of the last assistant message that has text (the answer of the last run), or `''`. */
  getLastMessage(): string {
    return lastAssistantText(this.#messages);
  }

  /** A deep copy of the conversation. */
  getState(): Message[] {
    return structuredClone(this.#messages);
  }

  /** Clears the conversation (not allowed while a run is going). */
  resetState(): void {
    if (this.#running) throw new RunInProgressError();
    this.#messages = [];
  }

  /**
   * Stops what the process started (MCP servers). Safe to call more than once. From the moment it
   * is called, `run()`, `fork()` and `preloadFiles()` are refused with {@link ProcessClosedError}.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /** `await using process = await program.start()` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected override onListenerError(event: LLMProcessEventName, listener: (...args: unknown[]) => unknown, error: unknown): void {
    const callback = listenerName(listener);
    if (event !== 'callback:error' && this.listenerCount('callback:error') > 0) {
      this.emit('callback:error', { callback, event, error });
    } else {
      emitListenerWarning(event, callback, error);
    }
  }

  async #loop(run: RunContext): Promise<RunStopReason> {
    for (let iteration = 1; iteration <= run.options.maxIterations; iteration++) {
      this.#throwIfAborted(run);
      // R23: a child stops on its own budget and on its parent's (whose totals include every child).
      if (!budgetLeft(run.options, run.result) || this.#parentBudgetLeft?.() === false) return 'budget';
      const turn = await this.#callModel(iteration, run);
      const calls = toolCallsOf(turn.content);
      // A call's input is part of the history (sent back with every later request): tools get a
      // copy, and listeners and RunResult.toolCalls this frozen original.
      for (const call of calls) deepFreeze(call.input);
      // R7: a tool call cut off by max_tokens is incomplete: it is neither kept nor run.
      const truncated = turn.stopReason === 'max_tokens' && calls.length > 0;
      // R8: empty text is never kept (it could leave an assistant message with nothing to send).
      const content = turn.content.filter((part) => !(part.type === 'text' && part.text === '') && !(truncated && part.type === 'tool_call'));
      if (content.length > 0) this.#messages.push({ role: 'assistant', content });

      const text = textOf(content);
      if (text) this.emit('response', { content: text });

      if (turn.stopReason === 'pause_turn') continue;
      if (truncated || calls.length === 0) return turn.stopReason;
      // R5: every tool_use is answered, in the very next message, whatever the stop reason.
      await this.#runTools(calls, run);
      // R11: an abort that landed during the tools ends the run as aborted, whatever the stop reason.
      this.#throwIfAborted(run);
      if (turn.stopReason !== 'tool_use') return turn.stopReason;
    }
    this.#throwIfAborted(run);
    return 'max_iterations';
  }

  #throwIfClosed(operation: ClosedProcessOperation): void {
    if (this.#closed) throw new ProcessClosedError(operation, this.id);
  }

  #throwIfAborted(run: RunContext): void {
    const cause = run.abort.cause();
    if (cause) throw new RunAbortedError(cause, run.result);
  }

  async #callModel(iteration: number, run: RunContext): Promise<ModelTurn> {
    const model = this.program.model;
    this.emit('api:start', { model, iteration });
    const started = performance.now();
    let turn: ModelTurn | typeof ABORTED;
    // What a streamed call has used so far: billed even if the call then breaks off.
    let partial: PartialUsage | undefined;
    try {
      const call = this.#provider.complete(
        { model, system: this.systemPrompt || undefined, messages: this.#messages, tools: this.#toolSpecs, parameters: this.program.parameters },
        {
          signal: run.abort.abortable ? run.abort.signal : undefined,
          stream: run.options.stream,
          onText: run.options.stream ? (delta, snapshot) => this.emit('text', { delta, snapshot }) : undefined,
          onUsage: run.options.stream ? (usage) => void (partial = usage) : undefined,
        },
      );
      // R2: an SDK may sleep between retries without watching the signal; an abort must not wait.
      turn = await untilAborted(call, run.abort.signal);
    } catch (error) {
      this.#emitIncompleteCall(partial, model, started, run.abort.cause() ?? 'error');
      this.#throwIfAborted(run);
      const { message, status, requestId } = this.#provider.describeError(error);
      throw new ApiCallError(message, run.result, { status, requestId, cause: error });
    }
    if (turn === ABORTED) {
      this.#emitIncompleteCall(partial, model, started, run.abort.cause() ?? 'aborted');
      this.#throwIfAborted(run);
      throw new RunError('The model call was abandoned without an abort cause.', run.result);
    }
    this.emit('api:call', {
      model: turn.model,
      usage: turn.usage,
      tokens: turn.tokens,
      stopReason: turn.stopReason,
      id: turn.id,
      durationMs: performance.now() - started,
      requestId: turn.requestId,
      timeToFirstTokenMs: turn.timeToFirstTokenMs,
      costUsd: costOf(this.#provider.priceOf?.(turn.model), turn.tokens),
    });
    return turn;
  }

  /** Records a call that broke off after the API began answering (`partial` set): the API bills it. */
  #emitIncompleteCall(partial: PartialUsage | undefined, model: string, started: number, stopReason: string): void {
    if (!partial) return;
    const price = (name: string) => this.#provider.priceOf?.(name);
    this.emit('api:call', incompleteCallEvent(partial, { model, durationMs: performance.now() - started, stopReason, price }));
  }

  async #runTools(calls: readonly ToolCallPart[], run: RunContext): Promise<void> {
    const scheduled = calls.map((call) => ({
      run: () => this.#runTool(call, run),
      exclusive: this.#tools.get(call.name)?.exclusive === true,
    }));
    const results = await runScheduled(scheduled, run.options.toolConcurrency);
    this.#messages.push({ role: 'user', content: calls.map((call, i) => toToolResultPart(call.id, results[i]!)) });
  }

  async #runTool(call: ToolCallPart, run: RunContext): Promise<ToolResult> {
    const origin = originOf(this.#tools.get(call.name));
    this.emit('tool:start', { toolName: call.name, args: call.input, toolUseId: call.id, ...origin });
    const started = performance.now();
    const result = await runToolCall(this.#tools, call, run.abort.signal, this);
    this.emit('tool:end', {
      toolName: call.name,
      args: call.input,
      result,
      toolUseId: call.id,
      durationMs: performance.now() - started,
      isError: result.isError,
      ...origin,
    });
    return result;
  }

  #toRunError(thrown: unknown, run: RunContext): RunError {
    const result = run.result;
    if (thrown instanceof RunError) return thrown;
    const cause = run.abort.cause();
    if (cause) return new RunAbortedError(cause, result, { cause: thrown });
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new RunError(
      thrown instanceof LLMProcError ? message : `The run failed unexpectedly: ${message}`,
      result,
      { cause: thrown },
    );
  }
}

function originOf(tool: Tool | undefined): ToolOrigin {
  if (!tool) return { source: 'unknown' };
  return tool.source.kind === 'mcp' ? { source: 'mcp', server: tool.source.server } : { source: tool.source.kind };
}
