/**
 * Pure helpers over the conversation (neutral {@link Message}s) that keep it valid for the API.
 *
 * @module
 */
import type { AssistantPart, InputPart, Message, ToolCallPart, ToolResultMessagePart, ToolResultPart } from '../providers/types.js';
import type { ToolResult } from '../tools/tool.js';

/**
 * Adds the user's input (a prompt, or its content parts). When the conversation already ends with
 * a user message (tool results left by a run that stopped at `maxIterations`, or the input of a
 * run whose API call failed), the input joins that message, after its tool results, so roles
 * still alternate.
 */
export function appendUserInput(messages: Message[], input: string | readonly InputPart[]): void {
  const parts: InputPart[] = typeof input === 'string' ? [{ type: 'text', text: input }] : [...input];
  const last = messages.at(-1);
  if (last?.role === 'user') {
    last.content.push(...parts);
  } else {
    messages.push({ role: 'user', content: parts });
  }
}

/** The text of some assistant parts, text blocks joined. */
export function textOf(parts: readonly AssistantPart[]): string {
  let text = '';
  for (const part of parts) if (part.type === 'text') text += part.text;
  return text;
}

/** The tool calls among some assistant parts, in order. */
export function toolCallsOf(parts: readonly AssistantPart[]): ToolCallPart[] {
  return parts.filter((part): part is ToolCallPart => part.type === 'tool_call');
}

/** The text of the most recent assistant message that has text, or `''`. */
export function lastAssistantText(messages: readonly Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'assistant') continue;
    const text = textOf(message.content);
    if (text) return text;
  }
  return '';
}

/** A tool result as a `tool_result` part of the next user message. */
export function toToolResultPart(toolCallId: string, result: ToolResult): ToolResultMessagePart {
  const content: ToolResultPart[] =
    typeof result.content === 'string' ? (result.content ? [{ type: 'text', text: result.content }] : []) : result.content;
  return { type: 'tool_result', toolCallId, content, isError: result.isError };
}
