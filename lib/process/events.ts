/**
 * Every event an {@link LLMProcess} emits, declared once. Each event has exactly one payload
 * object, so a payload can grow a field without breaking listeners.
 *
 * @module
 */
import type { LLMProcess } from './llm-process.js';
import type { RunResult } from '../results/run-result.js';
import type { StopReason, TokenUsage } from '../providers/types.js';
import type { ToolResult } from '../tools/tool.js';
import type { ProcessSnapshot } from '../snapshot/snapshot-schema.js';
import type { ToolDecision } from './tool-decision.js';

/** Which child process did the work, on events forwarded from a spawned or forked child. */
export interface ChildOrigin {
  /** The child's program (its display name). */
  program: string;
  /** The child process's id. */
  processId: string;
  /** How the child was made. */
  via: 'spawn' | 'fork';
}

/** `run:start`: a run began. */
export interface RunStartEvent {
  /** The prompt given to `run()`. */
  input: string;
  /** A random id of this run (a UUID), unique across processes and machines; `run:end` carries the same one. */
  runId: string;
  /** Set when `resume()` continues a paused or restored run (`input` is then that run's). */
  resumed?: true | undefined;
}

/** `run:end`: a run ended, successfully or not. Fired after the RunResult is finalized. */
export interface RunEndEvent {
  runResult: RunResult;
  /** The id `run:start` carried. */
  runId: string;
  /** Set when the run failed; the same error `run()` rejects with. */
  error?: Error | undefined;
}

/** `api:start`: a model API call is about to be sent. */
export interface ApiStartEvent {
  model: string;
  /** 1-based number of this call within the run. */
  iteration: number;
}

/**
 * `api:call`: one model API call completed (after the SDK's retries, if any), or broke off after
 * the API began answering (`incomplete: true`).
 */
export interface ApiCallEvent {
  /** The model that answered. */
  model: string;
  /** The usage object exactly as the API returned it (`input_tokens`, `output_tokens`, ...). */
  usage: Record<string, unknown>;
  /** The same counts, normalized to camelCase. */
  tokens: TokenUsage;
  /** The model's stop reason; for an incomplete call, why it broke off: `error`, `aborted` or `timeout`. */
  stopReason: StopReason;
  /** The response id (`msg_...`). */
  id: string;
  /** Wall time of the call, including the SDK's retries. */
  durationMs: number;
  /** The API's request id, when it sent one. */
  requestId?: string | undefined;
  /** Streamed calls: ms until the first content arrived. */
  timeToFirstTokenMs?: number | undefined;
  /** What the call cost in USD, from the price table; `null` for a model without a known price. */
  costUsd: number | null;
  /** Set when a spawned or forked child made this call; absent for the process's own work. */
  child?: ChildOrigin | undefined;
  /**
   * `true` for a streamed call that failed or was aborted after the API began answering: the API
   * bills it, so it is counted, with the usage reported by then (the input tokens of
   * `message_start`); the run then rejects. Absent for a completed call.
   */
  incomplete?: true | undefined;
}

/** `text`: streamed text arrived (only with `stream: true`). */
export interface TextEvent {
  /** The new text. */
  delta: string;
  /** The text of the current response so far. */
  snapshot: string;
}

/** `response`: the model produced text (each response that has text, the final answer too). */
export interface ResponseEvent {
  /** The text of the response, its text blocks joined. */
  content: string;
}

/** Where a tool call goes; `server` is set for MCP tools. */
export interface ToolOrigin {
  /** `builtin`, `function` or `mcp`. */
  source: 'builtin' | 'function' | 'mcp' | 'unknown';
  /** The MCP server's name, for MCP tools. */
  server?: string | undefined;
}

/** `tool:start`: a tool call begins. */
export interface ToolStartEvent extends ToolOrigin {
  toolName: string;
  /** The call's input, as the model sent it; frozen, since it is the conversation's (the tool gets a copy). */
  args: Record<string, unknown>;
  /** The `tool_use` id; `tool:end` carries the same one. */
  toolUseId: string;
  /** Set when a spawned or forked child made this call; absent for the process's own work. */
  child?: ChildOrigin | undefined;
}

/** `tool:end`: a tool call ended (also when it failed: see `isError`). */
export interface ToolEndEvent extends ToolOrigin {
  toolName: string;
  /** The same frozen input as `tool:start`'s, whatever the tool did with its copy. */
  args: Record<string, unknown>;
  result: ToolResult;
  toolUseId: string;
  durationMs: number;
  isError: boolean;
  /** Set when a spawned or forked child made this call; absent for the process's own work. */
  child?: ChildOrigin | undefined;
  /**
   * What was decided about the call (see {@link ToolDecision}); a denied, rejected or cancelled call
   * did not run, so it has a `tool:end` without a `tool:start`. Always set by `LLMProcess`.
   */
  decision?: ToolDecision | undefined;
  /** The model's arguments, when the call ran with others (`args`). */
  originalArgs?: Record<string, unknown> | undefined;
}

