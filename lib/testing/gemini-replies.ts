/**
 * Builders of the fake Gemini server's replies: a text answer, function calls (one turn may hold
 * several: parallel calls), any response shape, and Google's error responses.
 *
 * @module
 */
import type { ErrorFakeReply } from './fake-reply.js';
import type { ErrorReplyOptions } from './faults.js';
import type { GeminiResponseFakeReply } from './gemini-fake-reply.js';
import { type GeminiUsageScript, googleStatusFor, type WireGeminiPart, type WireGeminiResponse, wireGeminiUsage } from './gemini-wire.js';

/** Options shared by {@link geminiTextReply} and {@link functionCallsReply}. */
export interface GeminiReplyOptions {
  /** Token counts, over the defaults (10 prompt, 5 answer). */
  usage?: GeminiUsageScript | undefined;
  /** The finish reason (default `STOP`, which Gemini also sends after function calls). */
  finishReason?: string | undefined;
  /** Default `resp_fake_<n>`, numbered per server. */
  responseId?: string | undefined;
  /** Default: the model of the request's path. */
  modelVersion?: string | undefined;
  /** A thought signature on the first part, as thinking models send one. */
  thoughtSignature?: string | undefined;
}

/** One function call of a {@link functionCallsReply}. */
export interface FunctionCallScript {
  name: string;
  args?: Record<string, unknown> | undefined;
  /** The call's id (the Gemini API usually sends none; Vertex and newer models may). */
  id?: string | undefined;
}

/** Options of {@link functionCallsReply}. */
export interface FunctionCallsReplyOptions extends GeminiReplyOptions {
  /** Text the answer holds before its calls. */
  text?: string | undefined;
}

/** What a {@link geminiResponseReply} script may give. */
export interface GeminiResponseScript extends GeminiReplyOptions {
  /** The candidate's parts, as the wire has them. */
  parts?: WireGeminiPart[] | undefined;
  /** No candidate at all, and `promptFeedback.blockReason` (a blocked prompt). */
  blockReason?: string | undefined;
}

/** Any response shape: one candidate holding `parts`. */
export function geminiResponseReply(script: GeminiResponseScript = {}): GeminiResponseFakeReply {
  const parts = (script.parts ?? []).map((part) => ({ ...part }));
  if (script.thoughtSignature !== undefined && parts[0]) parts[0]['thoughtSignature'] = script.thoughtSignature;
  const response: WireGeminiResponse = {
    candidates: script.blockReason ? [] : [{ content: { role: 'model', parts }, finishReason: script.finishReason ?? 'STOP', index: 0 }],
    usageMetadata: wireGeminiUsage(script.usage),
    modelVersion: script.modelVersion,
    responseId: script.responseId,
  };
  if (script.blockReason) response.promptFeedback = { blockReason: script.blockReason };
  return { kind: 'gemini-response', response };
}

/** A text answer (`finishReason` default `STOP`). */
export function geminiTextReply(text: string, options: GeminiReplyOptions = {}): GeminiResponseFakeReply {
  return geminiResponseReply({ ...options, parts: [{ text }] });
}

/** Calls to one function or several, in order, in one model turn. */
export function functionCallsReply(calls: readonly FunctionCallScript[], options: FunctionCallsReplyOptions = {}): GeminiResponseFakeReply {
  const parts: WireGeminiPart[] = options.text ? [{ text: options.text }] : [];
  for (const call of calls) parts.push({ functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args ?? {} } });
  return geminiResponseReply({ ...options, parts });
}

/**
 * A Google error response, `{ error: { code, message, status } }`, with Google's status name for
 * the HTTP status (`RESOURCE_EXHAUSTED` for 429, ...). The SDK throws its `ApiError`.
 */
export function geminiErrorReply(status: number, options: ErrorReplyOptions = {}): ErrorFakeReply {
  const headers: Record<string, string> = { ...options.headers };
  if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
  const type = options.type ?? googleStatusFor(status);
  return { kind: 'error', status, type, message: options.message ?? `fake ${type}`, headers };
}
