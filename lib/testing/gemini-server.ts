/**
 * A fake Gemini API on 127.0.0.1 that the real `@google/genai` SDK talks to over HTTP and
 * server-sent events, on the Gemini API's paths and on Vertex AI's: scripted responses and faults,
 * a record of every request, and the API's own checks on what it is sent (above all the rules of
 * function calling). It shares its HTTP core with the fake Anthropic and OpenAI servers.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeApi, type FakeResponder, type FakeServer, type FakeServerOptions, type RecordedRequest, startFakeServer } from './fake-server.js';
import { checkGenerateContentRequest } from './gemini-check-request.js';
import type { GeminiFakeReply } from './gemini-fake-reply.js';
import { geminiRoute } from './gemini-route.js';
import { sendGeminiError, sendGeminiReply } from './gemini-send-reply.js';
import type { WireGeminiResponse } from './gemini-wire.js';
import { bearerToken } from './vertex-route.js';

/** Answers a valid request when the queue is empty. */
export type GeminiResponder = FakeResponder<GeminiFakeReply>;

/** Options of {@link startFakeGemini}. */
export interface FakeGeminiOptions extends FakeServerOptions<GeminiFakeReply> {
  /** Answers valid requests when the queue is empty. */
  responder?: GeminiResponder | undefined;
  /**
   * Refuse requests without credentials (default true): on the Gemini API's paths an API key
   * (`x-goog-api-key`, or `?key=`), on Vertex's `Authorization: Bearer <token>`.
   */
  requireApiKey?: boolean | undefined;
  /** The one API key the Gemini paths take; another gets Google's 400 "API key not valid". Default: any key. */
  apiKey?: string | undefined;
  /** The one access token the Vertex paths take; another gets Google's 401. Default: any bearer token. */
  vertexAccessToken?: string | undefined;
  /** The models served: a request for another gets Google's 404 naming it. Default: any model. */
  models?: readonly string[] | undefined;
}

/**
 * A running fake Gemini server: `url` is the SDK's `httpOptions.baseUrl` (or a program's
 * `base_url`) in both modes. `requests` holds every request to a Gemini path, valid or not, in
 * arrival order, each with its `gemini` route.
 */
export type FakeGeminiServer = FakeServer<GeminiFakeReply>;

const MISSING_KEY =
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const BAD_KEY = 'API key not valid. Please pass a valid API key.';
const MISSING_TOKEN =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.';
const BAD_TOKEN = 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';
const noRetry = { 'x-should-retry': 'false' };

/** The API key of a Gemini API request: the header the SDK sends, or the `key` query parameter. */
function apiKeyOf(request: IncomingMessage): string | undefined {
  const header = request.headers['x-goog-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  return new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('key') ?? undefined;
}

/** Gemini's `generateContent`, as the fake server core sees it. */
function geminiApi(options: FakeGeminiOptions): FakeApi<GeminiFakeReply> {
  let responseCount = 0;
  const complete = (request: RecordedRequest) => (response: WireGeminiResponse): WireGeminiResponse => ({
    ...response,
    responseId: response.responseId ?? `resp_fake_${++responseCount}`,
    modelVersion: response.modelVersion ?? request.gemini?.model ?? 'gemini-fake',
  });
  /** Refuses a request without the credentials of its API, or for a model not served; `true` when it did. */
  const refuse = (request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest, requestId: string): boolean => {
    const route = recorded.gemini!;
    const error = (status: number, message: string): true => (sendGeminiError(response, status, '', message, requestId, noRetry), true);
    if (options.requireApiKey !== false) {
      if (route.api === 'gemini') {
        const key = apiKeyOf(request);
        if (key === undefined) return error(403, MISSING_KEY);
        if (options.apiKey !== undefined && key !== options.apiKey) return error(400, BAD_KEY);
      } else {
        const token = bearerToken(request.headers.authorization);
        if (token === undefined) return error(401, MISSING_TOKEN);
        if (options.vertexAccessToken !== undefined && token !== options.vertexAccessToken) return error(401, BAD_TOKEN);
      }
    }
    if (options.models && !options.models.includes(route.model)) {
      const name = route.api === 'vertex' ? `projects/${route.project}/locations/${route.location}/publishers/google/models/${route.model}` : `models/${route.model}`;
      return error(404, `Publisher Model \`${name}\` was not found or your project does not have access to it.`);
    }
    return false;
  };
  return {
    label: 'fake Gemini server',
    // Every Gemini path has the model in it, so they are all answered through `route`.
    path: '/v1beta/models/{model}:generateContent',
    route: (pathname) => {
      const route = geminiRoute(pathname);
      return route ? { gemini: route } : undefined;
    },
    hasCredentials: (request) => apiKeyOf(request) !== undefined,
    missingCredentials: MISSING_KEY,
    refuse,
    check: checkGenerateContentRequest,
    streaming: (recorded) => recorded.gemini?.method === 'streamGenerateContent',
    sendError: (response, status, message, requestId, headers) => sendGeminiError(response, status, '', message, requestId, headers),
    send: (reply, response, context) => sendGeminiReply(reply, response, { ...context, complete: complete(context.request) }),
  };
}

/**
 * Starts a fake Gemini API on 127.0.0.1, on a free port; point the SDK (`httpOptions.baseUrl`),
 * `GOOGLE_GEMINI_BASE_URL` / `GOOGLE_VERTEX_BASE_URL` or a program's `base_url` at its `url`.
 * Each `POST` to `/v1beta/models/{model}:generateContent` or `:streamGenerateContent` (the Gemini
 * API) or to `/v1beta1/projects/{project}/locations/{location}/publishers/google/models/{model}:...`
 * (Vertex AI) is recorded, refused like the real API refuses it (403 without an API key, 401
 * without a bearer token on Vertex, 404 for a model not served, 400 with the problem in words for
 * an invalid body, without using a queued reply), then answered with the next queued reply, else
 * the responder's, else a 500 saying no reply was queued. A streamed request gets `data:` chunks.
 */
export function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGeminiServer> {
  return startFakeServer(geminiApi(options), options);
}