/**
 * `child:start`: a spawn or fork tool call adopted a child process, before the child's run starts.
 * Subscribe to `process` to follow the child's own events (its `run:start`, `api:start`, ...); its
 * `api:call`, `tool:start`, `tool:end` and `child:start` also reach this process, tagged `child`.
 */
export interface ChildStartEvent {
  /** The child process. */
  process: LLMProcess;
  /** Which child it is: its program, process id and how it was made. */
  origin: ChildOrigin;
  /** The `tool_use` id of the spawn or fork call that started it (in the process that adopted it). */
  toolUseId: string;
  /** Set when a spawned or forked child started this one (a grandchild); absent for the process's own. */
  child?: ChildOrigin | undefined;
}

/** `callback:error`: a user callback or event listener threw or rejected. The run goes on. */
export interface CallbackErrorEvent {
  /** The callback's key (`on_tool_start`) or the listener's function name. */
  callback: string;
  /** The event whose listener failed. */
  event: string;
  /** What it threw (not necessarily an `Error`). */
  error: unknown;
}

/**
 * `rewind`: the conversation returned to an earlier message (the `goto` tool, or
 * `process.rewind()`), after the tool batch it was asked in: the messages from `to` on were
 * removed and `instruction` took the place of `to`, as message `messageId`. The run goes on from there.
 */
export interface RewindEvent {
  /** The id of the last message before the rewind. */
  from: string;
  /** The id of the message returned to (now removed, replaced by the instruction). */
  to: string;
  /** The id of the instruction's message. */
  messageId: string;
  /** How many messages were removed (`to` and every one after it). */
  removed: number;
  /** The user message the run goes on with. */
  instruction: string;
  /** Who asked: the `goto` tool or code (`process.rewind()`). */
  via: 'goto' | 'code';
  /** The `goto` call that asked for it. */
  toolUseId?: string | undefined;
  /** When it happened (epoch ms). */
  at: number;
}

/** What a `checkpoint` was taken after. */
export type CheckpointStep = 'model_call' | 'tool_results' | 'awaiting_approval' | 'rewind';

/**
 * `checkpoint`: the run reached a point it can be continued from — a model call completed, a batch
 * of tool results entered the conversation, the run paused for approval, or a rewind was applied. Persist the snapshot
 * (`JSON.stringify` it) to continue after a crash with `LLMProgram.restore()` and `resume()`.
 * Built only when something listens.
 */
export interface CheckpointEvent {
  step: CheckpointStep;
  /** The process's snapshot at this point (a copy: yours to keep). */
  snapshot: ProcessSnapshot;
}

/**
 * `fd:create`: a tool result was longer than `[file_descriptor] max_direct_output_chars`, so the
 * process kept it as a file descriptor; the model sees its first page and a note (see `read_fd`).
 * Fired before the call's `tool:end`, whose `result` is what the model sees.
 */
export interface FileDescriptorCreateEvent {
  /** The descriptor's id, `fd:1`, `fd:2`, ... */
  fd: string;
  toolName: string;
  toolUseId: string;
  /** Characters kept. */
  chars: number;
  /** Bytes kept (UTF-8). */
  bytes: number;
  /** How many pages of `pageSize` characters it has. */
  pages: number;
  pageSize: number;
  /** The output's length before it was cut to the most one descriptor keeps; `chars` when nothing was cut. */
  originalChars: number;
}

/** `fd:read`: `read_fd` returned part of a descriptor (a page, or a range of characters). */
export interface FileDescriptorReadEvent {
  fd: string;
  /** The `read_fd` call. */
  toolUseId: string;
  /** The page read (1-based), for a page request. */
  page?: number | undefined;
  /** Where the part read starts (characters). */
  offset: number;
  /** Characters returned. */
  chars: number;
}

/** The typed event map of {@link LLMProcess}: `process.on('tool:start', (e) => ...)`. */
export interface LLMProcessEvents {
  'run:start': [event: RunStartEvent];
  'run:end': [event: RunEndEvent];
  'api:start': [event: ApiStartEvent];
  'api:call': [event: ApiCallEvent];
  text: [event: TextEvent];
  response: [event: ResponseEvent];
  'tool:start': [event: ToolStartEvent];
  'tool:end': [event: ToolEndEvent];
  'child:start': [event: ChildStartEvent];
  'callback:error': [event: CallbackErrorEvent];
  checkpoint: [event: CheckpointEvent];
  'fd:create': [event: FileDescriptorCreateEvent];
  'fd:read': [event: FileDescriptorReadEvent];
  rewind: [event: RewindEvent];
}

/** The name of an event of {@link LLMProcessEvents}. */
export type LLMProcessEventName = keyof LLMProcessEvents;
