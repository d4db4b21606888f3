/**
 * The neutral language between the process loop and a model provider. The loop speaks only these
 * types; each provider maps them to and from its wire format in pure functions of its own.
 *
 * @module
 */
import type { ModelPrice } from '../results/pricing.js';

/** A piece of text. */
export interface TextPart {
  type: 'text';
  text: string;
}

/** An image, base64-encoded. */
export interface ImagePart {
  type: 'image';
  mediaType: string;
  data: string;
}

/** An image the provider fetches itself, by its `http(s)` URL (Anthropic, OpenAI; not Claude on Vertex). */
export interface ImageUrlPart {
  type: 'image_url';
  url: string;
}

/** A document (a PDF), base64-encoded; `title` names it to the model. */
export interface DocumentPart {
  type: 'document';
  mediaType: 'application/pdf';
  data: string;
  title?: string | undefined;
}

/** What a tool result may hold. */
export type ToolResultPart = TextPart | ImagePart;

/** What the user's input to a run may hold (see `run()`): text, images (base64 or by URL), PDFs. */
export type InputPart = TextPart | ImagePart | ImageUrlPart | DocumentPart;

/** Why a provider cannot take part `index` of a run's input (see {@link ModelProvider.checkInput}). */
export interface InputRefusal {
  /** The part's index in the input. */
  index: number;
  /** What the provider does not take and what it takes instead, in words. */
  reason: string;
}

/** The model asks for a tool to be run. */
export interface ToolCallPart {
  type: 'tool_call';
  /** The model's id for this call; the matching result carries the same id. */
  id: string;
  name: string;
  input: Record<string, unknown>;
  /**
   * Set by a provider when the model's arguments could not be read (OpenAI sends them as a JSON
   * string, which can be malformed or cut off): the tool is not run, and the model gets an
   * `is_error` result with this text. `input` is then `{}`.
   */
  inputError?: string | undefined;
}

/** The answer to one {@link ToolCallPart}. */
export interface ToolResultMessagePart {
  type: 'tool_result';
  toolCallId: string;
  content: ToolResultPart[];
  isError: boolean;
}

/**
 * A block the loop does not interpret but must send back unchanged (a thinking block with its
 * signature, a server tool call). `provider` names whose wire format `data` is in.
 */
export interface OpaquePart {
  type: 'opaque';
  provider: string;
  data: unknown;
}

/** What an assistant turn may hold. */
export type AssistantPart = TextPart | ToolCallPart | OpaquePart;
/** What a user turn may hold. */
export type UserPart = InputPart | ToolResultMessagePart;

/** One message of the conversation. */
export type Message =
  | { role: 'user'; content: UserPart[] }
  | { role: 'assistant'; content: AssistantPart[] };

/**
 * Token counts of one API call, or totals over several, with one meaning for every provider:
 * `inputTokens` are the prompt tokens read neither from nor into the cache (as Anthropic reports
 * them; OpenAI's `prompt_tokens` include its `cached_tokens`, which the OpenAI provider subtracts),
 * so the prompt's size is `inputTokens + cacheReadInputTokens + cacheCreationInputTokens` and no
 * token is counted twice.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  /**
   * Of `cacheCreationInputTokens`, those written with the 1-hour TTL, which are billed at the
   * 1-hour write price (the others at the 5-minute one). Absent when there are none.
   */
  cacheCreation1hInputTokens?: number | undefined;
}

/** A tool as the model sees it. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input (an object schema). */
  inputSchema: Record<string, unknown>;
}

/** Sampling parameters, camelCase; the provider maps them to its wire names. */
export interface ModelParameters {
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  topP?: number | undefined;
  topK?: number | undefined;
  stopSequences?: string[] | undefined;
  /** OpenAI: frequency penalty (-2 to 2). Not sent to Anthropic. */
  frequencyPenalty?: number | undefined;
  /** OpenAI: presence penalty (-2 to 2). Not sent to Anthropic. */
  presencePenalty?: number | undefined;
  /** Anthropic: extended thinking (`budgetTokens` ≥ 1024 and below `maxTokens`). */
  thinking?: { type: 'enabled'; budgetTokens: number } | { type: 'disabled' } | undefined;
  /** How the model must use tools: as it likes (`auto`), some tool (`any`), none, or the one named. */
  toolChoice?: ToolChoice | undefined;
  /** Request metadata (Anthropic: `metadata.user_id`; OpenAI: `metadata`). */
  metadata?: Readonly<Record<string, string>> | undefined;
  /** The service tier asked for (Anthropic: `auto` / `standard_only`; OpenAI: `auto`, `default`, `flex`, `priority`). */
  serviceTier?: string | undefined;
  /** HTTP headers sent with every request of the program. */
  extraHeaders?: Readonly<Record<string, string>> | undefined;
  /** Anthropic: beta flags, sent as the `anthropic-beta` header. */
  betas?: readonly string[] | undefined;
  /** OpenAI reasoning models: how hard to think. */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high' | undefined;
  /** OpenAI: a seed for best-effort deterministic sampling. */
  seed?: number | undefined;
  /** OpenAI: the shape of the answer (plain text, any JSON object, or JSON matching a schema). */
  responseFormat?: ResponseFormat | undefined;
}

