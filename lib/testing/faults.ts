/**
 * Builders of the faults RELIABILITY.md asks tests to inject: API errors with `retry-after`,
 * dropped connections, malformed bodies, hangs, slow replies, and faults midway through a stream.
 * The transport faults and the stream faults work for both fake servers (Anthropic and OpenAI).
 *
 * @module
 */
import type {
  AnyFakeReply,
  DelayedFakeReply,
  DropFakeReply,
  ErrorFakeReply,
  FakeReply,
  HangFakeReply,
  MalformedFakeReply,
  StreamFaultFakeReply,
} from './fake-reply.js';

/** The API's error type for each status it documents. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The API's error type for `status` (`api_error` for other 5xx, `invalid_request_error` otherwise). */
export function errorTypeFor(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Options of {@link errorReply}. */
export interface ErrorReplyOptions {
  /** The error type; by default the API's type for the status. */
  type?: string | undefined;
  /** Default `fake <type>`. */
  message?: string | undefined;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number | undefined;
  /** Milliseconds, sent as `retry-after-ms` (the SDK prefers it to `retry-after`). */
  retryAfterMs?: number | undefined;
  /** More response headers, e.g. `{ 'x-should-retry': 'false' }`. */
  headers?: Record<string, string> | undefined;
}

/** An API error response with the body the real API sends. The SDK throws its class for the status. */
export function errorReply(status: number, options: ErrorReplyOptions = {}): ErrorFakeReply {
  const headers: Record<string, string> = { ...options.headers };
  if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  const type = options.type ?? errorTypeFor(status);
  return { kind: 'error', status, type, message: options.message ?? `fake ${type}`, headers };
}

/** Resets the connection without answering; the SDK reports an `APIConnectionError`. */
export function dropConnection(): DropFakeReply {
  return { kind: 'drop' };
}

/** A `200` whose JSON body is cut off. */
export function malformedJson(): MalformedFakeReply {
  return { kind: 'malformed' };
}

/** Never answers, until the client aborts or the server closes. */
export function hang(): HangFakeReply {
  return { kind: 'hang' };
}

/** Sends `reply` after `ms` milliseconds (nothing, if the client leaves or the server closes first). */
export function delayed<R extends AnyFakeReply = FakeReply>(reply: R, ms: number): DelayedFakeReply<R> {
  return { kind: 'delayed', reply, ms };
}

/** Options of {@link streamError} and {@link streamDrop}. */
export interface StreamFaultOptions {
  /**
   * How many server-sent events of the reply go out before the fault. Anthropic: `message_start`,
   * `ping`, then per content block `content_block_start`, its deltas and `content_block_stop`.
   * OpenAI: the `chat.completion.chunk`s (role, text deltas, tool call deltas, finish reason, usage).
   */
  afterEvents: number;
  /** For {@link streamError}: the error type (default `overloaded_error`). */
  type?: string | undefined;
  /** For {@link streamError}: default `fake <type>`. */
  message?: string | undefined;
}

/**
 * Streams the first `afterEvents` events of `reply`, then an SSE `error` event and the end, as the
 * API does when it is overloaded midway. A request that did not ask to stream gets the error as
 * an HTTP error (529 for `overloaded_error`).
 */
export function streamError<R extends AnyFakeReply = FakeReply>(reply: R, options: StreamFaultOptions): StreamFaultFakeReply<R> {
  const type = options.type ?? 'overloaded_error';
  return { kind: 'stream-fault', reply, afterEvents: options.afterEvents, fault: 'error', type, message: options.message ?? `fake ${type}` };
}

/**
 * Streams the first `afterEvents` events of `reply`, then destroys the connection. A request that
 * did not ask to stream gets the connection dropped before any response.
 */
export function streamDrop<R extends AnyFakeReply = FakeReply>(reply: R, options: Pick<StreamFaultOptions, 'afterEvents'>): StreamFaultFakeReply<R> {
  return { kind: 'stream-fault', reply, afterEvents: options.afterEvents, fault: 'drop', type: 'connection_dropped', message: 'connection dropped' };
}

/**
 * Streams the first `afterEvents` events of `reply`, then goes silent with the connection open
 * (until the client aborts or the server closes): for aborting a stream midway. A request that did
 * not ask to stream gets no answer at all, as with {@link hang}.
 */
export function streamHang<R extends AnyFakeReply = FakeReply>(reply: R, options: Pick<StreamFaultOptions, 'afterEvents'>): StreamFaultFakeReply<R> {
  return { kind: 'stream-fault', reply, afterEvents: options.afterEvents, fault: 'hang', type: 'hang', message: 'no more events' };
}
