/**
 * Writes one {@link OpenAIFakeReply} onto an HTTP response: a `chat.completion` as JSON or as
 * `chat.completion.chunk` events, OpenAI's error body, or a fault (reset, cut-off body, silence, a
 * stream that breaks midway).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { StreamFaultFakeReply } from './fake-reply.js';
import type { FakeReplyContext } from './fake-server.js';
import { breakStream, sendJson, sendTransportReply, startEventStream } from './http-reply.js';
import type { OpenAIFakeReply } from './openai-fake-reply.js';
import { completionChunks, DONE_LINE, formatChunk } from './openai-sse.js';
import type { WireChatCompletion } from './openai-wire.js';

/** What {@link sendOpenAIReply} needs to know about the request it answers. */
export interface OpenAIReplyContext extends FakeReplyContext {
  /** The completion with its `id` and `model` filled in. */
  complete(completion: WireChatCompletion): WireChatCompletion;
}

/** OpenAI's error object: `{ message, type, param, code }`. */
export interface OpenAIErrorFields {
  message: string;
  type: string;
  code?: string | undefined;
}

/** The HTTP status of an error type sent in place of a stream. */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  requests: 429,
  tokens: 429,
  server_error: 500,
  overloaded_error: 503,
};

/** OpenAI's error body. */
export function openAIErrorBody(error: OpenAIErrorFields): unknown {
  return { error: { message: error.message, type: error.type, param: null, code: error.code ?? null } };
}

/** Sends OpenAI's error body with `status`, the request id (`x-request-id`) and `headers`. */
export function sendOpenAIError(response: ServerResponse, status: number, error: OpenAIErrorFields, requestId: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, openAIErrorBody(error), { 'x-request-id': requestId, ...headers });
}

/** Whether the request asked for the usage chunk. */
function includesUsage(context: FakeReplyContext): boolean {
  const options = (context.request.body as { stream_options?: { include_usage?: unknown } }).stream_options;
  return options?.include_usage === true;
}

/** A stream fault: the first chunks of the completion, then an error event, a drop, or silence. */
function sendStreamFault(reply: StreamFaultFakeReply<OpenAIFakeReply>, response: ServerResponse, context: OpenAIReplyContext): void {
  const error = { message: reply.message, type: reply.type };
  if (!context.streaming || reply.reply.kind !== 'completion') {
    if (reply.fault === 'drop') response.socket?.resetAndDestroy();
    else if (reply.fault === 'error') sendOpenAIError(response, STATUS_OF_TYPE[reply.type] ?? 500, error, context.requestId);
    return;
  }
  startEventStream(response, { 'x-request-id': context.requestId });
  const chunks = completionChunks(context.complete(reply.reply.completion), includesUsage(context)).slice(0, Math.max(0, reply.afterEvents));
  breakStream(response, chunks.map(formatChunk).join(''), reply.fault, formatChunk(openAIErrorBody(error) as Record<string, unknown>));
}

/** Answers with `reply`. Resolves when it is sent (or abandoned: a hang resolves at once). */
export async function sendOpenAIReply(reply: OpenAIFakeReply, response: ServerResponse, context: OpenAIReplyContext): Promise<void> {
  const headers = { 'x-request-id': context.requestId };
  const transport = { headers, malformedBody: '{"id": "chatcmpl_fake", "object": "chat.completion", "choices": [', send: (inner: OpenAIFakeReply) => sendOpenAIReply(inner, response, context) };
  if (await sendTransportReply(reply, response, context, transport)) return;
  switch (reply.kind) {
    case 'completion': {
      const completion = context.complete(reply.completion);
      if (!context.streaming) return sendJson(response, 200, completion, headers);
      startEventStream(response, headers);
      response.end(completionChunks(completion, includesUsage(context)).map(formatChunk).join('') + DONE_LINE);
      return;
    }
    case 'error':
      return sendOpenAIError(response, reply.status, reply, context.requestId, reply.headers);
    case 'stream-fault':
      return sendStreamFault(reply, response, context);
  }
}
