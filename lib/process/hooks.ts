/**
 * Hooks: async functions that steer a run at its decision points — before the run, before each
 * model call, before and after each tool call. Callbacks only watch; a hook's answer is obeyed.
 * Hooks come from three places, merged per hook: `run(input, { hooks })` wins over
 * `start({ hooks })`, which wins over `new LLMProgram({ hooks })`.
 *
 * A hook fails closed: when one throws, rejects or answers something it may not, the tool call it
 * guards is denied (`beforeToolCall`), the result it guards is withheld (`afterToolCall`), or the run
 * fails with a {@link HookError} (`beforeRun`, `beforeModelCall`). A hook that never settles does not
 * hold the run past its signal: aborting the run (or its `timeoutMs`) stops waiting for it.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { InputPart, Message } from '../providers/types.js';
import type { RunInputPart } from './run-input.js';
import type { ToolResult } from '../tools/tool.js';
import { ABORTED, untilAborted } from '../until-aborted.js';
import type { ToolOrigin } from './events.js';
import type { ToolDecision } from './tool-decision.js';

/** What `beforeRun` is given. */
export interface BeforeRunContext {
  /** The prompt given to `run()`, or its content parts as checked (base64 data; a copy). */
  input: string | InputPart[];
  /** The run's signal: aborted when the run is cancelled. */
  signal: AbortSignal;
}

/**
 * What `beforeRun` may answer: nothing (run the input as given) or `{ input }` (run this instead: a
 * prompt or content parts, checked as `run()`'s input is; one that cannot be sent fails the run).
 */
export type BeforeRunAnswer = { input: string | readonly RunInputPart[] } | undefined | void;

/** What `beforeModelCall` is given. */
export interface BeforeModelCallContext {
  /** 1-based number of the model call about to be made in this run. */
  iteration: number;
  /** A copy of the conversation the call will send (changing it changes nothing). */
  messages: Message[];
  /** The model about to be called. */
  model: string;
  /** The run's signal. */
  signal: AbortSignal;
}

/** What `beforeModelCall` may answer: nothing (make the call) or `{ stop: reason }` (end the run, `stopReason: 'hook_stop'`). */
export type BeforeModelCallAnswer = { stop: string } | undefined | void;

/** What `beforeToolCall` is given. */
export interface BeforeToolCallContext extends ToolOrigin {
  toolName: string;
  /** The arguments the model gave (a copy). */
  args: Record<string, unknown>;
  /** The `tool_use` id; tool events and `RunResult.toolCalls` carry the same one. */
  toolUseId: string;
  /** Whether the tool requires approval (`requireApproval` on the tool, or `[tools] require_approval`). */
  requiresApproval: boolean;
  /** The run's signal. */
  signal: AbortSignal;
}

/**
 * What `beforeToolCall` may answer:
 * - nothing: run the call as the model gave it — or, when the tool requires approval, pause for it;
 * - `{ args }`: run it with these arguments instead (a tool that requires approval still pauses, for
 *   the new arguments);
 * - `{ allow: true }` (with `args` or without): run it now, even when the tool requires approval;
 * - `{ deny: reason }`: do not run it; the model gets an `is_error` result with the reason;
 * - `{ pause: true }`: pause the run for approval, even when the tool does not require it.
 */
export type BeforeToolCallAnswer =
  | { args: Record<string, unknown>; allow?: boolean | undefined }
  | { allow: true; args?: Record<string, unknown> | undefined }
  | { deny: string }
  | { pause: true }
  | undefined
  | void;

/** What `afterToolCall` is given: a call that ran, and its result. */
export interface AfterToolCallContext extends ToolOrigin {
  toolName: string;
  /** The arguments the tool ran with. */
  args: Record<string, unknown>;
  /** The model's arguments, when the tool ran with others (a hook's or an approval's). */
  originalArgs?: Record<string, unknown> | undefined;
  result: ToolResult;
  toolUseId: string;
  /** How it came to run: `ran`, `modified` or `approved`. */
  decision: ToolDecision;
  /** The run's signal. */
  signal: AbortSignal;
}

/** What `afterToolCall` may answer: nothing (keep the result) or `{ result }` (the model gets this one instead). */
export type AfterToolCallAnswer = { result: ToolResult } | undefined | void;

