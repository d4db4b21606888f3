/**
 * Pure functions between llmproc's neutral model types and the Anthropic Messages API's wire
 * format. No I/O: tested without the network.
 *
 * @module
 */
import type Anthropic from '@anthropic-ai/sdk';
import { deepFreeze } from '../../deep-freeze.js';
import { acceptedImagePart } from '../accepted-images.js';
import { toWireDocument, toWireImageUrl } from './input-parts.js';
import { WireFormCache } from '../frozen-message.js';
import type {
  AssistantPart,
  TokenUsage,
  Message,
  ModelParameters,
  ModelRequest,
  ModelTurn,
  ToolChoice,
  ToolResultPart,
  ToolSpec,
  UserPart,
} from '../types.js';

type WireMessage = Anthropic.MessageParam;
type WireBlock = Anthropic.ContentBlockParam;
/**
 * The SDK's request type, plus the sampling parameters this SDK version no longer declares but the
 * API still takes for the models that support them (llmproc 0.2.0 programs set them).
 */
type WireParams = Anthropic.MessageCreateParamsNonStreaming & { temperature?: number; top_p?: number; top_k?: number };

/** The provider name used in {@link OpaquePart}s this mapping keeps. */
export const ANTHROPIC = 'anthropic';

/** `max_tokens` when a program does not set it (the API requires one). */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Maps a neutral request to `messages.create` parameters. The `messages` array and the params
 * object are new on every call, but the messages and the tools in them may be shared with other
 * calls (the wire form of a frozen message and of a frozen tool list is cached and frozen): a pass
 * over the built request that changes one of them (a cache breakpoint) must copy it first.
 */
export function toAnthropicParams(request: ModelRequest): WireParams {
  const wire: WireMessage[] = [];
  for (const message of request.messages) {
    const mapped = wireMessages.get(message, mapMessage);
    if (mapped !== undefined) wire.push(mapped);
  }
  const params: WireParams = {
    model: request.model,
    max_tokens: request.parameters.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: trimFinalAssistantText(joinAssistantTurns(wire)),
  };
  addWireParameters(params, request.parameters, request.tools.length > 0);
  if (request.system) params.system = request.system;
  if (request.tools.length > 0) params.tools = toWireTools(request.tools);
  return params;
}

/** Wire forms of the history's messages, by message (frozen messages only: they cannot change). */
const wireMessages = new WireFormCache<WireMessage>(deepFreeze);
/** Wire forms of frozen tool lists (a process's list is built once and frozen). */
const wireTools = new WeakMap<readonly ToolSpec[], Anthropic.Tool[]>();

/** The tools as the API takes them; a frozen list of frozen specs is mapped once (and its form frozen). */
function toWireTools(tools: readonly ToolSpec[]): Anthropic.Tool[] {
  // Only frozen lists are kept, and frozen is for good: a kept list needs no new check.
  let wire = wireTools.get(tools);
  if (!wire) {
    if (!(Object.isFrozen(tools) && tools.every(Object.isFrozen))) return tools.map(toWireTool);
    // Shallow: the schemas are the tools' own objects, sent as they are.
    wire = Object.freeze(tools.map((tool) => Object.freeze(toWireTool(tool)))) as Anthropic.Tool[];
    wireTools.set(tools, wire);
  }
  return wire;
}

function toWireTool(tool: ToolSpec): Anthropic.Tool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema as Anthropic.Tool.InputSchema };
}

/**
 * Adds to `wire` the parameters the Messages API takes, by their wire names. `tool_choice` goes only with tools
 * (the API refuses it without them); the OpenAI-only parameters (penalties, seed, ...) are never
 * sent (a program's loader refuses them for Anthropic programs).
 */
