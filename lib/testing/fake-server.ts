/**
 * What every fake model API of the test kit shares: an HTTP server on 127.0.0.1 on a free port,
 * one JSON route, a record of every request, a queue of scripted replies with a responder behind
 * it, latency, and a `close()` that ends hanging replies and open connections. Each fake API (the
 * Anthropic Messages API, OpenAI Chat Completions) plugs in its credentials check, its request
 * checks, its error body and how it sends a reply ({@link FakeApi}).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AnyFakeReply } from './fake-reply.js';
import type { GeminiRoute } from './gemini-route.js';
import type { VertexRoute } from './vertex-route.js';

/** A request a fake server received. */
export interface RecordedRequest {
  method: string;
  /** The path with its query string, e.g. `/v1/messages`. */
  path: string;
  /** The request headers; names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body, parsed (`undefined` when it was not JSON). */
  body: unknown;
  /** A Claude on Vertex request (fake Anthropic server): the project, region, model and method of its path. */
  vertex?: VertexRoute | undefined;
  /** A Gemini request (fake Gemini server): the API, model and method of its path (and Vertex's project and location). */
  gemini?: GeminiRoute | undefined;
}

/** Answers a valid request when the queue is empty. */
export type FakeResponder<R> = (request: RecordedRequest) => R | Promise<R>;

/** Options every fake server takes. */
export interface FakeServerOptions<R> {
  /** Answers valid requests when the queue is empty. */
  responder?: FakeResponder<R> | undefined;
  /** Waits this long before every reply to a valid request (default 0). */
  latencyMs?: number | undefined;
  /** Answer 401 to requests without the API's credentials (default true). */
  requireApiKey?: boolean | undefined;
}

/** A running fake server whose replies are of type `R`. */
export interface FakeServer<R> {
  /** `http://127.0.0.1:<port>`: the SDK's `baseURL` (OpenAI's SDK wants `${url}/v1`). */
  readonly url: string;
  /** Every request to the API's route, valid or not, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Queues replies: each valid request takes the next one. */
  enqueue(...replies: R[]): void;
  /** Sets the responder used when the queue is empty. */
  respondWith(responder: FakeResponder<R>): void;
  /** How many queued replies no request has taken yet. */
  pending(): number;
  /** Stops the server: ends hanging and delayed replies and destroys every open connection. */
  close(): Promise<void>;
}

/** What a fake API's {@link FakeApi.send} gets to know about the request it answers. */
export interface FakeReplyContext {
  /** The request id the server gave this request (`req_fake_<n>`). */
  requestId: string;
  /** The request, as recorded. */
  request: RecordedRequest;
  /** The request asked for server-sent events (`stream: true`). */
  streaming: boolean;
  /** Resolves `true` after `ms`, or `false` as soon as the client leaves or the server closes. */
  wait(ms: number): Promise<boolean>;
}

/** How one API's fake differs from another's. */
export interface FakeApi<R extends AnyFakeReply> {
  /** Names the server in its own error messages: `fake Anthropic server`. */
  readonly label: string;
  /** The route it answers: `POST /v1/messages`. */
  readonly path: string;
  /**
   * Other `POST` routes it answers (Vertex's model paths on the fake Anthropic server): what to
   * record of a path it answers, or `undefined` for a path it does not.
   */
  route?(pathname: string): Partial<RecordedRequest> | undefined;
  /** Whether the request carries credentials the way the API's SDK sends them. */
  hasCredentials(request: IncomingMessage): boolean;
  /** The message of the 401 a request without credentials gets. */
  readonly missingCredentials: string;
  /**
   * Refuses a request before the body checks, the way its real API does (sending the answer);
   * `true` when it did. It runs after the credentials check, and instead of it for `route` paths.
   */
  refuse?(request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest, requestId: string): boolean;
  /** The first problem the real API would answer 400 to, or `undefined` when the body is valid. */
  check(body: unknown, recorded: RecordedRequest): string | undefined;
  /** Whether the request asks for server-sent events (default: `stream: true` in the body). */
  streaming?(recorded: RecordedRequest): boolean;
  /** Sends the API's error body with `status` (the error type follows from it). */
  sendError(response: ServerResponse, status: number, message: string, requestId: string, headers?: Record<string, string>): void;
  /** Sends a reply; resolves when it is sent or abandoned. */
  send(reply: R, response: ServerResponse, context: FakeReplyContext): Promise<void>;
}

