/**
 * A Messages API response as the server-sent events the API streams: `message_start`, per block
 * `content_block_start` / `_delta` / `_stop`, `message_delta`, `message_stop`.
 *
 * @module
 */
import type { WireContentBlock, WireMessage } from './replies.js';

/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Formats one event for the wire. */
export function formatSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Splits text into word-sized chunks (each keeps its trailing space), so deltas look real. */
function chunks(text: string): string[] {
  const parts = text.match(/\S+\s*|\s+/g) ?? [];
  return parts.length > 0 ? parts : [''];
}

function blockEvents(block: WireContentBlock, index: number): SseEvent[] {
  if (block.type === 'text') {
    const text = String((block as { text: string }).text);
    return [
      { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } },
      ...chunks(text).map((delta) => ({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: delta } },
      })),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
    ];
  }
  if (block.type === 'tool_use') {
    const { id, name, input } = block as { id: string; name: string; input: unknown };
    const json = JSON.stringify(input);
    const half = Math.ceil(json.length / 2);
    return [
      { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } } },
      ...[json.slice(0, half), json.slice(half)].map((partial) => ({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } },
      })),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
    ];
  }
  return [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: block } },
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

/** The events that stream `message` (with its `id` and `model` already filled in). */
export function messageEvents(message: WireMessage): SseEvent[] {
  const { usage } = message;
  return [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
      },
    },
    ...message.content.flatMap(blockEvents),
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
        usage: { output_tokens: usage.output_tokens },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}
