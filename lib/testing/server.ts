/**
 * A fake Anthropic Messages API on 127.0.0.1 that the real `@anthropic-ai/sdk` talks to over HTTP
 * and server-sent events: scripted replies and faults, a record of every request, and the API's
 * own checks on what it is sent. It also serves Claude on Vertex AI's paths for the Vertex SDK.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkMessagesRequest } from './check-request.js';
import type { IssuedThinking } from './check-thinking.js';
import type { FakeReply } from './fake-reply.js';
import { type FakeApi, type FakeResponder, type FakeServer, type FakeServerOptions, type RecordedRequest, startFakeServer } from './fake-server.js';
import { errorTypeFor } from './faults.js';
import { sendJson } from './http-reply.js';
import { FakePromptCache, type FakePromptCacheOptions } from './prompt-cache.js';
import { sendError, sendReply } from './send-reply.js';
import { bearerToken, checkVertexBody, googleErrorBody, publisherModelName, vertexRoute } from './vertex-route.js';
import type { WireMessage } from './wire.js';

export type { RecordedRequest } from './fake-server.js';

/** Answers a valid request when the queue is empty. */
export type Responder = FakeResponder<FakeReply>;

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions extends FakeServerOptions<FakeReply> {
  /** Answers valid requests when the queue is empty. */
  responder?: Responder | undefined;
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
  /**
   * Simulate the API's prompt cache (default off: a reply's usage is as scripted). On, the
   * `input_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens` and `cache_creation`
   * of every message reply are the cache's, from the request's `cache_control` breakpoints (see
   * {@link FakePromptCache}); `output_tokens` stays as scripted. Options set its clock and minimum.
   */
  promptCache?: boolean | FakePromptCacheOptions | undefined;
}

/**
 * A running fake Anthropic server. `url` is the SDK's `baseURL` (or `ANTHROPIC_BASE_URL`);
 * `requests` holds every `POST /v1/messages` and Vertex `:rawPredict` / `:streamRawPredict`,
 * valid or not, in arrival order.
 */
export interface FakeAnthropicServer extends FakeServer<FakeReply> {
  /** `http://127.0.0.1:<port>/v1`: the Vertex SDK's `baseURL` (as `https://<region>-aiplatform.googleapis.com/v1`). */
  readonly vertexUrl: string;
  /** The simulated prompt cache, when the server was started with `promptCache`. */
  readonly promptCache: FakePromptCache | undefined;
}

/** The request carries credentials the way the SDK sends them. */
function hasCredentials(request: IncomingMessage): boolean {
  return Boolean(request.headers['x-api-key']) || /^Bearer \S/.test(request.headers.authorization ?? '');
}

const noRetry = { 'x-should-retry': 'false' };

/** The Messages API (and its Vertex paths), as the fake server core sees it. */
function anthropicApi(options: FakeAnthropicOptions, cache: FakePromptCache | undefined): FakeApi<FakeReply> {
  let messageCount = 0;
  const issued = { signatures: new Map<string, string>(), redacted: new Set<string>() } satisfies IssuedThinking;

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
    const name = message.model ?? (typeof model === 'string' ? model : 'claude-fake');
    return {
      ...message,
      id: message.id ?? `msg_fake_${++messageCount}`,
      model: name,
      usage: cache ? { ...message.usage, ...cache.use(request.body, name) } : message.usage,
    };
  };

  /** Vertex's own refusals (credentials, body, model) and the Messages API's 404 for a model it does not serve. */
  function refuse(request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest, requestId: string): boolean {
    const vertex = recorded.vertex;
    if (!vertex) {
      const model = (recorded.body as { model?: unknown } | undefined)?.model;
      if (!options.models || typeof model !== 'string' || options.models.includes(model)) return false;
      sendError(response, 404, 'not_found_error', `model: ${model}`, requestId, noRetry);
      return true;
    }
    const token = bearerToken(request.headers.authorization);
    if (token === undefined || (options.vertexAccessToken !== undefined && token !== options.vertexAccessToken)) {
      const message = 'Request had invalid authentication credentials. Expected OAuth 2 access token.';
      sendJson(response, 401, googleErrorBody(401, 'UNAUTHENTICATED', message), { 'request-id': requestId, ...noRetry });
      return true;
    }
    const problem = recorded.body === undefined ? 'the request body is not valid JSON' : checkVertexBody(recorded.body);
    if (problem !== undefined) {
      sendError(response, 400, 'invalid_request_error', problem, requestId, noRetry);
      return true;
    }
    if (options.models && !options.models.includes(vertex.model)) {
      sendJson(response, 404, googleErrorBody(404, 'NOT_FOUND', `Publisher Model \`${publisherModelName(vertex)}\` not found.`), { 'request-id': requestId, ...noRetry });
      return true;
    }
    return false;
  }

  return {
    label: 'fake Anthropic server',
    path: '/v1/messages',
    route: (pathname) => {
      const vertex = vertexRoute(pathname);
      return vertex ? { vertex } : undefined;
    },
    hasCredentials,
    missingCredentials: 'x-api-key header is required',
    refuse,
    // On Vertex the model is in the path; the Messages API's checks see it where they expect it.
    check: (body, recorded) => checkMessagesRequest(recorded.vertex ? { ...(body as object), model: recorded.vertex.model } : body, { issuedThinking: issued, vertex: recorded.vertex !== undefined }),
    streaming: (recorded) => (recorded.vertex ? recorded.vertex.method === 'streamRawPredict' : (recorded.body as { stream?: unknown }).stream === true),
    sendError: (response, status, message, requestId, headers) => sendError(response, status, errorTypeFor(status), message, requestId, headers),
    send: (reply, response, context) => sendReply(reply, response, { ...context, complete: complete(context.request) }),
  };
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
  const cache = options.promptCache ? new FakePromptCache(options.promptCache === true ? {} : options.promptCache) : undefined;
  const server = await startFakeServer(anthropicApi(options, cache), options);
  return Object.assign(server, { vertexUrl: `${server.url}/v1`, promptCache: cache });
}
