/**
 * A message as the server-sent events the Messages API streams: `message_start`, `ping`, per
 * content block `content_block_start` / `content_block_delta`... / `content_block_stop`, then
 * `message_delta` and `message_stop`.
 *
 * @module
 */
import type { WireContentBlock, WireMessage } from './wire.js';

/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** One event as it goes on the wire. */
export function formatSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Word-sized pieces of `text` (each keeps its trailing space), so deltas look like the API's. */
export function wordChunks(text: string): string[] {
  const parts = text.match(/\s*\S+\s*/g) ?? [];
  return parts.length > 0 ? parts : [text];
}

/** `json` in pieces of at most `size` characters, after the empty piece the API starts with. */
function jsonChunks(json: string, size = 12): string[] {
  const parts = [''];
  for (let at = 0; at < json.length; at += size) parts.push(json.slice(at, at + size));
  return parts;
}

const delta = (index: number, value: Record<string, unknown>): SseEvent => ({
  event: 'content_block_delta',
  data: { type: 'content_block_delta', index, delta: value },
});

/** The events of one content block, at `index`. */
function blockEvents(block: WireContentBlock, index: number): SseEvent[] {
  const start = (contentBlock: unknown): SseEvent => ({
    event: 'content_block_start',
    data: { type: 'content_block_start', index, content_block: contentBlock },
  });
  const stop: SseEvent = { event: 'content_block_stop', data: { type: 'content_block_stop', index } };
  const fields = block as Record<string, unknown>;
  switch (block.type) {
    case 'text': {
      const { text, ...rest } = fields;
      const deltas = wordChunks(String(text)).map((piece) => delta(index, { type: 'text_delta', text: piece }));
      return [start({ ...rest, text: '' }), ...deltas, stop];
    }
    case 'tool_use': {
      const { input, ...rest } = fields;
      const deltas = jsonChunks(JSON.stringify(input ?? {})).map((piece) => delta(index, { type: 'input_json_delta', partial_json: piece }));
      return [start({ ...rest, input: {} }), ...deltas, stop];
    }
    case 'thinking': {
      const { thinking, signature, ...rest } = fields;
      const deltas = wordChunks(String(thinking)).map((piece) => delta(index, { type: 'thinking_delta', thinking: piece }));
      return [start({ ...rest, thinking: '', signature: '' }), ...deltas, delta(index, { type: 'signature_delta', signature: String(signature ?? '') }), stop];
    }
    default:
      return [start(block), stop];
  }
}

/** The events that stream `message` (whose `id` and `model` are filled in). */
export function messageEvents(message: WireMessage): SseEvent[] {
  const { usage } = message;
  const start = { ...message, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: { ...usage, output_tokens: 1 } };
  return [
    { event: 'message_start', data: { type: 'message_start', message: start } },
    { event: 'ping', data: { type: 'ping' } },
    ...message.content.flatMap(blockEvents),
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: message.stop_details ?? null },
        usage,
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}
