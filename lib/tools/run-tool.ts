/**
 * The one tool runner: every tool call, whatever the tool's source, goes through
 * {@link runToolCall}, which never throws (habit: tool execution never throws into the loop).
 *
 * @module
 */
import { acceptedParts } from '../providers/accepted-images.js';
import type { ToolCallPart } from '../providers/types.js';
import { ABORTED, untilAborted } from '../until-aborted.js';
import type { ToolCapabilities } from './capabilities.js';
import { copyInput } from './copy-input.js';
import { errorResult, type Tool, type ToolContext, type ToolResult } from './tool.js';
import { isThenable, type MaybePromise } from '../maybe-promise.js';

/**
 * The signal of a run that cannot abort (no signal, no timeout), made only when a tool reads it:
 * most tools never do, and a signal costs more than a small tool call.
 */
export interface UnabortableSignal {
  readonly abortable: false;
  readonly signal: AbortSignal;
}

/**
 * Runs one tool call, handing the tool a copy of the call's input. An unknown tool, arguments the
 * provider could not read, a throw (of anything), or a malformed return value each becomes an
 * `is_error` result with a message the model can act on; an image in the result that the API
 * would refuse becomes a text note (R22). The tool gets only the `capabilities` it lists in `uses`.
 * The result comes at once when the tool returns it at once (a promise only when the tool returns
 * one); it never throws or rejects.
 */
export function runToolCall(
  tools: ReadonlyMap<string, Tool>,
  call: ToolCallPart,
  signal: AbortSignal | UnabortableSignal,
  capabilities: ToolCapabilities = {},
): MaybePromise<ToolResult> {
  const tool = tools.get(call.name);
  if (!tool) {
    const available = [...tools.keys()];
    return errorResult(
      `Unknown tool "${call.name}". ${available.length ? `Available tools: ${available.join(', ')}.` : 'This program has no tools.'}`,
    );
  }
  if (call.inputError !== undefined) {
    return errorResult(`The arguments of this call to "${call.name}" could not be read, so it was not run: ${call.inputError}. Call it again with a JSON object of its arguments.`);
  }
  const live = 'abortable' in signal ? undefined : signal;
  if (live?.aborted) return cancelled(call.name);
  try {
    // The tool gets its own copy: the call's input is the history's, and a tool may change what it is given.
    const context: ToolContext = live ? { signal: live, toolUseId: call.id } : lazyContext(signal as UnabortableSignal, call.id);
    grant(context, tool, capabilities);
    const running: unknown = tool.run(copyInput(call.input), context);
    if (!isThenable(running)) return checkedResult(call.name, running);
    const settled = Promise.resolve(running);
    return (live ? untilAborted(settled, live) : settled).then(
      (result) => (result === ABORTED ? cancelled(call.name) : checkedResult(call.name, result)),
      (error: unknown) => thrownResult(call.name, error),
    );
  } catch (error) {
    return thrownResult(call.name, error);
  }
}

/** What a tool returned, as the model gets it: refused when it is not a {@link ToolResult}. */
function checkedResult(name: string, result: unknown): ToolResult {
  if (!isToolResult(result)) return errorResult(`Tool "${name}" returned an invalid result (expected { content, isError }).`);
  // R22: whatever the tool's kind, an image the API would refuse never enters the conversation.
  return typeof result.content === 'string' ? result : { content: acceptedParts(result.content), isError: result.isError };
}

function thrownResult(name: string, error: unknown): ToolResult {
  return errorResult(`Error in ${name}: ${error instanceof Error ? error.message : String(error)}`);
}

/** A context whose `signal` (an enumerable property, as in any context) is made when first read. */
function lazyContext(source: UnabortableSignal, toolUseId: string): ToolContext {
  return {
    get signal() {
      return source.signal;
    },
    toolUseId,
  };
}

/** Adds to `context` the capabilities among `capabilities` that `tool` asks for. */
function grant(context: ToolContext, tool: Tool, capabilities: ToolCapabilities): void {
  const uses = tool.uses;
  if (uses === undefined || uses.length === 0) return;
  if (uses.includes('children') && capabilities.children) context.children = capabilities.children;
  if (uses.includes('conversation') && capabilities.conversation) context.conversation = capabilities.conversation;
  if (uses.includes('fileDescriptors') && capabilities.fileDescriptors) context.fileDescriptors = capabilities.fileDescriptors;
}

function cancelled(name: string): ToolResult {
  return errorResult(`Tool "${name}" was cancelled: the run was aborted.`);
}

function isToolResult(value: unknown): value is ToolResult {
  if (value === null || typeof value !== 'object') return false;
  const { content, isError } = value as Partial<ToolResult>;
  return (typeof content === 'string' || Array.isArray(content)) && typeof isError === 'boolean';
}
