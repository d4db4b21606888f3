/**
 * A fake Anthropic Messages API on 127.0.0.1 that the real `@anthropic-ai/sdk` talks to over HTTP
 * and server-sent events: scripted replies and faults, a record of every request, and the API's
 * own checks on what it is sent. It also serves Claude on Vertex AI's paths, for
 * `@anthropic-ai/vertex-sdk` (`baseURL: server.vertexUrl`).
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { checkMessagesRequest } from './check-request.js';
import type { IssuedThinking } from './check-thinking.js';
import type { FakeReply } from './fake-reply.js';
import { type ReplyContext, sendError, sendJson, sendReply } from './send-reply.js';
import { bearerToken, checkVertexBody, googleErrorBody, publisherModelName, type VertexRoute, vertexRoute } from './vertex-route.js';
import type { WireMessage } from './wire.js';

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** The path with its query string, e.g. `/v1/messages`. */
  path: string;
  /** The request headers; names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body, parsed (`undefined` when it was not JSON). */
  body: unknown;
  /** A Claude on Vertex request: the project, region, model and method of its path. */
  vertex?: VertexRoute | undefined;
}

/** Answers a valid request when the queue is empty. */
export type Responder = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /** Answers valid requests when the queue is empty. */
  responder?: Responder | undefined;
  /** Waits this long before every reply to a valid request (default 0). */
  latencyMs?: number | undefined;
  /** Answer 401 to requests without `x-api-key` or `authorization: Bearer` (default true). */
  requireApiKey?: boolean | undefined;
  /**
   * The models served: a request for another gets the API's 404 naming it (Google's "Publisher
   * Model ... not found" on the Vertex paths). Default: any model.
   */
  models?: readonly string[] | undefined;
  /**
   * The Google access token Vertex requests must carry as `Authorization: Bearer <token>`; others
   * get Google's 401. Default: any bearer token (none is still a 401).
   */
  vertexAccessToken?: string | undefined;
}

/** A running fake server. */
export interface FakeAnthropicServer {
  /** `http://127.0.0.1:<port>`: the SDK's `baseURL`, or `ANTHROPIC_BASE_URL`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1`: the Vertex SDK's `baseURL` (as `https://<region>-aiplatform.googleapis.com/v1`). */
  readonly vertexUrl: string;
  /** Every `POST /v1/messages` and Vertex `:rawPredict` / `:streamRawPredict`, valid or not, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Queues replies: each valid request takes the next one. */
  enqueue(...replies: FakeReply[]): void;
  /** Sets the responder used when the queue is empty. */
  respondWith(responder: Responder): void;
  /** How many queued replies no request has taken yet. */
  pending(): number;
  /** Stops the server: ends hanging and delayed replies and destroys every open connection. */
  close(): Promise<void>;
}

const MESSAGES_PATH = '/v1/messages';

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

/** The request carries credentials the way the SDK sends them. */
function hasCredentials(request: IncomingMessage): boolean {
  return Boolean(request.headers['x-api-key']) || /^Bearer \S/.test(request.headers.authorization ?? '');
}

