/**
 * The parts of answering a request that every fake API does the same way: JSON bodies, opening a
 * server-sent event stream, breaking one midway, and the transport faults (a reset connection, a
 * cut-off body, silence, a delay).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { AnyFakeReply, DelayedFakeReply, StreamFaultFakeReply } from './fake-reply.js';
import type { FakeReplyContext } from './fake-server.js';

/** Sends `body` as JSON with `status` and `headers`. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Starts a server-sent event stream (a `200` with `text/event-stream`). */
export function startEventStream(response: ServerResponse, headers: Record<string, string>): void {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  response.flushHeaders();
}

/**
 * After `head` (the events sent before the fault, already formatted), breaks an open stream as
 * `fault` says: `errorTail` (an error event) and the end, a destroyed connection, or silence.
 */
export function breakStream(response: ServerResponse, head: string, fault: StreamFaultFakeReply<AnyFakeReply>['fault'], errorTail: string): void {
  if (fault === 'error') {
    response.end(head + errorTail);
    return;
  }
  if (fault === 'hang') {
    response.write(head);
    return;
  }
  // Destroy only once the events are on their way, so the client does see them before the break.
  response.write(head, () => response.socket?.destroy());
}

/** How {@link sendTransportReply} answers for one API. */
export interface TransportReplyOptions<R> {
  /** Response headers of a `200` (the request id). */
  headers: Record<string, string>;
  /** The cut-off JSON body of a `malformed` reply. */
  malformedBody: string;
  /** Sends the reply a `delayed` one holds. */
  send(reply: R): Promise<void>;
}

/**
 * Answers the reply kinds that mean the same to every API: `drop` (reset the connection),
 * `malformed` (a `200` whose JSON is cut off), `hang` (no answer) and `delayed`. Resolves `false`,
 * having sent nothing, for any other kind.
 */
export async function sendTransportReply<R extends AnyFakeReply>(
  reply: R,
  response: ServerResponse,
  context: FakeReplyContext,
  options: TransportReplyOptions<R>,
): Promise<boolean> {
  switch (reply.kind) {
    case 'drop':
      response.socket?.resetAndDestroy();
      return true;
    case 'malformed':
      response.writeHead(200, { 'content-type': 'application/json', ...options.headers });
      response.end(options.malformedBody);
      return true;
    case 'hang':
      return true;
    case 'delayed': {
      const delayed = reply as unknown as DelayedFakeReply<R>;
      if (await context.wait(delayed.ms)) await options.send(delayed.reply);
      return true;
    }
    default:
      return false;
  }
}
