/**
 * Pure functions between llmproc's neutral model types and OpenAI Chat Completions' wire format.
 * No I/O: tested without the network.
 *
 * - The system prompt is a `system` message, first.
 * - Every tool (builtin, function, MCP, spawn, fork) is a function tool.
 * - Assistant tool calls are `tool_calls`; every tool result is a `tool` message with its
 *   `tool_call_id`, in the order of the calls, right after the assistant message (R5).
 * - The user's own images and PDFs are `image_url` and `file` parts (see input-parts.ts).
 * - A `tool` message holds text only: a tool result's images follow in a `user` message as
 *   `image_url` data URLs (or a text note for an image OpenAI would refuse). Chat Completions has
 *   no `is_error`: an error result's text starts with `Error: `.
 * - Another provider's opaque parts (Anthropic thinking blocks) are dropped; empty text is never
 *   sent (R8).
 *
 * @module
 */
import type OpenAI from 'openai';
import type {
  AssistantPart,
  Message,
  ModelParameters,
  ModelRequest,
  ModelTurn,
  StopReason,
  TokenUsage,
  ToolChoice,
  ToolResultMessagePart,
  ToolSpec,
  UserPart,
} from '../types.js';
import { deepFreeze } from '../../deep-freeze.js';
import { isFrozenMessage, WireFormCache } from '../frozen-message.js';
import { toImageContent } from './image-parts.js';
import { type InputContentPart, toInputContent } from './input-parts.js';
import { readToolArguments } from './tool-arguments.js';

type WireParams = OpenAI.ChatCompletionCreateParamsNonStreaming;
type WireMessage = OpenAI.ChatCompletionMessageParam;
type WireToolCall = OpenAI.ChatCompletionMessageFunctionToolCall;

/** `max_completion_tokens` when a program does not set it (as `max_tokens` on Anthropic). */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Maps a neutral request to `chat.completions.create` parameters (not streaming). The `messages`
 * array is new on every call, but the wire form of a frozen message and of a frozen tool list is
 * cached and frozen, shared by calls: a pass that changes one must copy it first.
 */
export function toOpenAIParams(request: ModelRequest): WireParams {
  const hasTools = request.tools.length > 0;
  const params: WireParams = {
    model: request.model,
    messages: toWireMessages(request.system, request.messages),
    max_completion_tokens: request.parameters.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...toWireParameters(request.parameters, hasTools),
  };
  if (hasTools) params.tools = toWireTools(request.tools);
  return params;
}

/** Wire forms of frozen tool lists (a process's list is built once and frozen). */
const wireTools = new WeakMap<readonly ToolSpec[], OpenAI.ChatCompletionFunctionTool[]>();

/** The tools as function tools; a frozen list of frozen specs is mapped once (and its form frozen). */
function toWireTools(tools: readonly ToolSpec[]): OpenAI.ChatCompletionFunctionTool[] {
  if (!(Object.isFrozen(tools) && tools.every(Object.isFrozen))) return tools.map(toWireTool);
  let wire = wireTools.get(tools);
  if (!wire) {
    // The schemas are the tools' own objects, sent as they are.
    wire = Object.freeze(tools.map((tool) => freezeWireTool(toWireTool(tool)))) as OpenAI.ChatCompletionFunctionTool[];
    wireTools.set(tools, wire);
  }
  return wire;
}

function toWireTool(tool: ToolSpec): OpenAI.ChatCompletionFunctionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } };
}

/** Freezes a wire tool and its `function` object, not the schema (the tool's own). */
function freezeWireTool(tool: OpenAI.ChatCompletionFunctionTool): OpenAI.ChatCompletionFunctionTool {
  Object.freeze(tool.function);
  return Object.freeze(tool);
}

/** The HTTP headers a program asks to send with every request (`extraHeaders`), or `undefined`. */
export function toOpenAIHeaders(parameters: ModelParameters): Record<string, string> | undefined {
  return parameters.extraHeaders && Object.keys(parameters.extraHeaders).length > 0 ? { ...parameters.extraHeaders } : undefined;
}

