/**
 * Writes one {@link GeminiFakeReply} onto an HTTP response: a `GenerateContentResponse` as JSON or
 * as `data:` chunks, Google's error body, or a fault (reset, cut-off body, silence, a stream that
 * breaks midway with an error chunk, as the API sends one).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { StreamFaultFakeReply } from './fake-reply.js';
import type { FakeReplyContext } from './fake-server.js';
import type { GeminiFakeReply } from './gemini-fake-reply.js';
import { formatGeminiChunk, geminiResponseChunks } from './gemini-sse.js';
import { googleStatusFor, httpStatusOf, type WireGeminiResponse } from './gemini-wire.js';
import { breakStream, sendJson, sendTransportReply, startEventStream } from './http-reply.js';
import { googleErrorBody } from './vertex-route.js';

/** What {@link sendGeminiReply} needs to know about the request it answers. */
export interface GeminiReplyContext extends FakeReplyContext {
  /** The response with its `responseId` and `modelVersion` filled in. */
  complete(response: WireGeminiResponse): WireGeminiResponse;
}

/** Google's status name for an error `type`: itself when it is one, else the status's. */
function statusName(type: string, status: number): string {
  return /^[A-Z_]+$/.test(type) ? type : googleStatusFor(status);
}

/** Sends Google's error body with `status`, the request id (`x-request-id`) and `headers`. */
export function sendGeminiError(response: ServerResponse, status: number, type: string, message: string, requestId: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, googleErrorBody(status, statusName(type, status), message), { 'x-request-id': requestId, ...headers });
}

/** A stream fault: the first chunks of the response, then an error chunk, a drop, or silence. */
function sendStreamFault(reply: StreamFaultFakeReply<GeminiFakeReply>, response: ServerResponse, context: GeminiReplyContext): void {
  const status = httpStatusOf(reply.type);
  if (!context.streaming || reply.reply.kind !== 'gemini-response') {
    if (reply.fault === 'drop') response.socket?.resetAndDestroy();
    else if (reply.fault === 'error') sendGeminiError(response, status, reply.type, reply.message, context.requestId);
    return;
  }
  startEventStream(response, { 'x-request-id': context.requestId });
  const chunks = geminiResponseChunks(context.complete(reply.reply.response)).slice(0, Math.max(0, reply.afterEvents));
  const error = googleErrorBody(status, statusName(reply.type, status), reply.message) as Record<string, unknown>;
  breakStream(response, chunks.map(formatGeminiChunk).join(''), reply.fault, formatGeminiChunk(error));
}

/** Answers with `reply`. Resolves when it is sent (or abandoned: a hang resolves at once). */
export async function sendGeminiReply(reply: GeminiFakeReply, response: ServerResponse, context: GeminiReplyContext): Promise<void> {
  const headers = { 'x-request-id': context.requestId };
  const transport = { headers, malformedBody: '{"candidates": [{"content": {"role": "model", "parts": [', send: (inner: GeminiFakeReply) => sendGeminiReply(inner, response, context) };
  if (await sendTransportReply(reply, response, context, transport)) return;
  switch (reply.kind) {
    case 'gemini-response': {
      const full = context.complete(reply.response);
      if (!context.streaming) return sendJson(response, 200, full, headers);
      startEventStream(response, headers);
      response.end(geminiResponseChunks(full).map(formatGeminiChunk).join(''));
      return;
    }
    case 'error':
      return sendGeminiError(response, reply.status, reply.type, reply.message, context.requestId, reply.headers);
    case 'stream-fault':
      return sendStreamFault(reply, response, context);
  }
}