/** A hook: sync or async. */
type Hook<TContext, TAnswer> = (context: TContext) => TAnswer | Promise<TAnswer>;

/** The hooks of a program, a process or a run. Each is optional. */
export interface Hooks {
  /** Before the run's input enters the conversation; may rewrite it. */
  beforeRun?: Hook<BeforeRunContext, BeforeRunAnswer> | undefined;
  /** Before each model call; may stop the run. */
  beforeModelCall?: Hook<BeforeModelCallContext, BeforeModelCallAnswer> | undefined;
  /** Before each tool call; may change its arguments, deny it, allow it or pause it for approval. */
  beforeToolCall?: Hook<BeforeToolCallContext, BeforeToolCallAnswer> | undefined;
  /** After each tool call that ran; may replace its result. */
  afterToolCall?: Hook<AfterToolCallContext, AfterToolCallAnswer> | undefined;
}

/** The names of the hooks, in the order a run meets them. */
export const HOOK_NAMES = ['beforeRun', 'beforeModelCall', 'beforeToolCall', 'afterToolCall'] as const;

/** One of {@link HOOK_NAMES}. */
export type HookName = (typeof HOOK_NAMES)[number];

/**
 * Checks a hooks object: an object whose keys are hook names and whose values are functions.
 * @throws {InvalidArgumentError} naming the key at fault (`options.hooks.beforeToolcall`) and the valid names.
 */
export function validateHooks(hooks: unknown, argument: string): asserts hooks is Hooks {
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) {
    throw new InvalidArgumentError(argument, `expected an object of hook functions, received ${hooks === null ? 'null' : Array.isArray(hooks) ? 'an array' : typeof hooks}`);
  }
  for (const [key, value] of Object.entries(hooks)) {
    if (!(HOOK_NAMES as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`${argument}.${key}`, `unknown hook; valid hooks: ${HOOK_NAMES.join(', ')}`);
    }
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidArgumentError(`${argument}.${key}`, `expected a function, received ${value === null ? 'null' : typeof value}`);
    }
  }
}

/** No hook at all (shared, so frozen). */
const NO_HOOKS: Hooks = Object.freeze({});

/** The hooks of several levels, lowest first (program, start, run): per hook, the last that has it wins. */
export function mergeHooks(...levels: ReadonlyArray<Hooks | undefined>): Hooks {
  // Made only when some level has a hook: most runs have none.
  let merged: Record<HookName, unknown> | undefined;
  for (const level of levels) {
    if (level === undefined) continue;
    for (const name of HOOK_NAMES) {
      const hook = level[name];
      if (hook) (merged ??= {} as Record<HookName, unknown>)[name] = hook;
    }
  }
  return (merged as Hooks | undefined) ?? NO_HOOKS;
}

/** The names of the hooks `hooks` has. */
export function hookNames(hooks: Hooks | undefined): HookName[] {
  return HOOK_NAMES.filter((name) => typeof hooks?.[name] === 'function');
}

/** How calling a hook went: its answer, what it threw, or the run's signal aborted first. */
export type HookOutcome<T> = { kind: 'answered'; answer: T } | { kind: 'failed'; error: unknown } | { kind: 'aborted' };

/**
 * Calls `hook` with `context`, waiting until it settles or `signal` aborts, whichever comes first.
 * Never throws: a sync throw, a rejection (of anything) is a `failed` outcome.
 */
export async function callHook<TContext, TAnswer>(hook: Hook<TContext, TAnswer>, context: TContext, signal: AbortSignal): Promise<HookOutcome<TAnswer>> {
  if (signal.aborted) return { kind: 'aborted' };
  try {
    const answer = await untilAborted(Promise.resolve().then(() => hook(context)), signal);
    return answer === ABORTED ? { kind: 'aborted' } : { kind: 'answered', answer };
  } catch (error) {
    return signal.aborted ? { kind: 'aborted' } : { kind: 'failed', error };
  }
}

/** Reports a failed hook as a Node.js process warning (`LLMProcHookWarning`), when nobody listens to `callback:error`. */
export function emitHookWarning(hook: HookName, error: unknown): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  globalThis.process.emitWarning(`The ${hook} hook failed (it failed closed): ${detail}`, { type: 'LLMProcHookWarning' });
}