/** {@link ModelParameters.toolChoice}. `disableParallelToolUse` asks for at most one tool call per turn. */
export type ToolChoice =
  | { type: 'auto' | 'any' | 'none'; disableParallelToolUse?: boolean | undefined }
  | { type: 'tool'; name: string; disableParallelToolUse?: boolean | undefined };

/** {@link ModelParameters.responseFormat}. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean | undefined };

/** How long a prompt cache entry lives after its last use: 5 minutes (the API's default) or an hour. */
export type PromptCacheTtl = '5m' | '1h';

/** Automatic prompt caching of one request (see {@link ModelRequest.promptCache}). */
export interface PromptCacheSettings {
  /** The lifetime of the cache entries the request writes. */
  ttl: PromptCacheTtl;
}

/** One request to the model. */
export interface ModelRequest {
  model: string;
  system: string | undefined;
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  parameters: ModelParameters;
  /**
   * Automatic prompt caching; `undefined`: off. Anthropic (and Claude on Vertex) mark the stable
   * prefix and the newest messages with `cache_control` breakpoints; OpenAI caches prompts by
   * itself and ignores it. It never changes what the model sees.
   */
  promptCache?: PromptCacheSettings | undefined;
}

/**
 * Why the model stopped, in Anthropic's words; other providers map theirs (OpenAI: `stop` →
 * `end_turn`, `tool_calls` → `tool_use`, `length` → `max_tokens`, `content_filter` → `refusal`).
 * A provider may return another string, which the loop treats as "done".
 */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | (string & {});

/** One model response, in neutral form. */
export interface ModelTurn {
  /** The provider's id of the response (`msg_...`). */
  id: string;
  /** The model that answered, as the API reports it. */
  model: string;
  /** The response's parts. The loop keeps them (and usually this array) in the history and freezes them: return new ones for each turn. */
  content: AssistantPart[];
  stopReason: StopReason;
  /** Token counts, normalized. */
  tokens: TokenUsage;
  /** The usage object exactly as the API returned it (snake_case keys for Anthropic). */
  usage: Record<string, unknown>;
  /** The provider's request id (`request-id` header), when known. */
  requestId?: string | undefined;
  /** Streamed calls: ms from sending the request to the first content delta. */
  timeToFirstTokenMs?: number | undefined;
}

/**
 * What a call has used so far, reported before it completes: what the API bills for a call that
 * then fails or is aborted (Anthropic: the usage of `message_start`, then of `message_delta`).
 */
export interface PartialUsage {
  /** The response id, when known. */
  id?: string | undefined;
  /** The model that is answering, when known. */
  model?: string | undefined;
  /** The counts so far, normalized. */
  tokens: TokenUsage;
  /** The usage object as the API sent it (a copy). */
  usage: Record<string, unknown>;
  /** The provider's request id, when known. */
  requestId?: string | undefined;
}

/** Per-call options of {@link ModelProvider.complete}: the loop's own object (often one frozen object for every call), to read, not to change. */
export interface CompleteOptions {
  /** Cancels the call, including while the SDK waits before a retry. */
  signal?: AbortSignal | undefined;
  /** Stream the response; text arrives through `onText` as it is generated. */
  stream?: boolean | undefined;
  /** Streamed calls: each text delta and the text of the current block so far. */
  onText?: ((delta: string, snapshot: string) => void) | undefined;
  /**
   * Streamed calls: the usage known so far, each time it grows. The API bills a call from the
   * moment it began answering, so when the call then fails or is aborted the loop records the
   * last usage reported here as an incomplete call. It is a callback, not a field of the thrown
   * error, because an abort must not wait for the provider's rejection (R2). A provider that
   * learns usage only at the end (or never mid-call) need not call it.
   */
  onUsage?: ((usage: PartialUsage) => void) | undefined;
}

/**
 * A model provider: sends one request, returns one turn. It throws the provider SDK's own errors
 * (after the SDK's retries); the loop wraps them. It need not watch for an abort beyond passing
 * the signal to its SDK: the loop stops waiting as soon as the run's signal aborts (R2).
 */
export interface ModelProvider {
  /** The provider's name, as in a program's `model.provider`. */
  readonly name: string;
  complete(request: ModelRequest, options?: CompleteOptions): Promise<ModelTurn>;
  /** The price of `model` at this provider, or `undefined` when unknown (its calls then cost `null`). */
  priceOf?(model: string): ModelPrice | undefined;
  /**
   * Which content parts of a run's input this provider cannot send for `model` (a type it does not
   * take, a size or count over its API's limits): `run()` asks before anything enters the
   * conversation or is sent, and refuses the input with `UnsupportedInputError`. Text is always
   * taken. A provider without this method is taken to accept text only.
   */
  checkInput?(parts: readonly InputPart[], model: string): InputRefusal | undefined;
  /** Describes a thrown error for a RunError: status, request id and a key-free message. */
  describeError(error: unknown): { message: string; status?: number | undefined; requestId?: string | undefined };
}