/**
 * Starts a fake Anthropic Messages API on 127.0.0.1, on a free port. Each `POST /v1/messages` is
 * recorded, checked like the real API does (401 without a key, 400 with the problem in words for
 * an invalid body, without using a queued reply), then answered with the next queued reply, else
 * the responder's, else a 500 saying no reply was queued. Every response has a `request-id`
 * header `req_fake_<n>`. Vertex's `POST /v1/projects/{project}/locations/{region}/publishers/
 * anthropic/models/{model}:rawPredict` (and `:streamRawPredict`) are served the same way, after
 * Vertex's own checks: a bearer token, no `model` in the body, an `anthropic_version`.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const cancels = new Set<() => void>();
  let responder = options.responder;
  let requestCount = 0;
  let messageCount = 0;
  const issued = { signatures: new Map<string, string>(), redacted: new Set<string>() } satisfies IssuedThinking;

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

  /** Remembers the thinking blocks sent, which requests must send back unchanged. */
  const remember = (message: WireMessage): void => {
    for (const block of message.content as Array<Record<string, unknown>>) {
      if (block['type'] === 'thinking' && typeof block['signature'] === 'string') issued.signatures.set(block['signature'], String(block['thinking']));
      if (block['type'] === 'redacted_thinking' && typeof block['data'] === 'string') issued.redacted.add(block['data']);
    }
  };

  const complete = (request: RecordedRequest) => (message: WireMessage): WireMessage => {
    const model = request.vertex?.model ?? (request.body as { model?: unknown }).model;
    remember(message);
    return {
      ...message,
      id: message.id ?? `msg_fake_${++messageCount}`,
      model: message.model ?? (typeof model === 'string' ? model : 'claude-fake'),
    };
  };

  /** The reply for the `n`th request, or why there is none. */
  async function nextReply(request: RecordedRequest, n: number): Promise<FakeReply | string> {
    const queued = queue.shift();
    if (queued) return queued;
    if (!responder) return `fake Anthropic server: no reply queued for request ${n}`;
    try {
      return await responder(request);
    } catch (error) {
      return `fake Anthropic server: the responder failed for request ${n}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Vertex's own refusal of a request (credentials, body, model), sent; `true` when there was one. */
  function refuseVertex(request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest, vertex: VertexRoute, requestId: string): boolean {
    const token = bearerToken(request.headers.authorization);
    const noRetry = { 'x-should-retry': 'false' };
    if (token === undefined || (options.vertexAccessToken !== undefined && token !== options.vertexAccessToken)) {
      const message = 'Request had invalid authentication credentials. Expected OAuth 2 access token.';
      sendJson(response, 401, googleErrorBody(401, 'UNAUTHENTICATED', message), requestId, noRetry);
      return true;
    }
    const problem = recorded.body === undefined ? 'the request body is not valid JSON' : checkVertexBody(recorded.body);
    if (problem !== undefined) {
      sendError(response, 400, 'invalid_request_error', problem, requestId, noRetry);
      return true;
    }
    if (options.models && !options.models.includes(vertex.model)) {
      sendJson(response, 404, googleErrorBody(404, 'NOT_FOUND', `Publisher Model \`${publisherModelName(vertex)}\` not found.`), requestId, noRetry);
      return true;
    }
    return false;
  }

  async function handleMessages(request: IncomingMessage, response: ServerResponse, requestId: string, vertex?: VertexRoute): Promise<void> {
    const recorded: RecordedRequest = { method: 'POST', path: request.url ?? MESSAGES_PATH, headers: { ...request.headers }, body: await readJson(request) };
    if (vertex) recorded.vertex = vertex;
    const n = requests.push(recorded);
    const noRetry = { 'x-should-retry': 'false' };
    if (vertex) {
      if (refuseVertex(request, response, recorded, vertex, requestId)) return;
    } else if (options.requireApiKey !== false && !hasCredentials(request)) {
      return sendError(response, 401, 'authentication_error', 'x-api-key header is required', requestId, noRetry);
    }
    // On Vertex the model is in the path; the Messages API's checks see it where they expect it.
    const body = vertex ? { ...(recorded.body as object), model: vertex.model } : recorded.body;
    const problem = body === undefined ? 'the request body is not valid JSON' : checkMessagesRequest(body, { issuedThinking: issued });
    if (problem !== undefined) return sendError(response, 400, 'invalid_request_error', problem, requestId, noRetry);
    const model = (body as { model?: unknown }).model;
    if (!vertex && options.models && typeof model === 'string' && !options.models.includes(model)) {
      return sendError(response, 404, 'not_found_error', `model: ${model}`, requestId, noRetry);
    }
    if (options.latencyMs && !(await waitFor(response, options.latencyMs))) return;
    const reply = await nextReply(recorded, n);
    if (typeof reply === 'string') return sendError(response, 500, 'api_error', reply, requestId, noRetry);
    const context: ReplyContext = {
      requestId,
      streaming: vertex ? vertex.method === 'streamRawPredict' : (recorded.body as { stream?: unknown }).stream === true,
      complete: complete(recorded),
      wait: (ms) => waitFor(response, ms),
    };
    await sendReply(reply, response, context);
  }

  async function handle(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method === 'POST' && pathname === MESSAGES_PATH) return handleMessages(request, response, requestId);
    const vertex = request.method === 'POST' ? vertexRoute(pathname) : undefined;
    if (vertex) return handleMessages(request, response, requestId, vertex);
    await readJson(request);
    sendError(response, 404, 'not_found_error', `fake Anthropic server: no route ${request.method} ${pathname}`, requestId);
  }

  const server = createServer((request, response) => {
    const requestId = `req_fake_${++requestCount}`;
    handle(request, response, requestId).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else sendError(response, 500, 'api_error', `fake Anthropic server failed: ${String(error)}`, requestId, { 'x-should-retry': 'false' });
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
  if (address === null || typeof address === 'string') throw new Error('fake Anthropic server: no TCP address');

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    vertexUrl: `http://127.0.0.1:${address.port}/v1`,
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
