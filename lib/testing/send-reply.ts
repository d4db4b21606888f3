/**
 * Writes one {@link FakeReply} onto an HTTP response: JSON or server-sent events for a message,
 * the API's error body, or a fault (reset, cut-off body, silence, a stream that breaks midway).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { FakeReply, StreamFaultFakeReply } from './fake-reply.js';
import type { FakeReplyContext } from './fake-server.js';
import { breakStream, sendJson, sendTransportReply, startEventStream } from './http-reply.js';
import { formatSse, messageEvents } from './sse.js';
import type { WireMessage } from './wire.js';

/** What {@link sendReply} needs to know about the request it answers. */
export interface ReplyContext extends FakeReplyContext {
  /** The message with its `id` and `model` filled in. */
  complete(message: WireMessage): WireMessage;
}

/** The HTTP status the API uses for an error type sent in place of a stream. */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The API's error body. */
export function errorBody(type: string, message: string, requestId: string): unknown {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** Sends the API's error body for `type` with `status`. */
export function sendError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, errorBody(type, message, requestId), { 'request-id': requestId, ...headers });
}

/** A stream fault: the first events of the message, then an `error` event, a drop, or silence. */
function sendStreamFault(reply: StreamFaultFakeReply, response: ServerResponse, context: ReplyContext): void {
  if (!context.streaming || reply.reply.kind !== 'message') {
    if (reply.fault === 'drop') response.socket?.resetAndDestroy();
    else if (reply.fault === 'error') sendError(response, STATUS_OF_TYPE[reply.type] ?? 500, reply.type, reply.message, context.requestId);
    return;
  }
  startEventStream(response, { 'request-id': context.requestId });
  const events = messageEvents(context.complete(reply.reply.message)).slice(0, Math.max(0, reply.afterEvents));
  const errorEvent = formatSse({ event: 'error', data: { type: 'error', error: { type: reply.type, message: reply.message } } });
  breakStream(response, events.map(formatSse).join(''), reply.fault, errorEvent);
}

/** Answers with `reply`. Resolves when it is sent (or abandoned: a hang resolves at once). */
export async function sendReply(reply: FakeReply, response: ServerResponse, context: ReplyContext): Promise<void> {
  const headers = { 'request-id': context.requestId };
  const transport = { headers, malformedBody: '{"id": "msg_fake", "type": "message", "content": [', send: (inner: FakeReply) => sendReply(inner, response, context) };
  if (await sendTransportReply(reply, response, context, transport)) return;
  switch (reply.kind) {
    case 'message': {
      const message = context.complete(reply.message);
      if (!context.streaming) return sendJson(response, 200, message, headers);
      startEventStream(response, headers);
      response.end(messageEvents(message).map(formatSse).join(''));
      return;
    }
    case 'error':
      return sendError(response, reply.status, reply.type, reply.message, context.requestId, reply.headers);
    case 'stream-fault':
      return sendStreamFault(reply, response, context);
  }
}
