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

/** An API error response: `{ type: 'error', error: { type, message }, request_id }`. */
export interface ErrorFakeReply {
  kind: 'error';
  status: number;
  /** The API's error type, e.g. `overloaded_error`. */
  type: string;
  message: string;
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

/** `reply`, after `ms` milliseconds. */
export interface DelayedFakeReply {
  kind: 'delayed';
  reply: FakeReply;
  ms: number;
}

/**
 * The first `afterEvents` server-sent events of `reply`, then a fault: an SSE `error` event, a
 * dropped connection, or silence. A request that did not ask to stream gets the fault without the
 * events.
 */
export interface StreamFaultFakeReply {
  kind: 'stream-fault';
  reply: FakeReply;
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
