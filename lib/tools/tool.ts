/**
 * The one shape every tool has, whatever its source (builtin, a function defined in code, an MCP
 * server). The process's tool runner only ever sees this.
 *
 * @module
 */
import type { ToolResultPart } from '../providers/types.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { ToolCapabilities, ToolCapabilityName } from './capabilities.js';

/** Where a tool comes from; shown in errors (duplicate names) and in tool events. */
export type ToolSource =
  | { kind: 'builtin' }
  | { kind: 'function' }
  | { kind: 'mcp'; server: string; tool: string };

/**
 * What a tool's `run` receives besides its input: the call's abort signal and `tool_use` id, and
 * the capabilities its tool asks for in {@link Tool.uses} (`children` for spawn and fork,
 * `conversation` for goto, `fileDescriptors` for read_fd and fd_to_file), built for this one call. A tool never gets the process.
 */
export interface ToolContext extends ToolCapabilities {
  /** Aborted when the run is cancelled; long-running tools should stop. */
  signal: AbortSignal;
  /** The `tool_use` id of this call. */
  toolUseId: string;
}

/** The result of one tool call, as the model will see it. */
export interface ToolResult {
  /** A string for plain text, or content parts (text, images). */
  content: string | ToolResultPart[];
  /** `true` when the call failed; the model sees an `is_error` tool result. */
  isError: boolean;
}

/**
 * A tool the model can call. `run` may throw: the runner turns a throw into an `is_error` result,
 * so a tool never breaks the loop.
 */
export interface Tool {
  /** The name the model calls, matching `^[a-zA-Z0-9_-]{1,64}$`. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the input (an object schema). */
  readonly inputSchema: Record<string, unknown>;
  readonly source: ToolSource;
  /** When true, the tool never runs at the same time as another tool of the same response. */
  readonly exclusive?: boolean | undefined;
  /**
   * When true, each call waits for approval: the run pauses before it (`stopReason:
   * 'awaiting_approval'`) unless a `beforeToolCall` hook allows or denies it.
   */
  readonly requireApproval?: boolean | undefined;
  /** The capabilities the tool needs in its {@link ToolContext} (the builtins spawn, fork and goto); none when absent. */
  readonly uses?: readonly ToolCapabilityName[] | undefined;
  /**
   * Runs one call. It may return the result itself (a tool with nothing to wait for) or a promise
   * of it; the runner awaits only a promise.
   */
  run(input: Record<string, unknown>, context: ToolContext): MaybePromise<ToolResult>;
}

/** The API's rule for tool names. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** Describes a tool's source for messages: `builtin`, `function`, `MCP server "time"`. */
export function describeToolSource(source: ToolSource): string {
  switch (source.kind) {
    case 'builtin':
      return 'builtin tool';
    case 'function':
      return 'function tool';
    case 'mcp':
      return `MCP server "${source.server}"`;
  }
}

/** A successful text result. */
export function textResult(text: string): ToolResult {
  return { content: text, isError: false };
}

/** A failed result whose message the model can act on. */
export function errorResult(message: string): ToolResult {
  return { content: message, isError: true };
}