/** The sampling and request options. Tool options go only with tools: the API refuses them otherwise. */
function toWireParameters(parameters: ModelParameters, hasTools: boolean): Partial<WireParams> {
  const wire: Partial<WireParams> = {};
  if (parameters.temperature !== undefined) wire.temperature = parameters.temperature;
  if (parameters.topP !== undefined) wire.top_p = parameters.topP;
  if (parameters.frequencyPenalty !== undefined) wire.frequency_penalty = parameters.frequencyPenalty;
  if (parameters.presencePenalty !== undefined) wire.presence_penalty = parameters.presencePenalty;
  if (parameters.stopSequences !== undefined && parameters.stopSequences.length > 0) wire.stop = [...parameters.stopSequences];
  if (parameters.seed !== undefined) wire.seed = parameters.seed;
  if (parameters.metadata !== undefined) wire.metadata = { ...parameters.metadata };
  if (parameters.serviceTier !== undefined) wire.service_tier = parameters.serviceTier as WireParams['service_tier'];
  if (parameters.reasoningEffort !== undefined) wire.reasoning_effort = parameters.reasoningEffort;
  if (parameters.responseFormat !== undefined) wire.response_format = toWireResponseFormat(parameters.responseFormat);
  if (hasTools && parameters.toolChoice !== undefined) {
    wire.tool_choice = toWireToolChoice(parameters.toolChoice);
    if (parameters.toolChoice.disableParallelToolUse) wire.parallel_tool_calls = false;
  }
  return wire;
}

/** `auto` and `none` as they are, `any` → `required`, a named tool → `{ type: 'function', function: { name } }`. */
export function toWireToolChoice(choice: ToolChoice): OpenAI.ChatCompletionToolChoiceOption {
  switch (choice.type) {
    case 'auto':
    case 'none':
      return choice.type;
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

function toWireResponseFormat(format: NonNullable<ModelParameters['responseFormat']>): NonNullable<WireParams['response_format']> {
  if (format.type !== 'json_schema') return { type: format.type };
  const schema: OpenAI.ResponseFormatJSONSchema['json_schema'] = { name: format.name, schema: format.schema };
  if (format.strict !== undefined) schema.strict = format.strict;
  return { type: 'json_schema', json_schema: schema };
}

/** The conversation as Chat Completions messages, after the system prompt (when there is one). */
export function toWireMessages(system: string | undefined, messages: readonly Message[]): WireMessage[] {
  const wire: WireMessage[] = system ? [{ role: 'system', content: system }] : [];
  let callOrder: readonly string[] = [];
  let previous: Message | undefined;
  for (const message of messages) {
    if (message.role === 'assistant') {
      const assistant = wireAssistants.get(message, mapAssistant);
      callOrder = assistant?.tool_calls?.map((call) => call.id) ?? [];
      if (assistant) wire.push(assistant);
    } else {
      for (const part of wireUser(message, previous, callOrder)) wire.push(part);
      callOrder = [];
    }
    previous = message;
  }
  return wire;
}

/** Wire forms of the history's assistant messages, by message (frozen messages only: they cannot change). */
const wireAssistants = new WireFormCache<OpenAI.ChatCompletionAssistantMessageParam>(deepFreeze);

function mapAssistant(message: Message): OpenAI.ChatCompletionAssistantMessageParam | undefined {
  return toWireAssistant(message.content as readonly AssistantPart[]);
}

/**
 * Wire forms of the history's user messages. A user message's form depends on the message before it
 * (its tool results follow the order of that message's calls), so each is kept with the message it
 * was mapped after, and serves only after that same (frozen) message.
 */
const wireUsers = new WeakMap<Message, { previous: Message | undefined; wire: readonly WireMessage[] }>();

function wireUser(message: Extract<Message, { role: 'user' }>, previous: Message | undefined, callOrder: readonly string[]): readonly WireMessage[] {
  const cacheable = isFrozenMessage(message) && (previous === undefined || isFrozenMessage(previous));
  if (!cacheable) return toWireUser(message.content, callOrder);
  const cached = wireUsers.get(message);
  if (cached && cached.previous === previous) return cached.wire;
  const wire = deepFreeze(toWireUser(message.content, callOrder));
  wireUsers.set(message, { previous, wire });
  return wire;
}

/** An assistant message: its text and tool calls; `undefined` when nothing sendable is left (R8). */
function toWireAssistant(parts: readonly AssistantPart[]): OpenAI.ChatCompletionAssistantMessageParam | undefined {
  let text = '';
  const calls: WireToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool_call') calls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.input) } });
    // Opaque parts are another provider's (an Anthropic thinking block): Chat Completions has no place for them.
  }
  if (text === '' && calls.length === 0) return undefined;
  return calls.length > 0 ? { role: 'assistant', content: text || null, tool_calls: calls } : { role: 'assistant', content: text };
}

/**
 * A user message: first a `tool` message per tool result, in the order of the calls they answer;
 * then a `user` message with the results' images, if any; then the user's own text and images.
 */
function toWireUser(parts: readonly UserPart[], callOrder: readonly string[]): WireMessage[] {
  const position = (result: ToolResultMessagePart): number => {
    const at = callOrder.indexOf(result.toolCallId);
    return at === -1 ? callOrder.length : at;
  };
  const results = parts.filter((part): part is ToolResultMessagePart => part.type === 'tool_result').sort((a, b) => position(a) - position(b));
  const wire: WireMessage[] = results.map((result) => ({ role: 'tool', tool_call_id: result.toolCallId, content: toolMessageText(result) }));
  const resultImages = results.flatMap((result) => {
    const images = result.content.filter((part) => part.type === 'image');
    if (images.length === 0) return [];
    return [{ type: 'text', text: `The result of tool call ${result.toolCallId} has ${images.length === 1 ? 'this image' : `these ${images.length} images`}:` } as const, ...images.map(toImageContent)];
  });
  if (resultImages.length > 0) wire.push({ role: 'user', content: resultImages });
  const own: InputContentPart[] = [];
  for (const part of parts) {
    const content = part.type === 'tool_result' ? undefined : toInputContent(part);
    if (content) own.push(content);
  }
  if (own.length > 0) wire.push({ role: 'user', content: own.length === 1 && own[0]!.type === 'text' ? own[0]!.text : own });
  return wire;
}

/**
 * A tool result's text for its `tool` message: its text parts, a note when its output is only
 * images (they follow in a user message) or empty, and `Error: ` first for an error result.
 */
export function toolMessageText(result: ToolResultMessagePart): string {
  const text = result.content.flatMap((part) => (part.type === 'text' && part.text !== '' ? [part.text] : [])).join('\n');
  const images = result.content.filter((part) => part.type === 'image').length;
  const body = text !== '' ? text : images > 0 ? `(the output is ${images === 1 ? 'an image' : `${images} images`}, in the next user message)` : '(no output)';
  return result.isError && !/^error\b/i.test(body) ? `Error: ${body}` : body;
}

/** OpenAI's finish reasons in the neutral (Anthropic) words. */
const STOP_REASONS: Readonly<Record<string, StopReason>> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
  function_call: 'tool_use',
};

