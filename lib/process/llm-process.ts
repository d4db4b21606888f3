/**
 * `LLMProcess`: a started program. It holds the conversation and runs the model/tool loop, and it
 * is the one place that emits events.
 *
 * @module
 */
import { ApiCallError, type ClosedProcessOperation, HookError, InvalidArgumentError, LLMProcError, ProcessClosedError, ResumeError, RewindError, RunAbortedError, RunError, RunInProgressError, UnfinishedRunError } from '../errors.js';
import { attachRunCallbacks } from '../callbacks/callbacks.js';
import type { LLMProgram } from '../program/llm-program.js';
import type { AssistantPart, CompleteOptions, Message, ModelProvider, ModelTurn, PartialUsage, ToolCallPart, ToolSpec } from '../providers/types.js';
import { costOf } from '../results/pricing.js';
import { recordRunEvent, RunResult, type RunStopReason } from '../results/run-result.js';
import { runToolCall, type UnabortableSignal } from '../tools/run-tool.js';
import { createFileDescriptorStore, type FileDescriptorListener, type FileDescriptorStore, type FileDescriptorsData } from '../tools/file-descriptors/store.js';
import { keepLongOutput } from '../tools/file-descriptors/keep-long-output.js';
import { ABORTED, untilAborted } from '../until-aborted.js';
import { deepFreeze } from '../deep-freeze.js';
import type { StartOptions } from './start.js';
import type { Tool, ToolResult } from '../tools/tool.js';
import type { RewindPlan, ToolCapabilities } from '../tools/capabilities.js';
import { type ChildVia, createChildren } from './children-capability.js';
import { type LabelledMessage, labelMessages, MessageIds, messageIdText } from './message-ids.js';
import { applyRewind, findReturnPoint, type RewindSource, shownId } from './rewind.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { composeSystemPrompt, type PreloadedFile, readPreloadFiles, warnMissingPreload } from './system-prompt.js';
import { appendUserInput, frozenMessage, lastAssistantText, textOf, toolCallsOf, toToolResultPart } from './conversation.js';
import type { ApiCallEvent, ChildStartEvent, LLMProcessEventName, LLMProcessEvents, RunStartEvent, ToolEndEvent, ToolOrigin, ToolStartEvent } from './events.js';
import { budgetLeft } from './budget.js';
import { incompleteCallEvent } from './incomplete-call.js';
import { assertProviderTakes, type CheckedInput, readRunInput, type RunInput } from './run-input.js';
import { summarizeInput } from '../input/summarize-input.js';
import { assertPriced, assertSpawnDepth, DEFAULT_MAX_SPAWN_DEPTH, remainingBudget } from './child-limits.js';
import { type ResolvedRunOptions, type RunDefaults, type RunOptions, resolveRunOptions } from './run-options.js';
import { createRunSignal, type RunSignal } from './run-signal.js';
import { RunStream } from './run-stream.js';
import { emitListenerWarning, listenerName, SafeEventEmitter } from './safe-event-emitter.js';
import { hasEventObservers, notifyObservers } from './observe.js';
import { cachingEnv } from './prompt-caching.js';
import { toolTableOf, UNKNOWN_ORIGIN } from './tool-table.js';
import type { EventEmitter } from 'eventemitter3';
import { decideApproval, type PendingApproval, pendingOf, toolRequiresApproval } from './approvals.js';
import { applyAfterToolCall, applyBeforeModelCall, applyBeforeRun } from './hook-points.js';
import { emitHookWarning, type HookName, hookNames, type Hooks, mergeHooks } from './hooks.js';
import { newRunState, plainOptions, recordModelCall, recordRewind, recordToolResults, type RunState } from './run-state.js';
import { resumeOptions, type UnfinishedRun } from './resume.js';
import { type RunPlan, runToolBatch, type ToolBatchContext, type ToolBatchOutcome } from './tool-batch.js';
import type { MaybePromise } from '../maybe-promise.js';
import { planAsGiven, planToolCall, type ToolDecision } from './tool-decision.js';
import type { CheckpointStep } from './events.js';
import { createSnapshot } from '../snapshot/create-snapshot.js';
import type { ProcessSnapshot } from '../snapshot/snapshot-schema.js';

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

/** What `LLMProgram.restore()` puts in place of a new process's state. */
export interface RestoredState {
  messages: Message[];
  ids: MessageIds;
  run: { state: RunState; result: RunResult } | undefined;
  fileDescriptors?: FileDescriptorsData | undefined;
}

/**
 * Puts a restored snapshot's state in a new process (`lib/snapshot/restore.ts`): a function, not a
 * method, so that it is not part of the process's public API. Set by {@link LLMProcess}'s static block.
 */
export let restoreProcessState: (process: LLMProcess, state: RestoredState) => void;

/** Per-run state threaded through the loop. */
interface RunContext {
  options: ResolvedRunOptions;
  result: RunResult;
  abort: RunSignal;
  /** Steering: the run's hooks (program, start and run, merged), its plain state, a hook's stop reason. */
  hooks: Hooks;
  state: RunState;
  stopDetail?: string | undefined;
  /** How the tool batches of the run are planned, run and reported: made at its first batch. */
  batch?: ToolBatchContext | undefined;
  /** The run's id (`run:start`, `run:end`), made when first heard of. */
  id?: string | undefined;
}

