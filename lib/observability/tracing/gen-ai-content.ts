/**
 * Content attributes of the GenAI semantic conventions (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`, `gen_ai.tool.call.arguments`,
 * `gen_ai.tool.call.result`), as the JSON strings the conventions describe. Only used when the
 * user opts in with `captureContent: true`. Image bytes are never included.
 *
 * @module
 */
import type { AssistantPart, Message, UserPart } from '../../providers/types.js';
import type { ToolResult } from '../../tools/tool.js';
import type { InputPartSummary } from '../../input/summarize-input.js';

/** One part of a message in the conventions' format. */
type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: string }
  | { type: 'blob'; modality: 'image' | 'document'; mime_type: string; size?: number | undefined }
  | { type: 'uri'; modality: 'image'; uri: string };

/** One message in the conventions' format. */
interface GenAiMessage {
  role: 'user' | 'assistant';
  parts: GenAiPart[];
  finish_reason?: string | undefined;
}

/** The text of a tool result, images named by their media type. */
export function toolResultText(content: ToolResult['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : `[image ${part.mediaType}]`)).join('\n');
}

function partOf(part: UserPart | AssistantPart): GenAiPart | undefined {
  switch (part.type) {
    case 'text':
      return { type: 'text', content: part.text };
    case 'image':
      return { type: 'blob', modality: 'image', mime_type: part.mediaType };
    case 'image_url':
      return { type: 'uri', modality: 'image', uri: part.url };
    case 'document':
      return { type: 'blob', modality: 'document', mime_type: part.mediaType };
    case 'tool_call':
      return { type: 'tool_call', id: part.id, name: part.name, arguments: part.input };
    case 'tool_result':
      return { type: 'tool_call_response', id: part.toolCallId, response: toolResultText(part.content) };
    default:
      return undefined;
  }
}

function messageOf(message: Message, finishReason?: string): GenAiMessage {
  const parts = (message.content as Array<UserPart | AssistantPart>).map(partOf).filter((part) => part !== undefined);
  return { role: message.role, parts, ...(finishReason === undefined ? {} : { finish_reason: finishReason }) };
}

/** `gen_ai.input.messages` of a conversation. */
export function inputMessagesJson(messages: readonly Message[]): string {
  return JSON.stringify(messages.map((message) => messageOf(message)));
}

/** `gen_ai.output.messages` of one answer. */
export function outputMessagesJson(message: Message, finishReason: string): string {
  return JSON.stringify([messageOf(message, finishReason)]);
}

/** `gen_ai.input.messages` of a run: the prompt given to `run()`, or its parts (media by type and size, never their data). */
export function promptJson(input: string, parts?: readonly InputPartSummary[]): string {
  if (!parts) return inputMessagesJson([{ role: 'user', content: [{ type: 'text', text: input }] }]);
  return JSON.stringify([{ role: 'user', parts: parts.map(summaryPartOf) }]);
}

function summaryPartOf(part: InputPartSummary): GenAiPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', content: part.text };
    case 'image':
      return { type: 'blob', modality: 'image', mime_type: part.mediaType, size: part.bytes };
    case 'image_url':
      return { type: 'uri', modality: 'image', uri: part.url };
    case 'document':
      return { type: 'blob', modality: 'document', mime_type: part.mediaType, size: part.bytes };
  }
}

/** `gen_ai.system_instructions` of a system prompt. */
export function systemInstructionsJson(system: string): string {
  return JSON.stringify([{ type: 'text', content: system }]);
}
