/**
 * A fake Anthropic Messages API on 127.0.0.1 that the real `@anthropic-ai/sdk` talks to over HTTP
 * and SSE: scripted replies, injected faults, a record of every request, and the API's own checks.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { checkMessagesRequest } from './check-request.js';
import type { FakeReply, WireMessage } from './replies.js';
import { formatSse, messageEvents } from './sse.js';

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** The path with its query string, e.g. `/v1/messages`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body, parsed (`undefined` when it was not JSON). */
  body: unknown;
}

/** Answers a request the queue has no reply for. */
export type Responder = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /** Answers requests when the queue is empty. */
  responder?: Responder | undefined;
  /** Waits this long before every reply (default 0). */
  latencyMs?: number | undefined;
  /** Answer 401 to requests without `x-api-key` or a bearer token (default true). */
  requireApiKey?: boolean | undefined;
}

/** A running fake server. */
export interface FakeAnthropicServer {
  /** The base URL to give the SDK (`baseURL`) or `ANTHROPIC_BASE_URL`. */
  readonly url: string;
  /** Every `POST /v1/messages`, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Queues replies; each valid request takes the next one. */
  enqueue(...replies: FakeReply[]): void;
  /** Sets the responder used when the queue is empty. */
  respondWith(responder: Responder): void;
  /** How many queued replies have not been used. */
  pending(): number;
  /** Stops the server, ending hanging and delayed replies. */
  close(): Promise<void>;
}

/** Reads and parses a JSON request body; `undefined` when it is not JSON. */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function errorBody(type: string, message: string, requestId: string): unknown {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** Starts a fake Anthropic Messages API on 127.0.0.1, on a random free port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let responder = options.responder;
  let requestCount = 0;
  let messageCount = 0;

  const wait = (ms: number, response: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!response.destroyed);
      }, ms);
      timers.add(timer);
    });

  function fillMessage(message: WireMessage, request: RecordedRequest): WireMessage {
    const model = (request.body as { model?: string }).model;
    return { ...message, id: message.id ?? `msg_fake_${++messageCount}`, model: message.model ?? model ?? 'claude-fake' };
  }

  async function send(reply: FakeReply, request: RecordedRequest, response: ServerResponse, requestId: string): Promise<void> {
    const streaming = (request.body as { stream?: unknown }).stream === true;
    const headers = { 'request-id': requestId };
    switch (reply.kind) {
      case 'message': {
        const message = fillMessage(reply.message, request);
        if (!streaming) return sendJson(response, 200, message, headers);
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
        for (const event of messageEvents(message)) response.write(formatSse(event));
        response.end();
        return;
      }
      case 'error':
        return sendJson(response, reply.status, errorBody(reply.type, reply.message, requestId), { ...headers, ...reply.headers });
      case 'drop':
        response.socket?.destroy();
        return;
      case 'malformed':
        response.writeHead(200, { 'content-type': 'application/json', ...headers });
        response.end('{"type": "message", "content": [');
        return;
      case 'hang':
        return;
      case 'delayed':
        if (await wait(reply.ms, response)) await send(reply.reply, request, response, requestId);
        return;
      case 'stream-fault': {
        if (!streaming || reply.reply.kind !== 'message') {
          if (reply.fault === 'drop') response.socket?.destroy();
          else sendJson(response, reply.type === 'overloaded_error' ? 529 : 500, errorBody(reply.type, reply.message, requestId), headers);
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
        for (const event of messageEvents(fillMessage(reply.reply.message, request)).slice(0, reply.afterEvents)) {
          response.write(formatSse(event));
        }
        if (reply.fault === 'drop') {
          // Let the events already written reach the client before the reset.
          response.socket?.end();
          response.socket?.destroySoon();
          return;
        }
        response.end(formatSse({ event: 'error', data: { type: 'error', error: { type: reply.type, message: reply.message } } }));
        return;
      }
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = `req_fake_${++requestCount}`;
    const path = request.url ?? '/';
    if (request.method !== 'POST' || !path.startsWith('/v1/messages') || path.startsWith('/v1/messages/')) {
      await readBody(request);
      return sendJson(response, 404, errorBody('not_found_error', `fake Anthropic server: no route ${request.method} ${path}`, requestId), { 'request-id': requestId });
    }
    const recorded: RecordedRequest = { method: request.method, path, headers: { ...request.headers }, body: await readBody(request) };
    requests.push(recorded);
    const headers = { 'request-id': requestId, 'x-should-retry': 'false' };
    const auth = request.headers['x-api-key'] || /^Bearer \S/.test(String(request.headers['authorization'] ?? ''));
    if (options.requireApiKey !== false && !auth) {
      return sendJson(response, 401, errorBody('authentication_error', 'x-api-key header is required', requestId), headers);
    }
    const problem = recorded.body === undefined ? 'the request body is not valid JSON' : checkMessagesRequest(recorded.body);
    if (problem) return sendJson(response, 400, errorBody('invalid_request_error', problem, requestId), headers);
    if (options.latencyMs && !(await wait(options.latencyMs, response))) return;
    const reply = queue.shift() ?? (await responder?.(recorded));
    if (!reply) {
      const message = `fake Anthropic server: no reply queued for request ${requests.length}`;
      return sendJson(response, 500, errorBody('api_error', message, requestId), headers);
    }
    await send(reply, recorded, response, requestId);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody('api_error', `fake Anthropic server failed: ${String(error)}`, 'req_fake_error'));
      else response.destroy();
    });
  });
  // Idle keep-alive sockets outlive the client's pool, so a reused socket is never closed under it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Anthropic server: no TCP address');

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respondWith: (next) => void (responder = next),
    pending: () => queue.length,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