/** Reads and parses a JSON request body; `undefined` when it is not JSON. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Starts a fake of `api` on 127.0.0.1, on a free port. Each `POST` to its route is recorded,
 * checked like the real API does (401 without credentials, 400 with the problem in words for an
 * invalid body, without using a queued reply), then answered with the next queued reply, else the
 * responder's, else a 500 saying no reply was queued. Other routes get a 404. Request ids are
 * `req_fake_<n>`; the server's own errors carry `x-should-retry: false`.
 */
export async function startFakeServer<R extends AnyFakeReply>(api: FakeApi<R>, options: FakeServerOptions<R> = {}): Promise<FakeServer<R>> {
  const queue: R[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const cancels = new Set<() => void>();
  let responder = options.responder;
  let requestCount = 0;
  const noRetry = { 'x-should-retry': 'false' };

  /** Resolves `true` after `ms`, `false` as soon as the client leaves or the server closes. */
  const waitFor = (response: ServerResponse, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const finish = (sent: boolean): void => {
        clearTimeout(timer);
        cancels.delete(cancel);
        response.off('close', cancel);
        resolve(sent);
      };
      const cancel = (): void => finish(false);
      const timer = setTimeout(() => finish(!response.destroyed), ms);
      cancels.add(cancel);
      response.once('close', cancel);
    });

  /** The reply for the `n`th request, or why there is none. */
  async function nextReply(request: RecordedRequest, n: number): Promise<R | string> {
    const queued = queue.shift();
    if (queued) return queued;
    if (!responder) return `${api.label}: no reply queued for request ${n}`;
    try {
      return await responder(request);
    } catch (error) {
      return `${api.label}: the responder failed for request ${n}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, requestId: string, extra?: Partial<RecordedRequest>): Promise<void> {
    const recorded: RecordedRequest = { method: 'POST', path: request.url ?? api.path, headers: { ...request.headers }, body: await readJson(request), ...extra };
    const n = requests.push(recorded);
    if (!extra && options.requireApiKey !== false && !api.hasCredentials(request)) {
      return api.sendError(response, 401, api.missingCredentials, requestId, noRetry);
    }
    if (api.refuse?.(request, response, recorded, requestId)) return;
    const problem = recorded.body === undefined ? 'the request body is not valid JSON' : api.check(recorded.body, recorded);
    if (problem !== undefined) return api.sendError(response, 400, problem, requestId, noRetry);
    if (options.latencyMs && !(await waitFor(response, options.latencyMs))) return;
    const reply = await nextReply(recorded, n);
    if (typeof reply === 'string') return api.sendError(response, 500, reply, requestId, noRetry);
    const streaming = api.streaming ? api.streaming(recorded) : (recorded.body as { stream?: unknown }).stream === true;
    await api.send(reply, response, { requestId, request: recorded, streaming, wait: (ms) => waitFor(response, ms) });
  }

  async function handle(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method === 'POST' && pathname === api.path) return handleApi(request, response, requestId);
    const extra = request.method === 'POST' ? api.route?.(pathname) : undefined;
    if (extra) return handleApi(request, response, requestId, extra);
    await readJson(request);
    api.sendError(response, 404, `${api.label}: no route ${request.method} ${pathname}`, requestId);
  }

  // node:http is loaded by the first fake server, not with llmproc (the offline model imports this module).
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    const requestId = `req_fake_${++requestCount}`;
    handle(request, response, requestId).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else api.sendError(response, 500, `${api.label} failed: ${String(error)}`, requestId, noRetry);
    });
  });
  // Idle keep-alive connections outlive the client's pool, so the client never reuses one the
  // server is closing at that moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${api.label}: no TCP address`);

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respondWith: (next) => void (responder = next),
    pending: () => queue.length,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const cancel of [...cancels]) cancel();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
