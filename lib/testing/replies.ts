/**
 * What the fake Anthropic server answers: scripted messages, errors and faults, as plain values.
 *
 * @module
 */

/** The usage object of a Messages API response. */
export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A content block of a Messages API response. */
export type WireContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | ({ type: string } & Record<string, unknown>);

/** A Messages API `message` object; `id` and `model` are filled in when the reply is sent. */
export interface WireMessage {
  id?: string | undefined;
  type: 'message';
  role: 'assistant';
  model?: string | undefined;
  content: WireContentBlock[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: WireUsage;
}

/** One scripted answer of the fake server. */
export type FakeReply =
  | { kind: 'message'; message: WireMessage }
  | { kind: 'error'; status: number; type: string; message: string; headers: Record<string, string> }
  | { kind: 'drop' }
  | { kind: 'malformed' }
  | { kind: 'hang' }
  | { kind: 'delayed'; reply: FakeReply; ms: number }
  | { kind: 'stream-fault'; reply: FakeReply; afterEvents: number; fault: 'error' | 'drop'; type: string; message: string };

/** Options shared by the message replies. */
export interface MessageReplyOptions {
  /** Merged over the default usage (10 input, 5 output, no cache). */
  usage?: Partial<WireUsage> | undefined;
  stopReason?: string | undefined;
  /** Default `msg_fake_<n>`. */
  id?: string | undefined;
  /** Default: the model the request named. */
  model?: string | undefined;
}

const DEFAULT_USAGE: WireUsage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

let toolUseCount = 0;

/** Any message shape, merged over a default text-less `end_turn` message. */
export function messageReply(message: Partial<WireMessage>): FakeReply {
  return {
    kind: 'message',
    message: {
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: 'end_turn',
      stop_sequence: null,
      ...message,
      usage: { ...DEFAULT_USAGE, ...message.usage },
    },
  };
}

/** A text answer (`stop_reason` default `end_turn`). */
export function textReply(text: string, options: MessageReplyOptions = {}): FakeReply {
  return messageReply({
    id: options.id,
    model: options.model,
    content: [{ type: 'text', text }],
    stop_reason: options.stopReason ?? 'end_turn',
    usage: { ...DEFAULT_USAGE, ...options.usage },
  });
}

/** A call to one tool or several, in order; optional text first. */
export interface ToolCallScript {
  name: string;
  input: Record<string, unknown>;
  /** Default `toolu_fake_<n>`. */
  id?: string | undefined;
}

/** A `tool_use` answer (`stop_reason` default `tool_use`), with optional text before the calls. */
export function toolUseReply(calls: readonly ToolCallScript[], options: MessageReplyOptions & { text?: string | undefined } = {}): FakeReply {
  const blocks: WireContentBlock[] = options.text === undefined ? [] : [{ type: 'text', text: options.text }];
  for (const call of calls) {
    blocks.push({ type: 'tool_use', id: call.id ?? `toolu_fake_${++toolUseCount}`, name: call.name, input: call.input });
  }
  return messageReply({
    id: options.id,
    model: options.model,
    content: blocks,
    stop_reason: options.stopReason ?? 'tool_use',
    usage: { ...DEFAULT_USAGE, ...options.usage },
  });
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Options of {@link errorReply}. */
export interface ErrorReplyOptions {
  /** The error type; by default the API's type for the status. */
  type?: string | undefined;
  message?: string | undefined;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number | undefined;
  /** Milliseconds, sent as `retry-after-ms`. */
  retryAfterMs?: number | undefined;
  headers?: Record<string, string> | undefined;
}

/** An API error response, with the body the real API sends. */
export function errorReply(status: number, options: ErrorReplyOptions = {}): FakeReply {
  const headers: Record<string, string> = { ...options.headers };
  if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  const type = options.type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { kind: 'error', status, type, message: options.message ?? `fake ${type}`, headers };
}

/** Closes the connection without answering (a reset before the response). */
export function dropConnection(): FakeReply {
  return { kind: 'drop' };
}

/** A 200 whose body is not valid JSON. */
export function malformedJson(): FakeReply {
  return { kind: 'malformed' };
}

/** Never answers, until the client gives up or the server closes. */
export function hang(): FakeReply {
  return { kind: 'hang' };
}

/** Sends `reply` after `ms`. */
export function delayed(reply: FakeReply, ms: number): FakeReply {
  return { kind: 'delayed', reply, ms };
}

/** Options of the stream faults. */
export interface StreamFaultOptions {
  /** How many SSE events of the reply are sent before the fault. */
  afterEvents: number;
  /** For {@link streamError}: the error type (default `overloaded_error`). */
  type?: string | undefined;
  message?: string | undefined;
}

/**
 * Streams the first `afterEvents` events of `reply`, then an SSE `error` event (as the API does when
 * it is overloaded midway). A non-streamed request gets the error as an HTTP error instead.
 */
export function streamError(reply: FakeReply, options: StreamFaultOptions): FakeReply {
  const type = options.type ?? 'overloaded_error';
  return { kind: 'stream-fault', reply, afterEvents: options.afterEvents, fault: 'error', type, message: options.message ?? `fake ${type}` };
}

/** Streams the first `afterEvents` events of `reply`, then drops the connection. */
export function streamDrop(reply: FakeReply, options: StreamFaultOptions): FakeReply {
  return { kind: 'stream-fault', reply, afterEvents: options.afterEvents, fault: 'drop', type: 'connection', message: 'dropped' };
}
