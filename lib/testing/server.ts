/**
 * A fake Anthropic Messages API on 127.0.0.1 that the real `@anthropic-ai/sdk` talks to over HTTP
 * and server-sent events: scripted replies and faults, a record of every request, and the API's
 * own checks on what it is sent.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { checkMessagesRequest } from './check-request.js';
import type { FakeReply } from './fake-reply.js';
import { type FakeApi, type FakeResponder, type FakeServer, type FakeServerOptions, type RecordedRequest, startFakeServer } from './fake-server.js';
import { errorTypeFor } from './faults.js';
import { sendError, sendReply } from './send-reply.js';
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
}

/**
 * A running fake Anthropic server. `url` is the SDK's `baseURL` (or `ANTHROPIC_BASE_URL`);
 * `requests` holds every `POST /v1/messages`, valid or not, in arrival order.
 */
export interface FakeAnthropicServer extends FakeServer<FakeReply> {}

/** The request carries credentials the way the SDK sends them. */
function hasCredentials(request: IncomingMessage): boolean {
  return Boolean(request.headers['x-api-key']) || /^Bearer \S/.test(request.headers.authorization ?? '');
}

/** The Messages API, as the fake server core sees it. */
function anthropicApi(): FakeApi<FakeReply> {
  let messageCount = 0;
  const complete = (request: RecordedRequest) => (message: WireMessage): WireMessage => {
    const model = (request.body as { model?: unknown }).model;
    return {
      ...message,
      id: message.id ?? `msg_fake_${++messageCount}`,
      model: message.model ?? (typeof model === 'string' ? model : 'claude-fake'),
    };
  };
  return {
    label: 'fake Anthropic server',
    path: '/v1/messages',
    hasCredentials,
    missingCredentials: 'x-api-key header is required',
    check: checkMessagesRequest,
    sendError: (response, status, message, requestId, headers) => sendError(response, status, errorTypeFor(status), message, requestId, headers),
    send: (reply, response, context) => sendReply(reply, response, { ...context, complete: complete(context.request) }),
  };
}

/**
 * Starts a fake Anthropic Messages API on 127.0.0.1, on a free port. Each `POST /v1/messages` is
 * recorded, checked like the real API does (401 without a key, 400 with the problem in words for
 * an invalid body, without using a queued reply), then answered with the next queued reply, else
 * the responder's, else a 500 saying no reply was queued. Every response has a `request-id`
 * header `req_fake_<n>`.
 */
export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  return startFakeServer(anthropicApi(), options);
}
