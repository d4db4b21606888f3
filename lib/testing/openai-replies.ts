/**
 * Builders of the fake OpenAI server's replies: a text answer, tool calls (with arguments that may
 * be a raw, malformed string), any completion shape, and the API's error responses.
 *
 * @module
 */
import type { ErrorFakeReply } from './fake-reply.js';
import type { ErrorReplyOptions } from './faults.js';
import type { CompletionFakeReply } from './openai-fake-reply.js';
import { type OpenAIUsageScript, type WireChatCompletion, type WireChatMessage, type WireToolCall, wireUsage } from './openai-wire.js';

/** Options shared by {@link chatReply} and {@link toolCallsReply}. */
export interface ChatReplyOptions {
  /** Token counts, over the defaults (10 prompt, 5 completion, none cached). */
  usage?: OpenAIUsageScript | undefined;
  /** The finish reason (default `stop` for text, `tool_calls` for tool calls). */
  finishReason?: string | undefined;
  /** Default `chatcmpl_fake_<n>`, numbered per server. */
  id?: string | undefined;
  /** Default: the model the request named. */
  model?: string | undefined;
}

/** One tool call of a {@link toolCallsReply}. */
export interface ToolCallsScript {
  name: string;
  /** An object (sent as its JSON) or a raw string sent as is, e.g. a malformed `'{"city": "Par'`. */
  arguments: Record<string, unknown> | string;
  /** Default `call_fake_<n>`. */
  id?: string | undefined;
}

/** Options of {@link toolCallsReply}. */
export interface ToolCallsReplyOptions extends ChatReplyOptions {
  /** Text the message holds besides its tool calls (default none: `content: null`). */
  text?: string | undefined;
}

/** What a {@link completionReply} script may give: any part of a completion and of its one choice. */
export interface CompletionScript {
  id?: string | undefined;
  model?: string | undefined;
  /** The message's fields, over `{ role: 'assistant', content: null, refusal: null }`. */
  message?: Partial<WireChatMessage> | undefined;
  /** Default `stop`. */
  finishReason?: string | null | undefined;
  usage?: OpenAIUsageScript | undefined;
  /** Extra top-level fields (`service_tier`, ...). */
  extra?: Partial<WireChatCompletion> | undefined;
}

let toolCallCount = 0;

/** Any completion shape: one choice holding `message`, merged over a default. */
export function completionReply(script: CompletionScript = {}): CompletionFakeReply {
  return {
    kind: 'completion',
    completion: {
      id: script.id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: script.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, annotations: [], ...script.message },
          finish_reason: script.finishReason === undefined ? 'stop' : script.finishReason,
          logprobs: null,
        },
      ],
      usage: wireUsage(script.usage),
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
      ...script.extra,
    },
  };
}

/** A text answer (`finish_reason` default `stop`). */
export function chatReply(text: string, options: ChatReplyOptions = {}): CompletionFakeReply {
  return completionReply({ id: options.id, model: options.model, message: { content: text }, finishReason: options.finishReason ?? 'stop', usage: options.usage });
}

/** Calls to one tool or several, in order (`finish_reason` default `tool_calls`). */
export function toolCallsReply(calls: readonly ToolCallsScript[], options: ToolCallsReplyOptions = {}): CompletionFakeReply {
  const toolCalls: WireToolCall[] = calls.map((call) => ({
    id: call.id ?? `call_fake_${++toolCallCount}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
  return completionReply({
    id: options.id,
    model: options.model,
    message: { content: options.text ?? null, tool_calls: toolCalls },
    finishReason: options.finishReason ?? 'tool_calls',
    usage: options.usage,
  });
}

/** The error `type` and `code` OpenAI sends with each status. */
const OPENAI_ERRORS: Readonly<Record<number, { type: string; code?: string }>> = {
  400: { type: 'invalid_request_error' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error' },
  503: { type: 'server_error' },
};

/** OpenAI's error `type` and `code` for `status` (`server_error` for other 5xx, `invalid_request_error` otherwise). */
export function openAIErrorFor(status: number): { type: string; code: string | undefined } {
  const known = OPENAI_ERRORS[status];
  return { type: known?.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), code: known?.code };
}

/** Options of {@link openAIErrorReply}: those of `errorReply`, plus OpenAI's error `code`. */
export interface OpenAIErrorReplyOptions extends ErrorReplyOptions {
  /** The error code; by default OpenAI's for the status (`rate_limit_exceeded` for 429, ...). */
  code?: string | undefined;
}

/**
 * An OpenAI error response, `{ error: { message, type, param, code } }`, with the type and code
 * OpenAI sends for the status. The SDK throws its class for the status (`RateLimitError`, ...).
 */
export function openAIErrorReply(status: number, options: OpenAIErrorReplyOptions = {}): ErrorFakeReply {
  const headers: Record<string, string> = { ...options.headers };
  if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  const defaults = openAIErrorFor(status);
  const type = options.type ?? defaults.type;
  return { kind: 'error', status, type, code: options.code ?? defaults.code, message: options.message ?? `fake ${type}`, headers };
}
