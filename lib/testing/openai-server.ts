/**
 * A fake OpenAI Chat Completions API on 127.0.0.1 that the real `openai` SDK talks to over HTTP
 * and server-sent events: scripted completions and faults, a record of every request, and the
 * API's own checks on what it is sent. It shares its HTTP core with the fake Anthropic server.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { type FakeApi, type FakeResponder, type FakeServer, type FakeServerOptions, type RecordedRequest, startFakeServer } from './fake-server.js';
import { checkChatCompletionsRequest } from './openai-check-request.js';
import type { OpenAIFakeReply } from './openai-fake-reply.js';
import { openAIErrorFor } from './openai-replies.js';
import { sendOpenAIError, sendOpenAIReply } from './openai-send-reply.js';
import type { WireChatCompletion } from './openai-wire.js';

/** Answers a valid request when the queue is empty. */
export type OpenAIResponder = FakeResponder<OpenAIFakeReply>;

/** Options of {@link startFakeOpenAI}. */
export interface FakeOpenAIOptions extends FakeServerOptions<OpenAIFakeReply> {
  /** Answers valid requests when the queue is empty. */
  responder?: OpenAIResponder | undefined;
  /** Answer 401 to requests without `authorization: Bearer <key>` (default true). */
  requireApiKey?: boolean | undefined;
}

/**
 * A running fake OpenAI server. `requests` holds every `POST /v1/chat/completions`, valid or not,
 * in arrival order.
 */
export interface FakeOpenAIServer extends FakeServer<OpenAIFakeReply> {
  /** `http://127.0.0.1:<port>/v1`: the SDK's `baseURL`, `OPENAI_BASE_URL`, or a program's `base_url`. */
  readonly baseURL: string;
}

const MISSING_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

/** The request carries a bearer token, as the SDK sends the key. */
function hasBearer(request: IncomingMessage): boolean {
  return /^Bearer \S/.test(request.headers.authorization ?? '');
}

/** Chat Completions, as the fake server core sees it. */
function openAIApi(): FakeApi<OpenAIFakeReply> {
  let completionCount = 0;
  const complete = (request: RecordedRequest) => (completion: WireChatCompletion): WireChatCompletion => {
    const model = (request.body as { model?: unknown }).model;
    return {
      ...completion,
      id: completion.id ?? `chatcmpl_fake_${++completionCount}`,
      model: completion.model ?? (typeof model === 'string' ? model : 'gpt-fake'),
    };
  };
  return {
    label: 'fake OpenAI server',
    path: '/v1/chat/completions',
    hasCredentials: hasBearer,
    missingCredentials: MISSING_KEY,
    check: checkChatCompletionsRequest,
    sendError: (response, status, message, requestId, headers) =>
      sendOpenAIError(response, status, { message, type: openAIErrorFor(status).type }, requestId, headers),
    send: (reply, response, context) => sendOpenAIReply(reply, response, { ...context, complete: complete(context.request) }),
  };
}

/**
 * Starts a fake OpenAI Chat Completions API on 127.0.0.1, on a free port; point the SDK (or a
 * program's `base_url`) at its `baseURL`. Each `POST /v1/chat/completions` is recorded, checked
 * like the real API does (401 without `Authorization: Bearer`, 400 with the problem in words for an
 * invalid body, without using a queued reply), then answered with the next queued reply, else the
 * responder's, else a 500 saying no reply was queued. Every response has an `x-request-id` header
 * `req_fake_<n>`. A streamed request gets `chat.completion.chunk` events and `data: [DONE]`, with a
 * usage chunk only when it asked for one (`stream_options: { include_usage: true }`), as the API does.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const server = await startFakeServer(openAIApi(), options);
  return Object.assign(server, { baseURL: `${server.url}/v1` });
}
