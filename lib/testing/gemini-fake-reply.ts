/**
 * What the fake Gemini server answers, as a plain value: build one with the reply builders
 * ({@link geminiTextReply}, {@link functionCallsReply}, {@link geminiErrorReply}, and the shared
 * faults `dropConnection()`, `delayed()`, `streamError()`, ...) and give it to `server.enqueue()`
 * or return it from a responder.
 *
 * @module
 */
import type { DelayedFakeReply, DropFakeReply, ErrorFakeReply, HangFakeReply, MalformedFakeReply, StreamFaultFakeReply } from './fake-reply.js';
import type { WireGeminiResponse } from './gemini-wire.js';

/** A `200` with a `GenerateContentResponse` (JSON, or `data:` chunks on `:streamGenerateContent?alt=sse`). */
export interface GeminiResponseFakeReply {
  kind: 'gemini-response';
  response: WireGeminiResponse;
}

/** One scripted answer of the fake Gemini server (a discriminated union on `kind`). */
export type GeminiFakeReply =
  | GeminiResponseFakeReply
  | ErrorFakeReply
  | DropFakeReply
  | MalformedFakeReply
  | HangFakeReply
  | DelayedFakeReply<GeminiFakeReply>
  | StreamFaultFakeReply<GeminiFakeReply>;