/** A run that is going on or unfinished (paused, restored mid-run), with its RunResult. */
interface SteeredRun extends UnfinishedRun {
  result: RunResult;
}

const noop = (): void => {};
/** The options of a model call that neither streams nor can be aborted (most calls): one frozen object for all. */
const PLAIN_CALL: CompleteOptions = Object.freeze({ stream: false });
/** The close of a process that holds nothing (no MCP server, log or offline model). */
const closeNothing = (): Promise<void> => Promise.resolve();

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
  /** Each tool's origin, as events report it (spread into each payload, never handed out). */
  readonly #origins: ReadonlyMap<string, ToolOrigin>;
  readonly #toolSpecs: readonly ToolSpec[];
  readonly #close: () => Promise<void>;
  readonly #runDefaults: RunDefaults;
  /** `LLMPROC_DISABLE_AUTOMATIC_CACHING` as it was when the process started (see {@link cachingEnv}). */
  readonly #cachingEnv = cachingEnv();
  /**
   * The conversation: append-only and immutable. Each message is deeply frozen when added and never
   * changed (a changed message is a new object in its place), so providers cache wire forms by
   * identity and forks share the message objects. Users get copies.
   */
  #messages: Message[] = [];
  /** The ids of the messages (`msg_N`), given as they are added; see {@link LLMProcess.messageIds}. */
  #ids = new MessageIds();
  /** The messages as the model sees them when goto is enabled (ids in front), built once each; made on first use. */
  #labelled: WeakMap<Message, LabelledMessage> | undefined;
  #running = false;
  #closed: Promise<void> | undefined;
  /** The run in progress or unfinished; `undefined` when the process is idle. */
  #steered: SteeredRun | undefined;
  /** Set by `resume()` for the `run()` it calls. */
  #resuming = false;
  /** The run going on, for the children its tools start. */
  #run: RunContext | undefined;
  /** Set on a child while it runs: whether the parent's run (and its ancestors') has budget left. */
  #parentBudgetLeft: (() => boolean) | undefined;
  /** The programs from the root process down to this one (spawns add one; a fork is its parent's). */
  #lineage: readonly string[];
  /** The program's and `start()`'s hooks merged, and their names: made at the first run, the same for every run. */
  #ownHooks: { hooks: Hooks; names: HookName[] } | undefined;
  /** Long tool results kept for read_fd / fd_to_file, when the program uses them (a fork gets a copy). */
  #fileDescriptors: FileDescriptorStore | undefined;

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
    const table = toolTableOf(init.program, init.tools);
    this.#tools = table.byName;
    this.#origins = table.origins;
    this.#toolSpecs = table.specs;
    this.#close = init.close ?? closeNothing;
    this.#runDefaults = { ...init.runDefaults };
    this.#lineage = [init.program.displayName];
    this.#fileDescriptors = createFileDescriptorStore(init.program, () => this.#descriptorListener());
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
   * `input` is a string, or content parts: text, images (`{ type: 'image', mediaType, data }`,
   * `{ type: 'image_url', url }`) and PDFs (`{ type: 'document', mediaType: 'application/pdf',
   * data }`). Every part is checked before anything is sent, and the conversation is unchanged
   * when one is refused.
   *
   * @throws {InvalidInputPartError} for a malformed part, naming its index and what was expected;
   *   `UnsupportedInputError` for a part the provider cannot take for the model.
   * @returns the run's metrics. On failure the promise rejects with a {@link RunError} (for an API
   *   failure, an {@link ApiCallError} whose `cause` is the SDK's error) carrying the partial
   *   RunResult; the conversation is left valid for the next run.
   */
  async run(input: RunInput, options?: RunOptions): Promise<RunResult> {
    const resuming = this.#resuming;
    this.#resuming = false;
    const checked = readRunInput(input);
    this.#throwIfClosed('run');
    assertProviderTakes(this.#provider, this.program.model, checked);
    const resolved = resolveRunOptions(options, this.#runDefaults, this.#cachingEnv);
    if (resolved.maxCostUsd !== undefined && !this.#provider.priceOf?.(this.program.model)) {
      throw new InvalidArgumentError(
        'options.maxCostUsd',
        `the model "${this.program.model}" has no known price, so a cost budget cannot be enforced; use maxTokens instead`,
      );
    }
    if (this.#running) throw new RunInProgressError();
    if (this.#steered && !resuming) throw new UnfinishedRunError(this.pendingApprovals.map((approval) => approval.id));
    this.#running = true;

    const result = resuming ? this.#steered!.result.reopen() : new RunResult();
    const detachCallbacks = resolved.callbacks ? attachRunCallbacks(this, resolved.callbacks) : noop;
    const steered = this.#steer(checked, resolved, result, options, resuming);
    const run: RunContext = { options: resolved, result, abort: createRunSignal(resolved.signal, resolved.timeoutMs), hooks: steered.hooks, state: steered.state };
    this.#run = run;
    let stopReason: RunStopReason = 'error';
    let error: RunError | undefined;
    try {
      // An event nobody hears (no listener, no observer) is not even built: most runs have several.
      if (this.#hears('run:start')) {
        const start: RunStartEvent = { ...summarizeInput(checked), runId: this.#idOf(run) };
        if (resuming) start.resumed = true;
        this.emit('run:start', start);
      }
      // Steps with nothing to do are skipped without an await: each await costs every run a turn of the microtask queue.
      if (!resuming) appendUserInput(this.#messages, run.hooks.beforeRun ? await this.#beforeRun(checked, run) : (run.state.input = checked));
      stopReason = await this.#loop(run);
    } catch (thrown) {
      error = this.#toRunError(thrown, run);
      stopReason = error instanceof RunAbortedError ? error.reason : 'error';
    } finally {
      run.abort.dispose();
      result.complete({ stopReason, lastMessage: this.getLastMessage(), ...this.#unsteer(run, stopReason) });
      if (this.#hears('run:end')) this.emit('run:end', { runResult: result, runId: this.#idOf(run), error });
      detachCallbacks();
      this.#run = undefined;
      this.#running = false;
    }
    if (error) throw error;
    return result;
  }

  /**
   * Runs one prompt as an async iterable of the run's events, each `{ type: 'tool:start', ... }`
   * (the payload of {@link LLMProcessEvents} tagged with its name), ending with
   * `{ type: 'result', runResult }`; a failed run throws its {@link RunError} after its events.
   * The run starts when iteration begins and streams responses (`text` events) unless
   * `options.stream` is `false`; leaving the loop early aborts the run and waits for it to settle.
   * Events are queued until read, without a bound. See {@link RunStream}.
   */
  stream(input: RunInput, options?: RunOptions): RunStream {
    return new RunStream(this, input, options);
  }

  /**
   * An independent copy of this process: same program, tools and settings, and the conversation so
   * far (its messages are immutable, so the fork shares them instead of copying them; what either
   * process adds later is its own). It shares the model client and MCP servers (closing it does not
   * stop them).
   * A forked process cannot fork again.
   */
  fork(): LLMProcess {
    this.#throwIfClosed('fork');
    if (this.#steered && !this.#running) throw new UnfinishedRunError(this.pendingApprovals.map((approval) => approval.id));
    const child = new LLMProcess({ ...this.#init, preloaded: this.#preloaded, close: undefined, forkedFrom: this.id });
    child.#messages = [...this.#messages];
    child.#ids = this.#messageIdsNow().copy();
    child.#lineage = this.#lineage;
    child.#fileDescriptors = this.#fileDescriptors?.copy(child.#descriptorListener());
    return child;
  }

  /**
   * Replaces the conversation of a fork so that it answers the fork call `toolUseId` (used by the
   * fork tool): the last assistant message keeps only that call, answered by `note`.
   */
  #prepareForkOf(toolUseId: string, note: string): void {
    const last = this.#messages.at(-1);
    if (last?.role !== 'assistant') return;
    const content = last.content.filter((part) => part.type !== 'tool_call' || part.id === toolUseId);
    this.#messages[this.#messages.length - 1] = frozenMessage({ role: 'assistant', content });
    this.#messages.push(frozenMessage({ role: 'user', content: [{ type: 'tool_result', toolCallId: toolUseId, content: [{ type: 'text', text: note }], isError: false }] }));
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
  async #startChild(program: LLMProgram): Promise<LLMProcess> {
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
   * Runs `prompt` on a child (spawned or forked) within
   * the current run: its events reach this process's listeners and RunResult (see
   * `#adoptChild`); it spends from this run's budget (its run gets what is left of
   * `maxTokens` and `maxCostUsd`, and stops as soon as this run's totals, which include every
   * child, reach them, so concurrent children share one budget); it inherits `maxSpawnDepth`, and
   * `promptCaching: false`.
   * Used by the spawn and fork tools.
   *
   * @throws {ChildRunRefusedError} (`budget`, `unpriced`) without running the child, when the
   *   budget is spent or the child's model has no known price under a cost budget. What the
   *   child's `run()` rejects with otherwise.
   */
  async #runChild(child: LLMProcess, prompt: string, via: ChildVia, signal: AbortSignal, toolUseId: string): Promise<RunResult> {
    const run = this.#run;
    const options: RunOptions = { signal };
    if (run) {
      const context = { program: child.program.displayName, model: child.model, chain: child.#lineage };
      Object.assign(options, remainingBudget(run.options, run.result, context), { maxSpawnDepth: run.options.maxSpawnDepth });
      // A run that turned prompt caching off turns it off for its children too (on, they follow their own program).
      if (!run.options.promptCaching) options.promptCaching = false;
      assertPriced(run.options, child.#provider.priceOf?.(child.model), context);
      const parentLeft = this.#parentBudgetLeft;
      child.#parentBudgetLeft = () => budgetLeft(run.options, run.result) && (parentLeft?.() ?? true);
    }
    const detach = this.#adoptChild(child, via, toolUseId);
    try {
      return await child.run(prompt, options);
    } finally {
      detach();
      child.#parentBudgetLeft = undefined;
    }
  }

  /**
   * Adopts a child started by the tool call `toolUseId`: emits `child:start`, then forwards the
   * child's `api:call`, `tool:start`, `tool:end` and `child:start` events to this process's
   * listeners (and so to its RunResult), tagged with the child. Returns the function that stops
   * forwarding.
   */
  #adoptChild(child: LLMProcess, via: ChildVia, toolUseId: string): () => void {
    const tag = { program: child.program.displayName, processId: child.id, via };
    this.emit('child:start', { process: child, origin: tag, toolUseId });
    const onApiCall = (event: ApiCallEvent): void => void this.emit('api:call', { ...event, child: event.child ?? tag });
    const onToolStart = (event: ToolStartEvent): void => void this.emit('tool:start', { ...event, child: event.child ?? tag });
    const onToolEnd = (event: ToolEndEvent): void => void this.emit('tool:end', { ...event, child: event.child ?? tag });
    const onChildStart = (event: ChildStartEvent): void => void this.emit('child:start', { ...event, child: event.child ?? tag });
    child.on('api:call', onApiCall);
    child.on('tool:start', onToolStart);
    child.on('tool:end', onToolEnd);
    child.on('child:start', onChildStart);
    return () => {
      child.off('api:call', onApiCall);
      child.off('tool:start', onToolStart);
      child.off('tool:end', onToolEnd);
      child.off('child:start', onChildStart);
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

  /**
   * The id of each message of {@link LLMProcess.getState}, in order (`msg_0`, `msg_1`, ...): given
   * as messages are added and never reused in the process's life, so an id names one message for
   * good (a rewind removes ids, and the messages after it get new ones). With the `goto` tool
   * enabled, the model sees the id of each message it can go back to, `[msg_3] ...`.
   */
  get messageIds(): string[] {
    return this.#ids.sync(this.#messages).map(messageIdText);
  }

  /**
   * Returns the conversation to the user message `messageId` (a {@link LLMProcess.messageIds} id)
   * and goes on from there with `instruction` in its place: once the current tool batch has
   * completed (at once when none is going), the history becomes the messages before it, then
   * `instruction` as a user message, and the run calls the model again. Call it while a run is
   * going (from a listener, a callback, a hook or a tool); a `rewind` event reports it and the
   * RunResult's `rewinds` records it. A run that ends before (aborted, failed) drops it.
   * @throws {RewindError} when no run is going, a rewind is already pending, `instruction` is not
   *   a non-empty string, or the id is malformed, unknown, ahead, the current message, removed by
   *   an earlier rewind, or not a user message that answers no tool call.
   */
  rewind(messageId: string, instruction: string): void {
    this.#requestRewind(messageId, instruction, 'code');
  }

  /** Clears the conversation (not allowed while a run is going). */
  resetState(): void {
    if (this.#running) throw new RunInProgressError();
    this.#messageIdsNow(); // every message removed had its id: the count goes on after them
    this.#messages = [];
    this.#steered = undefined;
    this.#fileDescriptors?.clear();
  }

  /**
   * The tool calls waiting for approval: the run is paused (`stopReason: 'awaiting_approval'`)
   * until each is approved or denied and `resume()` is called. Empty when nothing waits.
   */
  get pendingApprovals(): PendingApproval[] {
    return pendingOf(this.#steered?.state.approvals ?? []);
  }

  /**
   * Approves the waiting tool call `id` (a `pendingApprovals` id): it runs when the run resumes,
   * with `options.args` instead of its arguments when given. A decision may be changed until then.
   * @throws {ApprovalError} when no call `id` is waiting.
   */
  approve(id: string, options: { args?: Record<string, unknown> | undefined } = {}): void {
    if (this.#running) throw new RunInProgressError();
    decideApproval(this.#steered?.state.approvals ?? [], id, { approve: true, args: options.args });
  }

  /**
   * Denies the waiting tool call `id`: when the run resumes, the model gets an `is_error` result
   * saying it was not approved, with `reason`.
   * @throws {ApprovalError} when no call `id` is waiting.
   */
  deny(id: string, reason = ''): void {
    if (this.#running) throw new RunInProgressError();
    decideApproval(this.#steered?.state.approvals ?? [], id, { approve: false, reason });
  }

  /**
   * Continues the unfinished run — paused for approval, or restored from a checkpoint taken mid-run —
   * where it stopped: the calls of the paused batch are answered (approved ones run, denied ones
   * get their refusal, calls without a result yet run), then the loop goes on. Resolves with the
   * RunResult of the whole run, the calls before the pause included (the same object within one
   * process). `options` are the run's, with these on top; a restored process knows only those that
   * are plain data (`maxIterations`, `stream`, `toolConcurrency`, budgets, `timeoutMs`, which applies
   * anew to each part of the run): give `signal`, `callbacks` and `hooks` again.
   *
   * @throws {ResumeError} when there is no unfinished run, some calls still wait for a decision, or
   *   a hook the run had is missing.
   */
  async resume(options?: RunOptions): Promise<RunResult> {
    if (this.#running) throw new RunInProgressError();
    const steered = this.#steered;
    if (!steered) throw new ResumeError('There is no paused or unfinished run to resume: start one with run().');
    const merged = resumeOptions(steered, options, (hooks) => hookNames(mergeHooks(this.program.hooks, this.#init.startOptions?.hooks, hooks)));
    this.#resuming = true;
    return this.run(steered.state.input, merged);
  }

  /**
   * A snapshot of the process: plain, JSON-serializable data (`version: 1`) with the program (its
   * TOML file, or its definition for a program built in code), the system prompt as sent, the
   * conversation, and the unfinished run if any (its state, pending approvals and RunResult so
   * far). No secret is in it: no start option (API key, client) is written. Give it to
   * `LLMProgram.restore()` to continue, in this Node process or another.
   */
  snapshot(): ProcessSnapshot {
    return createSnapshot({
      program: this.program,
      hooks: this.#processHooks(),
      systemPrompt: this.#systemPrompt,
      messages: this.#messages,
      messageIds: this.#messageIdsNow(),
      run: this.#steered,
      fileDescriptors: this.#fileDescriptors?.toJSON(),
    });
  }

  static {
    restoreProcessState = (process, state) => process.#restoreState(state);
  }

  /** Puts a restored snapshot's conversation, message ids, file descriptors and unfinished run in place (`LLMProgram.restore()`). */
  #restoreState({ messages, ids, run, fileDescriptors }: RestoredState): void {
    // A copy: freezing must not reach into the caller's snapshot object.
    this.#messages = structuredClone(messages).map(frozenMessage);
    this.#ids = ids;
    if (fileDescriptors) this.#fileDescriptors = createFileDescriptorStore(this.program, () => this.#descriptorListener(), fileDescriptors);
    this.#steered = run && { ...run, options: {} };
  }

  /**
   * Stops what the process started (MCP servers). Safe to call more than once. From the moment it
   * is called, `run()`, `fork()` and `preloadFiles()` are refused with {@link ProcessClosedError}.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /**
   * What `JSON.stringify` gives for a process (it may sit in a `child:start` payload): its id, its
   * program's name and model, and the process it was forked from.
   */
  toJSON(): { id: string; program: string; model: string; forkedFrom?: string | undefined } {
    return { id: this.id, program: this.program.displayName, model: this.model, ...(this.forkedFrom ? { forkedFrom: this.forkedFrom } : {}) };
  }

  /** `await using process = await program.start()` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Emits `event` to its listeners, after handing it to the observers of `observeProcessEvents` (llmproc/testing). */
  override emit<T extends LLMProcessEventName>(event: T, ...args: EventEmitter.EventArgs<LLMProcessEvents, T>): boolean {
    // Every event carries one payload: it is passed on alone, without argument arrays.
    const payload = args[0] as LLMProcessEvents[T][0];
    notifyObservers(this, event, payload);
    // The run's RunResult gets each event before the listeners, from the process itself: no
    // listener to attach and detach per run, and no listener that removeAllListeners() can take away.
    const run = this.#run;
    if (run !== undefined) recordRunEvent(run.result, event, payload);
    return args.length === 1 ? this.emitPayload(event, payload as EventEmitter.EventArgs<LLMProcessEvents, T>[0]) : super.emit(event, ...args);
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
    if (run.state.next !== 'model') {
      const carried = await this.#continueTurn(run);
      if (carried !== undefined) return carried;
    }
    for (let iteration = run.state.iteration + 1; iteration <= run.options.maxIterations; iteration++) {
      this.#throwIfAborted(run);
      // R23: a child stops on its own budget and on its parent's (whose totals include every child).
      if (!budgetLeft(run.options, run.result) || this.#parentBudgetLeft?.() === false) return 'budget';
      if (run.hooks.beforeModelCall && (await this.#hookStops(iteration, run))) return 'hook_stop';
      const turn = await this.#callModel(iteration, run);
      const calls = toolCallsOf(turn.content);
      // A call's input is part of the history (sent back with every later request): tools get a
      // copy, and listeners and RunResult.toolCalls this frozen original.
      for (const call of calls) deepFreeze(call.input);
      // R7: a tool call cut off by max_tokens is incomplete: it is neither kept nor run.
      const truncated = turn.stopReason === 'max_tokens' && calls.length > 0;
      // R8: empty text is never kept (it could leave an assistant message with nothing to send).
      const content = keptContent(turn.content, truncated);
      if (content.length > 0) this.#messages.push(frozenMessage({ role: 'assistant', content }));
      recordModelCall(run.state, iteration, turn.stopReason, turn.stopReason !== 'pause_turn' && !truncated && calls.length > 0);
      this.#checkpoint('model_call');

      if (this.#hears('response')) {
        const text = textOf(content);
        if (text) this.emit('response', { content: text });
      }

      if (turn.stopReason === 'pause_turn') continue;
      if (truncated || calls.length === 0) {
        if (this.#rewound(run)) continue;
        return turn.stopReason;
      }
      // R5: every tool_use is answered, in the very next message, whatever the stop reason.
      const paused = this.#runTools(calls, run);
      if (paused instanceof Promise ? await paused : paused) return 'awaiting_approval';
      // R11: an abort that landed during the tools ends the run as aborted, whatever the stop reason.
      this.#throwIfAborted(run);
      // A rewind (goto) asked for in this batch happens now that every call is answered.
      if (this.#rewound(run)) continue;
      if (turn.stopReason !== 'tool_use') return turn.stopReason;
    }
    this.#throwIfAborted(run);
    return 'max_iterations';
  }

  /** The message ids, up to date with the conversation. */
  #messageIdsNow(): MessageIds {
    this.#ids.sync(this.#messages);
    return this.#ids;
  }

  /** The conversation as sent to the model: with goto enabled, each message it can go back to shows its id. */
  #requestMessages(): Message[] {
    if (!this.program.builtinTools.includes('goto')) return this.#messages;
    return labelMessages(this.#messages, this.#ids.sync(this.#messages), (this.#labelled ??= new WeakMap()));
  }

  /** The capabilities `tool` asks for (`uses`), for its call `toolUseId` in `run`. */
  #capabilities(tool: Tool | undefined, toolUseId: string, run: RunContext): ToolCapabilities {
    const uses = tool?.uses ?? [];
    const capabilities: ToolCapabilities = {};
    if (uses.includes('children')) {
      capabilities.children = createChildren({
        canFork: this.forkedFrom === undefined,
        linkedProgram: (name) => this.program.linkedProgram(name),
        start: (program) => this.#startChild(program),
        fork: (note) => {
          const child = this.fork();
          child.#prepareForkOf(toolUseId, note);
          return child;
        },
        run: (child, prompt, via) => this.#runChild(child, prompt, via, run.abort.signal, toolUseId),
      });
    }
    if (uses.includes('conversation')) capabilities.conversation = { rewind: (id, instruction) => this.#requestRewind(id, instruction, 'goto', toolUseId) };
    // Only builtins get the descriptor store: it is what read_fd and fd_to_file read, not a capability for user tools.
    if (uses.includes('fileDescriptors') && tool?.source.kind === 'builtin') capabilities.fileDescriptors = this.#fileDescriptors;
    return capabilities;
  }

  /** Checks a rewind and keeps it in the run state, for when the conversation is complete (see {@link LLMProcess.rewind}). */
  #requestRewind(messageId: unknown, instruction: unknown, via: RewindSource, toolUseId?: string): RewindPlan {
    const shown = shownId(messageId);
    const state = this.#run?.state;
    if (!state) {
      throw new RewindError('no_run', shown, `Cannot go back to ${shown}: no run is going. A rewind happens within a run: call rewind() while run() is going (from a listener, a callback, a hook or a tool).`);
    }
    if (state.rewind) throw new RewindError('pending', shown, `Cannot go back to ${shown}: a rewind to ${state.rewind.to} is already pending in this turn; only one happens at a time.`);
    const index = findReturnPoint(this.#messages, this.#ids.sync(this.#messages), this.#ids.next, messageId);
    if (typeof instruction !== 'string' || instruction.trim() === '') {
      throw new RewindError('bad_instruction', shown, `Cannot go back to ${shown}: the instruction must be a non-empty string (the user message the run goes on with).`);
    }
    state.rewind = { to: shown, instruction, via, ...(toolUseId !== undefined ? { toolUseId } : {}) };
    return { to: shown, removed: this.#messages.length - index };
  }

  /** Applies the pending rewind of `run`, if any (the conversation is complete here); `true` when it did. */
  #rewound(run: RunContext): boolean {
    const pending = run.state.rewind;
    if (!pending) return false;
    const applied = applyRewind(this.#messages, this.#ids, pending, Date.now());
    recordRewind(run.state);
    if (!applied) return false;
    this.#messages = applied.messages;
    this.emit('rewind', applied.event);
    this.#checkpoint('rewind');
    return true;
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
    if (this.#hears('api:start')) this.emit('api:start', { model, iteration });
    const started = performance.now();
    let turn: ModelTurn | typeof ABORTED;
    // What a streamed call has used so far: billed even if the call then breaks off.
    let partial: PartialUsage | undefined;
    try {
      const call = this.#provider.complete(
        {
          model,
          system: this.systemPrompt || undefined,
          messages: this.#requestMessages(),
          tools: this.#toolSpecs,
          parameters: this.program.parameters,
          promptCache: run.options.promptCache,
        },
        run.options.stream || run.abort.abortable
          ? {
              signal: run.abort.abortable ? run.abort.signal : undefined,
              stream: run.options.stream,
              onText: run.options.stream ? (delta, snapshot) => this.emit('text', { delta, snapshot }) : undefined,
              onUsage: run.options.stream ? (usage) => void (partial = usage) : undefined,
            }
          : PLAIN_CALL,
      );
      // R2: an SDK may sleep between retries without watching the signal; an abort must not wait.
      turn = run.abort.abortable ? await untilAborted(call, run.abort.signal) : await call;
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

  /** Answers the calls of a response; `true` when the run pauses for approval before some of them (at once when the batch finished at once). */
  #runTools(calls: readonly ToolCallPart[], run: RunContext): MaybePromise<boolean> {
    const batch = runToolBatch(calls, (run.batch ??= this.#batchContext(run)));
    return batch instanceof Promise ? batch.then((settled) => this.#toolsAnswered(calls, run, settled)) : this.#toolsAnswered(calls, run, batch);
  }

  /** Keeps a finished batch's results as the next user message; `true` when the batch paused instead. */
  #toolsAnswered(calls: readonly ToolCallPart[], run: RunContext, batch: ToolBatchOutcome): boolean {
    if (batch.kind === 'paused') return (this.#checkpoint('awaiting_approval'), true);
    const results = batch.results;
    this.#messages.push(frozenMessage({ role: 'user', content: calls.map((call, i) => toToolResultPart(call.id, results[i]!)) }));
    recordToolResults(run.state);
    this.#checkpoint('tool_results');
    return false;
  }

  /** Runs one planned call with its events; its result at once when the tool gave it at once and no `afterToolCall` hook waits. */
  #runTool(call: ToolCallPart, run: RunContext, plan: RunPlan): MaybePromise<ToolResult> {
    const tool = this.#tools.get(call.name);
    const origin = this.#originOf(call.name);
    if (this.#hears('tool:start')) this.emit('tool:start', { toolName: call.name, args: plan.args, toolUseId: call.id, ...origin });
    const started = performance.now();
    // A run that cannot abort makes its signal only if a tool reads it.
    const signal = run.abort.abortable ? run.abort.signal : (run.abort as UnabortableSignal);
    const capabilities = tool?.uses?.length ? this.#capabilities(tool, call.id, run) : undefined;
    const ran = runToolCall(this.#tools, plan.args === call.input ? call : { ...call, input: plan.args }, signal, capabilities);
    if (ran instanceof Promise || run.hooks.afterToolCall) return this.#afterTool(call, run, plan, origin, started, ran);
    return this.#endTool(call, run, plan, origin, started, ran);
  }

  /** The rest of a call that waits: for its tool, then for the `afterToolCall` hook if the run has one. */
  async #afterTool(call: ToolCallPart, run: RunContext, plan: RunPlan, origin: ToolOrigin, started: number, pending: MaybePromise<ToolResult>): Promise<ToolResult> {
    const ran = await pending;
    if (!run.hooks.afterToolCall) return this.#endTool(call, run, plan, origin, started, ran);
    const after = await applyAfterToolCall(run.hooks.afterToolCall, {
      toolName: call.name, args: plan.args, originalArgs: plan.originalArgs, result: ran, toolUseId: call.id, decision: plan.decision, signal: run.abort.signal, ...origin,
    });
    if (after.hookFailure !== undefined) this.#reportHookFailure('afterToolCall', after.hookFailure);
    return this.#endTool(call, run, plan, origin, started, after.result);
  }

  /** Keeps a call's final result (long text as a descriptor) and emits `tool:end`. */
  #endTool(call: ToolCallPart, run: RunContext, plan: RunPlan, origin: ToolOrigin, started: number, hooked: ToolResult): ToolResult {
    // Long text is kept as a descriptor after the hook (which sees it whole), before the history gets it.
    const descriptors = this.#fileDescriptors;
    const result = descriptors ? keepLongOutput(descriptors, { toolName: call.name, toolUseId: call.id, source: this.#tools.get(call.name)?.source }, hooked) : hooked;
    run.state.results[call.id] = result;
    const ended: ToolEndEvent = {
      toolName: call.name,
      args: plan.args,
      result,
      toolUseId: call.id,
      durationMs: performance.now() - started,
      isError: result.isError,
      source: origin.source,
    };
    if (origin.server !== undefined) ended.server = origin.server;
    ended.decision = plan.decision;
    if (plan.originalArgs) ended.originalArgs = plan.originalArgs;
    this.emit('tool:end', ended);
    return result;
  }

  /** Where the tool `name` comes from, as events report it (made once per tool). */
  #originOf(name: string): ToolOrigin {
    return this.#origins.get(name) ?? UNKNOWN_ORIGIN;
  }

  /** How the tool batch plans, runs and reports the calls of this run. */
  #batchContext(run: RunContext): ToolBatchContext {
    return {
      state: run.state,
      concurrency: run.options.toolConcurrency,
      exclusive: (call) => this.#tools.get(call.name)?.exclusive === true,
      plan: (call) => {
        const tool = this.#tools.get(call.name);
        const requiresApproval = toolRequiresApproval(tool, this.program.requireApproval);
        const hook = run.hooks.beforeToolCall;
        // Without a hook the plan is known at once and needs no signal: a run that cannot abort then makes none.
        if (!hook) return planAsGiven(call, requiresApproval);
        return planToolCall(call, { hook, requiresApproval, signal: run.abort.signal, ...this.#originOf(call.name) }).then((planned) => {
          if (planned.hookFailure !== undefined) this.#reportHookFailure('beforeToolCall', planned.hookFailure);
          return planned.plan;
        });
      },
      run: (call, plan) => this.#runTool(call, run, plan),
      answer: (call, result, decision: ToolDecision) =>
        void this.emit('tool:end', { toolName: call.name, args: call.input, result, toolUseId: call.id, durationMs: 0, isError: result.isError, ...this.#originOf(call.name), decision }),
      aborted: () => run.abort.cause() !== undefined,
    };
  }

  /** The steering part of a run's context: its hooks and state (a resumed run's, or a new one). */
  #steer(input: CheckedInput, options: ResolvedRunOptions, result: RunResult, given: RunOptions | undefined, resuming: boolean): Pick<RunContext, 'hooks' | 'state'> {
    // Most runs bring no hooks of their own: they have the process's, merged once.
    const own = (this.#ownHooks ??= this.#mergedHooks(undefined));
    const { hooks, names } = options.hooks === undefined ? own : this.#mergedHooks(options.hooks);
    let state: RunState;
    if (resuming) {
      state = this.#steered!.state;
      state.options = plainOptions(options);
      state.hooks = names;
    } else {
      state = newRunState(input, options, names);
    }
    this.#steered = { state, result, options: { ...given } };
    return { hooks, state };
  }

  /** At the end of a run: keeps a paused run for `resume()`, forgets any other; what the RunResult records of it. */
  #unsteer(run: RunContext, stopReason: RunStopReason): { pendingApprovals?: PendingApproval[]; stopDetail?: string | undefined } {
    if (stopReason === 'awaiting_approval') return { pendingApprovals: this.pendingApprovals };
    this.#steered = undefined;
    return stopReason === 'hook_stop' ? { stopDetail: run.stopDetail } : {};
  }

  /** A resumed run first finishes the turn it stopped in; `undefined` when the loop goes on to a model call. */
  async #continueTurn(run: RunContext): Promise<RunStopReason | undefined> {
    const { state } = run;
    if (state.next === 'done') return this.#rewound(run) ? undefined : (state.stopReason ?? 'end_turn');
    if (state.next === 'model') return undefined;
    const last = this.#messages.at(-1);
    const calls = last?.role === 'assistant' ? toolCallsOf(last.content) : [];
    if (calls.length > 0 && (await this.#runTools(calls, run))) return 'awaiting_approval';
    if (calls.length === 0) recordToolResults(state);
    if (this.#rewound(run)) return undefined;
    return state.stopReason === 'tool_use' ? undefined : state.stopReason;
  }

  /** The input after `beforeRun`; an input it answers is checked as `run()`'s is. */
  async #beforeRun(input: CheckedInput, run: RunContext): Promise<CheckedInput> {
    if (!run.hooks.beforeRun) return (run.state.input = input);
    const check = (answered: unknown): CheckedInput => {
      const rewritten = readRunInput(answered);
      assertProviderTakes(this.#provider, this.program.model, rewritten);
      return rewritten;
    };
    const outcome = await applyBeforeRun(run.hooks.beforeRun, input, run.abort.signal, check);
    if (outcome.kind === 'aborted') this.#throwIfAborted(run);
    if (outcome.kind === 'failed') throw new HookError('beforeRun', outcome.problem, run.result, { cause: outcome.cause });
    const rewritten = outcome.kind === 'input' ? outcome.input : input;
    run.state.input = rewritten;
    return rewritten;
  }

  /** Whether `beforeModelCall` stops the run before model call `iteration`. */
  async #hookStops(iteration: number, run: RunContext): Promise<boolean> {
    const hook = run.hooks.beforeModelCall;
    if (!hook) return false;
    const outcome = await applyBeforeModelCall(hook, { iteration, messages: structuredClone(this.#messages), model: this.program.model, signal: run.abort.signal });
    if (outcome.kind === 'aborted') this.#throwIfAborted(run);
    if (outcome.kind === 'failed') throw new HookError('beforeModelCall', outcome.problem, run.result, { cause: outcome.cause });
    if (outcome.kind !== 'stop') return false;
    run.stopDetail = outcome.reason;
    return true;
  }

  /** How the descriptor store reports to this process, which emits its events. */
  #descriptorListener(): FileDescriptorListener {
    return { created: (event) => void this.emit('fd:create', event), read: (event) => void this.emit('fd:read', event) };
  }

  /** Whether an event `event` would reach anyone: a listener of this process, or an observer of all processes. */
  #hears(event: LLMProcessEventName): boolean {
    return hasEventObservers() || this.listenerCount(event) > 0;
  }

  /** The id of `run`, a random UUID made the first time an event carries it. */
  #idOf(run: RunContext): string {
    return (run.id ??= randomUUID());
  }

  /** Emits a `checkpoint` with the snapshot at this point, when something listens. */
  #checkpoint(step: CheckpointStep): void {
    if (this.listenerCount('checkpoint') > 0) this.emit('checkpoint', { step, snapshot: this.snapshot() });
  }

  /** The hooks of the process itself (the program's and `start()`'s). */
  #processHooks(): HookName[] {
    return [...(this.#ownHooks ??= this.#mergedHooks(undefined)).names];
  }

  /** The program's hooks, then `start()`'s, then `runHooks` over them, and their names (frozen: runs share them). */
  #mergedHooks(runHooks: Hooks | undefined): { hooks: Hooks; names: HookName[] } {
    const hooks = mergeHooks(this.program.hooks, this.#init.startOptions?.hooks, runHooks);
    return { hooks, names: Object.freeze(hookNames(hooks)) as HookName[] };
  }

  /** Reports a hook that failed closed: a `callback:error` event, or a process warning when nobody listens. */
  #reportHookFailure(hook: HookName, error: unknown): void {
    if (this.listenerCount('callback:error') > 0) this.emit('callback:error', { callback: hook, event: 'hook', error });
    else emitHookWarning(hook, error);
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

/**
 * The parts of a response the history keeps: no empty text (R8), no tool call of a `truncated`
 * response (R7). `parts` itself when all are kept (the turn's list is the loop's own: no copy).
 */
function keptContent(parts: AssistantPart[], truncated: boolean): AssistantPart[] {
  let kept: AssistantPart[] | undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const keep = part.type === 'text' ? part.text !== '' : !(truncated && part.type === 'tool_call');
    if (kept) {
      if (keep) kept.push(part);
    } else if (!keep) {
      kept = parts.slice(0, i);
    }
  }
  return kept ?? parts;
}