/**
 * A finish reason in neutral words; another string passes through (the loop treats it as done),
 * none is `end_turn`. `stop` with tool calls is `tool_use`: some OpenAI-compatible servers say
 * `stop` when the model called tools, which must still be answered and sent back.
 */
export function toStopReason(finishReason: string | null | undefined, hasToolCalls: boolean): StopReason {
  if (!finishReason) return hasToolCalls ? 'tool_use' : 'end_turn';
  const reason = STOP_REASONS[finishReason] ?? finishReason;
  return reason === 'end_turn' && hasToolCalls ? 'tool_use' : reason;
}

/**
 * Token counts in the neutral meaning: OpenAI's `prompt_tokens` include its `cached_tokens`, so
 * `inputTokens` is the difference and `cacheReadInputTokens` the cached ones; OpenAI caches on its
 * own and reports no cache writes; `completion_tokens` already include the reasoning tokens.
 */
export function toTokenUsage(usage: OpenAI.CompletionUsage | null | undefined): TokenUsage {
  const prompt = usage?.prompt_tokens ?? 0;
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: Math.max(0, prompt - cached), outputTokens: usage?.completion_tokens ?? 0, cacheReadInputTokens: cached, cacheCreationInputTokens: 0 };
}

/** Maps a completion (its first choice) to a neutral turn. */
export function fromOpenAICompletion(completion: OpenAI.ChatCompletion, requestId?: string | null): ModelTurn {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: AssistantPart[] = [];
  if (message?.content) content.push({ type: 'text', text: message.content });
  if (message?.refusal) content.push({ type: 'text', text: message.refusal });
  for (const call of message?.tool_calls ?? []) {
    if (call.type === 'function') {
      content.push({ type: 'tool_call', id: call.id, name: call.function.name, ...readToolArguments(call.function.arguments) });
    } else {
      content.push({ type: 'tool_call', id: call.id, name: call.custom.name, input: {}, inputError: 'this is a custom tool call, and llmproc offers function tools only' });
    }
  }
  if (message?.function_call) {
    const { name, arguments: args } = message.function_call;
    content.push({ type: 'tool_call', id: `${completion.id}_function_call`, name, ...readToolArguments(args) });
  }
  const hasToolCalls = content.some((part) => part.type === 'tool_call');
  return {
    id: completion.id,
    model: completion.model,
    content,
    stopReason: message?.refusal ? 'refusal' : toStopReason(choice?.finish_reason, hasToolCalls),
    tokens: toTokenUsage(completion.usage),
    usage: (completion.usage ?? {}) as unknown as Record<string, unknown>,
    requestId: requestId ?? undefined,
  };
}
