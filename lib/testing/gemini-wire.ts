/**
 * Gemini `generateContent` response shapes as they travel on the wire, for scripting the fake
 * Gemini server's replies, and Google's error statuses.
 *
 * @module
 */

/** A part of a model content, as the wire has it (`text`, `functionCall`, a `thoughtSignature`, ...). */
export type WireGeminiPart = Record<string, unknown>;

/** The `usageMetadata` of a response. */
export interface WireGeminiUsage {
  /** Every prompt token, the cached ones included. */
  promptTokenCount: number;
  /** The answer's tokens, thinking excluded. */
  candidatesTokenCount?: number | undefined;
  /** Of `promptTokenCount`, those read from a cached content. */
  cachedContentTokenCount?: number | undefined;
  /** Thinking tokens (billed as output). */
  thoughtsTokenCount?: number | undefined;
  totalTokenCount: number;
}

/** One candidate (the fake sends one). */
export interface WireGeminiCandidate {
  content: { role: 'model'; parts: WireGeminiPart[] };
  /** `STOP`, `MAX_TOKENS`, `SAFETY`, `MALFORMED_FUNCTION_CALL`, ... or any string to test with. */
  finishReason?: string | undefined;
  index: number;
}

/**
 * A `GenerateContentResponse`. `responseId` and `modelVersion` may be left out of a script: the
 * server fills them in (`resp_fake_<n>`, and the model of the request's path).
 */
export interface WireGeminiResponse {
  candidates: WireGeminiCandidate[];
  usageMetadata: WireGeminiUsage;
  modelVersion?: string | undefined;
  responseId?: string | undefined;
  /** Set when the prompt was blocked (then there may be no candidate). */
  promptFeedback?: { blockReason: string } | undefined;
}

/** The token counts a scripted reply may set. */
export interface GeminiUsageScript {
  /** Every prompt token, the cached ones included (default 10). */
  promptTokenCount?: number | undefined;
  /** The answer's tokens (default 5). */
  candidatesTokenCount?: number | undefined;
  /** Of the prompt, the cached tokens (default 0: left out). */
  cachedContentTokenCount?: number | undefined;
  /** Thinking tokens (default 0: left out). */
  thoughtsTokenCount?: number | undefined;
}

/** The usage a scripted response has unless told otherwise: 10 prompt tokens, 5 answer tokens. */
export const DEFAULT_GEMINI_USAGE: Readonly<Required<GeminiUsageScript>> = Object.freeze({
  promptTokenCount: 10,
  candidatesTokenCount: 5,
  cachedContentTokenCount: 0,
  thoughtsTokenCount: 0,
});

/** The wire `usageMetadata` for a script, over {@link DEFAULT_GEMINI_USAGE} (zero counts left out, as the API does). */
export function wireGeminiUsage(script: GeminiUsageScript = {}): WireGeminiUsage {
  const counts = { ...DEFAULT_GEMINI_USAGE, ...Object.fromEntries(Object.entries(script).filter(([, value]) => value !== undefined)) };
  const usage: WireGeminiUsage = {
    promptTokenCount: counts.promptTokenCount,
    candidatesTokenCount: counts.candidatesTokenCount,
    totalTokenCount: counts.promptTokenCount + counts.candidatesTokenCount + counts.thoughtsTokenCount,
  };
  if (counts.cachedContentTokenCount > 0) usage.cachedContentTokenCount = counts.cachedContentTokenCount;
  if (counts.thoughtsTokenCount > 0) usage.thoughtsTokenCount = counts.thoughtsTokenCount;
  return usage;
}

/** Google's status name for each HTTP status its APIs answer. */
const GOOGLE_STATUSES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's status name for `status` (`INTERNAL` for another 5xx, `INVALID_ARGUMENT` otherwise). */
export function googleStatusFor(status: number): string {
  return GOOGLE_STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/** The HTTP status of a Google status name, or of another API's error type (`overloaded_error` → 503); 500 when unknown. */
export function httpStatusOf(type: string): number {
  for (const [code, name] of Object.entries(GOOGLE_STATUSES)) if (name === type) return Number(code);
  if (type === 'overloaded_error') return 503;
  if (type === 'rate_limit_error') return 429;
  if (type === 'invalid_request_error') return 400;
  return 500;
}
