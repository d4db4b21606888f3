/**
 * OpenAI Chat Completions response shapes as they travel on the wire, for scripting the fake
 * OpenAI server's replies.
 *
 * @module
 */

/** The `usage` object of a chat completion. */
export interface WireChatUsage {
  /** Every prompt token, the cached ones included. */
  prompt_tokens: number;
  /** Every generated token, the reasoning ones included. */
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

/** A tool call of a completion's message. `arguments` is a JSON string (or, scripted, any string). */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** The assistant message of a choice. */
export interface WireChatMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: WireToolCall[] | undefined;
  annotations?: unknown[] | undefined;
}

/** One choice of a completion (the fake sends one). */
export interface WireChatChoice {
  index: number;
  message: WireChatMessage;
  /** `stop`, `tool_calls`, `length`, `content_filter`, `function_call`, or any string to test with. */
  finish_reason: string | null;
  logprobs: null;
}

/**
 * A `chat.completion` object. `id` and `model` may be left out of a script: the server fills them
 * in when it sends the reply (`chatcmpl_fake_<n>`, and the model the request named).
 */
export interface WireChatCompletion {
  id?: string | undefined;
  object: 'chat.completion';
  created: number;
  model?: string | undefined;
  choices: WireChatChoice[];
  usage: WireChatUsage;
  service_tier?: string | undefined;
  system_fingerprint: string | null;
}

/** The token counts a scripted reply may set; the rest of {@link WireChatUsage} follows from them. */
export interface OpenAIUsageScript {
  /** Every prompt token, the cached ones included (default 10). */
  prompt_tokens?: number | undefined;
  /** Every generated token, the reasoning ones included (default 5). */
  completion_tokens?: number | undefined;
  /** Of `prompt_tokens`, those read from the prompt cache (default 0). */
  cached_tokens?: number | undefined;
  /** Of `completion_tokens`, the reasoning tokens (default 0). */
  reasoning_tokens?: number | undefined;
}

/** The usage a scripted completion has unless told otherwise: 10 prompt tokens, 5 completion tokens, none cached. */
export const DEFAULT_OPENAI_USAGE: Readonly<Required<OpenAIUsageScript>> = Object.freeze({
  prompt_tokens: 10,
  completion_tokens: 5,
  cached_tokens: 0,
  reasoning_tokens: 0,
});

/** The wire `usage` for a script, over {@link DEFAULT_OPENAI_USAGE}. */
export function wireUsage(script: OpenAIUsageScript = {}): WireChatUsage {
  const counts = { ...DEFAULT_OPENAI_USAGE, ...definedOnly(script) };
  return {
    prompt_tokens: counts.prompt_tokens,
    completion_tokens: counts.completion_tokens,
    total_tokens: counts.prompt_tokens + counts.completion_tokens,
    prompt_tokens_details: { cached_tokens: counts.cached_tokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: counts.reasoning_tokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function definedOnly(script: OpenAIUsageScript): OpenAIUsageScript {
  return Object.fromEntries(Object.entries(script).filter(([, value]) => value !== undefined));
}
