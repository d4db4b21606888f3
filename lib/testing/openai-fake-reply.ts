/**
 * What the fake OpenAI server answers, as a plain value: build one with the reply builders
 * ({@link chatReply}, {@link toolCallsReply}, {@link openAIErrorReply}, and the shared faults
 * `dropConnection()`, `delayed()`, `streamError()`, ...) and give it to `server.enqueue()` or
 * return it from a responder.
 *
 * @module
 */
import type { DelayedFakeReply, DropFakeReply, ErrorFakeReply, HangFakeReply, MalformedFakeReply, StreamFaultFakeReply } from './fake-reply.js';
import type { WireChatCompletion } from './openai-wire.js';

/** A `200` with a `chat.completion` (JSON, or `chat.completion.chunk` events when the request streams). */
export interface CompletionFakeReply {
  kind: 'completion';
  completion: WireChatCompletion;
}

/** One scripted answer of the fake OpenAI server (a discriminated union on `kind`). */
export type OpenAIFakeReply =
  | CompletionFakeReply
  | ErrorFakeReply
  | DropFakeReply
  | MalformedFakeReply
  | HangFakeReply
  | DelayedFakeReply<OpenAIFakeReply>
  | StreamFaultFakeReply<OpenAIFakeReply>;
