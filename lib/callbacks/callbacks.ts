/**
 * The callbacks dictionary of llmproc's spec (`on_tool_start`, `on_tool_end`, `on_response`), and
 * the adapter that maps it onto event listeners for the length of one run.
 *
 * @module
 */
import type { EventEmitter } from 'eventemitter3';
import { InvalidArgumentError } from '../errors.js';
import type { LLMProcessEventName, LLMProcessEvents } from '../process/events.js';
import type { ToolResult } from '../tools/tool.js';

/** Called when a tool starts, with its name and input. */
export type ToolStartCallback = (toolName: string, args: Record<string, unknown>) => unknown;
/** Called when a tool ends, with its name and result (`result.isError` tells a failure). */
export type ToolEndCallback = (toolName: string, result: ToolResult) => unknown;
/** Called with the text of each model response that has text. */
export type ResponseCallback = (content: string) => unknown;
/** Streamed runs: called with each text delta and the response's text so far. */
export type TextCallback = (delta: string, snapshot: string) => unknown;

/**
 * The callbacks `run()` accepts. The spec's snake_case keys and their camelCase aliases are both
 * accepted. A callback may be async; what it throws or rejects with is reported as a
 * `callback:error` event and never breaks the run.
 */
export interface Callbacks {
  on_tool_start?: ToolStartCallback | undefined;
  on_tool_end?: ToolEndCallback | undefined;
  on_response?: ResponseCallback | undefined;
  on_text?: TextCallback | undefined;
  onToolStart?: ToolStartCallback | undefined;
  onToolEnd?: ToolEndCallback | undefined;
  onResponse?: ResponseCallback | undefined;
  onText?: TextCallback | undefined;
}

/** How one callback key maps onto an event: which event, and how to unpack its payload. */
interface CallbackBinding<E extends LLMProcessEventName> {
  event: E;
  call: (callback: (...args: never[]) => unknown, ...payload: LLMProcessEvents[E]) => unknown;
}

function bind<E extends LLMProcessEventName>(event: E, call: CallbackBinding<E>['call']): CallbackBinding<E> {
  return { event, call };
}

const toolStart = bind('tool:start', (cb, e) => (cb as ToolStartCallback)(e.toolName, e.args));
const toolEnd = bind('tool:end', (cb, e) => (cb as ToolEndCallback)(e.toolName, e.result));
const response = bind('response', (cb, e) => (cb as ResponseCallback)(e.content));
const text = bind('text', (cb, e) => (cb as TextCallback)(e.delta, e.snapshot));

const BINDINGS: Readonly<Record<keyof Callbacks, CallbackBinding<LLMProcessEventName>>> = {
  on_tool_start: toolStart,
  on_tool_end: toolEnd,
  on_response: response,
  on_text: text,
  onToolStart: toolStart,
  onToolEnd: toolEnd,
  onResponse: response,
  onText: text,
} as Record<keyof Callbacks, CallbackBinding<LLMProcessEventName>>;

/** Every key {@link Callbacks} accepts. */
export const CALLBACK_KEYS = Object.keys(BINDINGS) as ReadonlyArray<keyof Callbacks>;

/**
 * Checks a callbacks object: an object whose keys are known and whose values are functions.
 * Throws {@link InvalidArgumentError} naming the key at fault and the valid keys.
 */
export function validateCallbacks(callbacks: unknown): asserts callbacks is Callbacks {
  if (callbacks === null || typeof callbacks !== 'object' || Array.isArray(callbacks)) {
    throw new InvalidArgumentError('callbacks', `expected an object of callback functions, received ${describe(callbacks)}`);
  }
  // Own enumerable keys, as Object.entries gives them, without its array of pairs (checked on every run).
  for (const key in callbacks) {
    if (!Object.hasOwn(callbacks, key)) continue;
    const value: unknown = (callbacks as Record<string, unknown>)[key];
    if (!Object.hasOwn(BINDINGS, key)) {
      throw new InvalidArgumentError(`callbacks.${key}`, `unknown callback; valid keys: ${CALLBACK_KEYS.join(', ')}`);
    }
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidArgumentError(`callbacks.${key}`, `expected a function, received ${describe(value)}`);
    }
  }
}

/**
 * Attaches each callback as a listener of its event; returns the function that detaches them
 * all. Each listener is named after its callback key, so a failure is reported as `on_tool_start`.
 */
export function attachCallbacks(emitter: EventEmitter<LLMProcessEvents>, callbacks: Callbacks): () => void {
  validateCallbacks(callbacks);
  return attach(emitter, callbacks, false);
}

/**
 * {@link attachCallbacks} for a run: the callbacks were checked with `run()`'s options, and a
 * callback gets the listener it had in the process's earlier runs (a process runs one run at a
 * time, so one listener is never attached twice). @internal
 */
export function attachRunCallbacks(emitter: EventEmitter<LLMProcessEvents>, callbacks: Callbacks): () => void {
  return attach(emitter, callbacks, true);
}

function attach(emitter: EventEmitter<LLMProcessEvents>, callbacks: Callbacks, reuse: boolean): () => void {
  // Each event followed by its listener, in one flat list (no pair per callback).
  const attached: Array<LLMProcessEventName | ((...args: never[]) => unknown)> = [];
  for (const key in callbacks) {
    if (!Object.hasOwn(callbacks, key)) continue;
    const callback = callbacks[key as keyof Callbacks] as ((...args: never[]) => unknown) | undefined;
    if (!callback) continue;
    const binding = BINDINGS[key as keyof Callbacks];
    const listener = reuse ? listenerOf(key as keyof Callbacks, callback, binding) : newListener(key as keyof Callbacks, callback, binding);
    emitter.on(binding.event, listener as never);
    attached.push(binding.event, listener);
  }
  return () => {
    for (let i = 0; i < attached.length; i += 2) emitter.off(attached[i] as LLMProcessEventName, attached[i + 1] as never);
  };
}

/** The listeners of the callbacks of runs, by callback and key: the same callback gets the same listener in every run. */
const listeners = new WeakMap<(...args: never[]) => unknown, Partial<Record<keyof Callbacks, (...args: never[]) => unknown>>>();

/** The listener that calls `callback` for `key`'s event, named after the key (what a failure report names). */
function listenerOf(key: keyof Callbacks, callback: (...args: never[]) => unknown, binding: CallbackBinding<LLMProcessEventName>): (...args: never[]) => unknown {
  let byKey = listeners.get(callback);
  if (!byKey) listeners.set(callback, (byKey = {}));
  return (byKey[key] ??= newListener(key, callback, binding));
}

function newListener(key: keyof Callbacks, callback: (...args: never[]) => unknown, binding: CallbackBinding<LLMProcessEventName>): (...args: never[]) => unknown {
  const listener = (...payload: never[]): unknown => binding.call(callback, ...(payload as unknown as [never]));
  Object.defineProperty(listener, 'name', { value: key });
  return listener;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
