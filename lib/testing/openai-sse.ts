/**
 * A chat completion as the `chat.completion.chunk`s Chat Completions streams: the role, the text
 * in word-sized deltas, each tool call (its id and name, then its arguments in pieces), the finish
 * reason, and, when the request asked for it (`stream_options.include_usage`), a last chunk with
 * no choices and the usage. On the wire each is `data: {...}`, and the stream ends `data: [DONE]`.
 *
 * @module
 */
import { wordChunks } from './sse.js';
import type { WireChatCompletion } from './openai-wire.js';

/** One chunk, as JSON. */
export type WireChatChunk = Record<string, unknown>;

/** One chunk as it goes on the wire. */
export function formatChunk(chunk: WireChatChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The line that ends a stream. */
export const DONE_LINE = 'data: [DONE]\n\n';

/** `text` in pieces of at most `size` characters. */
function pieces(text: string, size = 12): string[] {
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts;
}

/**
 * The chunks that stream `completion` (whose `id` and `model` are filled in), its first choice;
 * with `includeUsage`, every chunk has `usage: null` and a last chunk carries the usage.
 */
export function completionChunks(completion: WireChatCompletion, includeUsage: boolean): WireChatChunk[] {
  const { choices, usage, object: _object, ...head } = completion;
  const base = { ...head, object: 'chat.completion.chunk', ...(includeUsage ? { usage: null } : {}) };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): WireChatChunk => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const choice = choices[0];
  const message = choice?.message;
  const chunks: WireChatChunk[] = [];
  const calls = message?.tool_calls ?? [];
  chunks.push(chunk({ role: 'assistant', content: calls.length > 0 && !message?.content ? null : '', refusal: null }));
  if (message?.content) for (const piece of wordChunks(message.content)) chunks.push(chunk({ content: piece }));
  if (message?.refusal) for (const piece of wordChunks(message.refusal)) chunks.push(chunk({ refusal: piece }));
  for (const [index, call] of calls.entries()) {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: call.type, function: { name: call.function.name, arguments: '' } }] }));
    for (const piece of pieces(call.function.arguments)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  }
  chunks.push(chunk({}, choice?.finish_reason ?? null));
  if (includeUsage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}
