/**
 * Writes one {@link FakeReply} onto an HTTP response: JSON or server-sent events for a message,
 * the API's error body, or a fault (reset, cut-off body, silence, a stream that breaks midway).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { FakeReply, StreamFaultFakeReply } from './fake-reply.js';
import { formatSse, messageEvents } from './sse.js';
import type { WireMessage } from './wire.js';

/** What {@link sendReply} needs to know about the request it answers. */
export interface ReplyContext {
  /** Sent as the `request-id` header and in error bodies. */
  requestId: string;
  /** The request asked for server-sent events (`stream: true`). */
  streaming: boolean;
  /** The message with its `id` and `model` filled in. */
  complete(message: WireMessage): WireMessage;
  /** Resolves `true` after `ms`, or `false` as soon as the client leaves or the server closes. */
  wait(ms: number): Promise<boolean>;
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

/** Sends `body` as JSON with `status`, the request id and `headers`. */
export function sendJson(response: ServerResponse, status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
  response.end(JSON.stringify(body));
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
  sendJson(response, status, errorBody(type, message, requestId), requestId, headers);
}

/** Starts a server-sent event stream. */
function startStream(response: ServerResponse, requestId: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId });
  response.flushHeaders();
}

/** A stream fault: the first events of the message, then an `error` event, a drop, or silence. */
function sendStreamFault(reply: StreamFaultFakeReply, response: ServerResponse, context: ReplyContext): void {
  if (!context.streaming || reply.reply.kind !== 'message') {
    if (reply.fault === 'drop') response.socket?.resetAndDestroy();
    else if (reply.fault === 'error') sendError(response, STATUS_OF_TYPE[reply.type] ?? 500, reply.type, reply.message, context.requestId);
    return;
  }
  startStream(response, context.requestId);
  const events = messageEvents(context.complete(reply.reply.message)).slice(0, Math.max(0, reply.afterEvents));
  const head = events.map(formatSse).join('');
  if (reply.fault === 'error') {
    response.end(head + formatSse({ event: 'error', data: { type: 'error', error: { type: reply.type, message: reply.message } } }));
    return;
  }
  if (reply.fault === 'hang') {
    response.write(head);
    return;
  }
  // Destroy only once the events are on their way, so the client does see them before the break.
  response.write(head, () => response.socket?.destroy());
}

/** Answers with `reply`. Resolves when it is sent (or abandoned: a hang resolves at once). */
export async function sendReply(reply: FakeReply, response: ServerResponse, context: ReplyContext): Promise<void> {
  switch (reply.kind) {
    case 'message': {
      const message = context.complete(reply.message);
      if (!context.streaming) return sendJson(response, 200, message, context.requestId);
      startStream(response, context.requestId);
      response.end(messageEvents(message).map(formatSse).join(''));
      return;
    }
    case 'error':
      return sendError(response, reply.status, reply.type, reply.message, context.requestId, reply.headers);
    case 'drop':
      response.socket?.resetAndDestroy();
      return;
    case 'malformed':
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': context.requestId });
      response.end('{"id": "msg_fake", "type": "message", "content": [');
      return;
    case 'hang':
      return;
    case 'delayed':
      if (await context.wait(reply.ms)) await sendReply(reply.reply, response, context);
      return;
    case 'stream-fault':
      return sendStreamFault(reply, response, context);
  }
}