function addWireParameters(wire: WireParams, parameters: ModelParameters, hasTools: boolean): void {
  if (parameters.temperature !== undefined) wire.temperature = parameters.temperature;
  if (parameters.topP !== undefined) wire.top_p = parameters.topP;
  if (parameters.topK !== undefined) wire.top_k = parameters.topK;
  if (parameters.stopSequences !== undefined) wire.stop_sequences = parameters.stopSequences;
  if (parameters.thinking !== undefined) wire.thinking = toWireThinking(parameters.thinking);
  if (parameters.toolChoice !== undefined && hasTools) wire.tool_choice = toWireToolChoice(parameters.toolChoice);
  if (parameters.metadata !== undefined) wire.metadata = { ...parameters.metadata };
  if (parameters.serviceTier !== undefined) wire.service_tier = parameters.serviceTier as WireParams['service_tier'];
}

function toWireThinking(thinking: NonNullable<ModelParameters['thinking']>): Anthropic.ThinkingConfigParam {
  return thinking.type === 'enabled' ? { type: 'enabled', budget_tokens: thinking.budgetTokens } : { type: 'disabled' };
}

function toWireToolChoice(choice: ToolChoice): Anthropic.ToolChoice {
  if (choice.type === 'none') return { type: 'none' };
  const wire: Exclude<Anthropic.ToolChoice, Anthropic.ToolChoiceNone> =
    choice.type === 'tool' ? { type: 'tool', name: choice.name } : { type: choice.type };
  if (choice.disableParallelToolUse !== undefined) wire.disable_parallel_tool_use = choice.disableParallelToolUse;
  return wire;
}

/** Per-request options of the SDK's `messages.create` / `messages.stream` that llmproc sets. */
export interface AnthropicRequestOptions {
  /** `extraHeaders`, and `betas` joined into `anthropic-beta` (after any `anthropic-beta` of `extraHeaders`). */
  headers?: Record<string, string>;
}

/** The request options for `parameters`: the program's extra headers and beta flags. */
export function toAnthropicRequestOptions(parameters: ModelParameters): AnthropicRequestOptions {
  // The common case, asked on every call: nothing to send.
  if (parameters.extraHeaders === undefined && (parameters.betas === undefined || parameters.betas.length === 0)) return NO_REQUEST_OPTIONS;
  const headers: Record<string, string> = {};
  const betas: string[] = [];
  for (const [name, value] of Object.entries(parameters.extraHeaders ?? {})) {
    if (name.toLowerCase() === BETA_HEADER) betas.push(value);
    else headers[name] = value;
  }
  betas.push(...(parameters.betas ?? []));
  if (betas.length > 0) headers[BETA_HEADER] = betas.join(',');
  return Object.keys(headers).length > 0 ? { headers } : {};
}

const BETA_HEADER = 'anthropic-beta';

/** The request options of parameters without headers or betas (shared, so frozen). */
const NO_REQUEST_OPTIONS: AnthropicRequestOptions = Object.freeze({});

/**
 * Assistant messages that follow each other (a `pause_turn` response, then its continuation) are
 * one turn: they are sent as one message, so roles alternate as the API's checks require (R7).
 */
function joinAssistantTurns(messages: WireMessage[]): WireMessage[] {
  // Most requests have no two assistant messages in a row: they are sent as they are, with no copy.
  let first = -1;
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]!.role === 'assistant' && messages[i - 1]!.role === 'assistant') {
      first = i;
      break;
    }
  }
  if (first === -1) return messages;
  const joined: WireMessage[] = messages.slice(0, first);
  for (let i = first; i < messages.length; i++) {
    const message = messages[i]!;
    const last = joined.at(-1);
    if (last?.role === 'assistant' && message.role === 'assistant') {
      joined[joined.length - 1] = { role: 'assistant', content: [...(last.content as WireBlock[]), ...(message.content as WireBlock[])] };
    } else {
      joined.push(message);
    }
  }
  return joined;
}

/**
 * When the conversation ends with an assistant turn (continuing after `pause_turn`), the API
 * refuses a final text block that ends in whitespace: it is trimmed, and dropped when nothing is
 * left (as is the message, when that was all it held).
 */
