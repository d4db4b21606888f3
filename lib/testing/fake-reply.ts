/**
 * What the fake server answers, as a plain value: build one with the reply builders
 * ({@link textReply}, {@link errorReply}, {@link streamError}, ...) and give it to
 * `server.enqueue()` or return it from a responder.
 *
 * @module
 */
import type { WireMessage } from './wire.js';

/** A `200` with a `message` (JSON, or server-sent events when the request asked to stream). */
export interface MessageFakeReply {
  kind: 'message';
  message: WireMessage;
}

/**
 * An API error response, in the body format of the fake server that sends it (Anthropic:
 * `{ type: 'error', error: { type, message }, request_id }`; OpenAI: `{ error: { message, type,
 * param, code } }`).
 */
export interface ErrorFakeReply {
  kind: 'error';
  status: number;
  /** The API's error type, e.g. `overloaded_error` (Anthropic) or `server_error` (OpenAI). */
  type: string;
  message: string;
  /** OpenAI's error `code` (`rate_limit_exceeded`, `model_not_found`, ...); the Anthropic body has none. */
  code?: string | undefined;
  /** Extra response headers (`retry-after`, `x-should-retry`, ...). */
  headers: Record<string, string>;
}

/** The connection is reset before any response. */
export interface DropFakeReply {
  kind: 'drop';
}

/** A `200` whose JSON body is cut off. */
export interface MalformedFakeReply {
  kind: 'malformed';
}

/** No answer at all, until the client aborts or the server closes. */
export interface HangFakeReply {
  kind: 'hang';
}

/** Any scripted answer of a fake server: the union of one server's replies narrows it. */
export interface AnyFakeReply {
  kind: string;
}

/** `reply`, after `ms` milliseconds. `R` is the server's reply union ({@link FakeReply} for Anthropic). */
export interface DelayedFakeReply<R extends AnyFakeReply = FakeReply> {
  kind: 'delayed';
  reply: R;
  ms: number;
}

/**
 * The first `afterEvents` server-sent events of `reply`, then a fault: an SSE `error` event, a
 * dropped connection, or silence. A request that did not ask to stream gets the fault without the
 * events. `R` is the server's reply union ({@link FakeReply} for Anthropic).
 */
export interface StreamFaultFakeReply<R extends AnyFakeReply = FakeReply> {
  kind: 'stream-fault';
  reply: R;
  afterEvents: number;
  fault: 'error' | 'drop' | 'hang';
  /** For `fault: 'error'`: the error type and message. */
  type: string;
  message: string;
}

/** One scripted answer of the fake server (a discriminated union on `kind`). */
export type FakeReply =
  | MessageFakeReply
  | ErrorFakeReply
  | DropFakeReply
  | MalformedFakeReply
  | HangFakeReply
  | DelayedFakeReply
  | StreamFaultFakeReply;