function trimFinalAssistantText(messages: WireMessage[]): WireMessage[] {
  const last = messages.at(-1);
  if (last?.role !== 'assistant' || !Array.isArray(last.content)) return messages;
  const blocks = last.content as WireBlock[];
  const final = blocks.at(-1);
  if (final?.type !== 'text' || final.text === final.text.trimEnd()) return messages;
  const text = final.text.trimEnd();
  const content = text === '' ? blocks.slice(0, -1) : [...blocks.slice(0, -1), { ...final, text }];
  return content.length === 0 ? messages.slice(0, -1) : [...messages.slice(0, -1), { role: 'assistant', content }];
}

/**
 * Maps one message; `undefined` when nothing sendable is left (R8: no empty text blocks). The form
 * of a frozen message is cached (and frozen); a message that is not frozen is mapped anew.
 */
export function toWireMessage(message: Message): WireMessage | undefined {
  return wireMessages.get(message, mapMessage);
}

function mapMessage(message: Message): WireMessage | undefined {
  const content =
    message.role === 'user'
      ? message.content.map(toWireUserBlock).filter((b): b is WireBlock => b !== undefined)
      : message.content.map(toWireAssistantBlock).filter((b): b is WireBlock => b !== undefined);
  return content.length > 0 ? { role: message.role, content } : undefined;
}

function toWireUserBlock(part: UserPart): WireBlock | undefined {
  switch (part.type) {
    case 'text':
      return part.text.length > 0 ? { type: 'text', text: part.text } : undefined;
    case 'image':
      return toWireImage(part);
    case 'image_url':
      return toWireImageUrl(part);
    case 'document':
      return toWireDocument(part);
    case 'tool_result': {
      const block: Anthropic.ToolResultBlockParam = { type: 'tool_result', tool_use_id: part.toolCallId };
      const content = part.content.map(toWireResultPart).filter((b) => b !== undefined);
      // R8: an empty output is sent without `content`.
      if (content.length > 0) block.content = content;
      if (part.isError) block.is_error = true;
      return block;
    }
  }
}

function toWireResultPart(part: ToolResultPart): Anthropic.TextBlockParam | Anthropic.ImageBlockParam | undefined {
  if (part.type === 'text') return part.text.length > 0 ? { type: 'text', text: part.text } : undefined;
  return toWireImage(part);
}

/** An image the API takes, or the text note that stands for one it would refuse (R22). */
function toWireImage(part: Extract<ToolResultPart, { type: 'image' }>): Anthropic.ImageBlockParam | Anthropic.TextBlockParam {
  const image = acceptedImagePart(part);
  if (image.type === 'text') return { type: 'text', text: image.text };
  return { type: 'image', source: { type: 'base64', media_type: image.mediaType, data: image.data } };
}

function toWireAssistantBlock(part: AssistantPart): WireBlock | undefined {
  switch (part.type) {
    case 'text':
      return part.text.length > 0 ? { type: 'text', text: part.text } : undefined;
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input };
    case 'opaque':
      return part.provider === ANTHROPIC ? (part.data as WireBlock) : undefined;
  }
}

/** Maps an API response to a neutral turn. Blocks the loop does not interpret are kept opaque. */
export function fromAnthropicMessage(message: Anthropic.Message, requestId?: string | null): ModelTurn {
  const usage = message.usage;
  const tokens: TokenUsage = {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cacheReadInputTokens: usage.cache_read_input_tokens ?? 0,
    cacheCreationInputTokens: usage.cache_creation_input_tokens ?? 0,
  };
  // 1-hour cache writes are billed at their own price; the API splits the writes by TTL.
  const oneHour = usage.cache_creation?.ephemeral_1h_input_tokens;
  if (oneHour) tokens.cacheCreation1hInputTokens = oneHour;
  return {
    id: message.id,
    model: message.model,
    content: message.content.map(fromWireBlock),
    stopReason: message.stop_reason ?? 'end_turn',
    tokens,
    usage: usage as unknown as Record<string, unknown>,
    requestId: requestId ?? undefined,
  };
}

function fromWireBlock(block: Anthropic.ContentBlock): AssistantPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_call', id: block.id, name: block.name, input: asObject(block.input) };
    default:
      return { type: 'opaque', provider: ANTHROPIC, data: block };
  }
}

function asObject(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
