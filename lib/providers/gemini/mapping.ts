/**
 * Pure functions between llmproc's neutral model types and Gemini's `generateContent` wire
 * format (as `@google/genai` takes and returns it). No I/O: tested without the network.
 *
 * - The system prompt is `systemInstruction`; every tool (builtin, function, MCP, spawn, fork) is a
 *   function declaration whose `parametersJsonSchema` is the tool's JSON Schema as it is.
 * - The conversation alternates `user` and `model` contents (adjacent ones of a role are merged;
 *   a turn left empty is dropped, R8). Assistant tool calls are `functionCall` parts; their
 *   results are `functionResponse` parts, in the order of the calls (R5), first in the next user
 *   content, each with the call's name (and its `id` when the API gave one): `{ output }`, or
 *   `{ error }` for an error result. A result's images follow as inline data.
 * - Gemini's thought signatures (`thoughtSignature`, which the API wants back with the part that
 *   carried it) and parts llmproc does not read (thoughts, code execution) are kept as opaque
 *   parts of provider `gemini` and sent back unchanged; other providers' opaque parts are dropped.
 * - Usage: `promptTokenCount` includes `cachedContentTokenCount`, so `inputTokens` is prompt (plus
 *   `toolUsePromptTokenCount`) minus cached, and `cacheReadInputTokens` the cached ones;
 *   `outputTokens` is `candidatesTokenCount` plus `thoughtsTokenCount` (Gemini bills thinking as
 *   output); Gemini reports no cache writes.
 *
 * @module
 */
import type {
  Content,
  FunctionCallingConfigMode,
  GenerateContentConfig,
  GenerateContentParameters,
  GenerateContentResponse,
  GenerateContentResponseUsageMetadata,
  Part,
  ThinkingLevel,
  ToolConfig,
} from '@google/genai';
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
  UserPart,
} from '../types.js';
import { toGeminiPart } from './content-parts.js';

/** The provider name opaque parts of Gemini's wire format carry. */
export const GEMINI_OPAQUE = 'gemini';

/**
 * The start of a tool call id llmproc made up because the API gave none (the Gemini API matches
 * function responses by name and order). Such an id is never sent back.
 */
export const GENERATED_CALL_ID_PREFIX = 'gemini_call_';

/** What an opaque part of provider `gemini` holds: a signature for the part after it, or a part sent back as it is. */
export type GeminiOpaqueData = { thoughtSignature: string } | { part: Part };

/** The request `ai.models.generateContent` takes, without the per-call `abortSignal`. */
export function toGeminiRequest(request: ModelRequest): GenerateContentParameters {
  const config: GenerateContentConfig = { ...toWireParameters(request.parameters) };
  if (request.system) config.systemInstruction = request.system;
  if (request.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: toParametersSchema(tool.inputSchema) })),
      },
    ];
    if (request.parameters.toolChoice) config.toolConfig = toToolConfig(request.parameters.toolChoice);
  }
  const headers = request.parameters.extraHeaders;
  if (headers && Object.keys(headers).length > 0) config.httpOptions = { headers: { ...headers } };
  return { model: request.model, contents: toGeminiContents(request.messages), config };
}

/** A tool's JSON Schema for `parametersJsonSchema`: as it is, without the `$schema` marker some MCP servers add. */
function toParametersSchema(schema: Record<string, unknown>): Record<string, unknown> {
  if (!('$schema' in schema)) return schema;
  const { $schema: _marker, ...rest } = schema;
  return rest;
}

/**
 * `reasoningEffort` as Gemini 3's `thinkingLevel` (the SDK's enum values, written out: the mapping
 * loads no SDK code).
 */
const THINKING_LEVELS: Readonly<Record<NonNullable<ModelParameters['reasoningEffort']>, ThinkingLevel>> = {
  minimal: 'MINIMAL' as ThinkingLevel,
  low: 'LOW' as ThinkingLevel,
  medium: 'MEDIUM' as ThinkingLevel,
  high: 'HIGH' as ThinkingLevel,
};

/** The sampling and output options. `maxOutputTokens` only when the program sets it: the model's own limit otherwise. */
function toWireParameters(parameters: ModelParameters): GenerateContentConfig {
  const wire: GenerateContentConfig = {};
  if (parameters.maxTokens !== undefined) wire.maxOutputTokens = parameters.maxTokens;
  if (parameters.temperature !== undefined) wire.temperature = parameters.temperature;
  if (parameters.topP !== undefined) wire.topP = parameters.topP;
  if (parameters.topK !== undefined) wire.topK = parameters.topK;
  if (parameters.stopSequences !== undefined && parameters.stopSequences.length > 0) wire.stopSequences = [...parameters.stopSequences];
  if (parameters.seed !== undefined) wire.seed = parameters.seed;
  if (parameters.frequencyPenalty !== undefined) wire.frequencyPenalty = parameters.frequencyPenalty;
  if (parameters.presencePenalty !== undefined) wire.presencePenalty = parameters.presencePenalty;
  if (parameters.thinking !== undefined) {
    wire.thinkingConfig = { thinkingBudget: parameters.thinking.type === 'enabled' ? parameters.thinking.budgetTokens : 0 };
  }
  // Gemini 3 thinks by level; the program loader refuses a level beside a budget.
  if (parameters.reasoningEffort !== undefined) wire.thinkingConfig = { thinkingLevel: THINKING_LEVELS[parameters.reasoningEffort] };
  const format = parameters.responseFormat;
  if (format?.type === 'text') wire.responseMimeType = 'text/plain';
  else if (format?.type === 'json_object') wire.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') Object.assign(wire, { responseMimeType: 'application/json', responseJsonSchema: format.schema });
  return wire;
}

/** `auto` → `AUTO`, `any` → `ANY`, `none` → `NONE`, a named tool → `ANY` allowing only that function. */
export function toToolConfig(choice: ToolChoice): ToolConfig {
  const mode = (name: 'AUTO' | 'ANY' | 'NONE'): FunctionCallingConfigMode => name as FunctionCallingConfigMode;
  switch (choice.type) {
    case 'auto':
      return { functionCallingConfig: { mode: mode('AUTO') } };
    case 'any':
      return { functionCallingConfig: { mode: mode('ANY') } };
    case 'none':
      return { functionCallingConfig: { mode: mode('NONE') } };
    case 'tool':
      return { functionCallingConfig: { mode: mode('ANY'), allowedFunctionNames: [choice.name] } };
  }
}

/** A call the model made, as the next user content must answer it. */
interface PendingCall {
  id: string;
  name: string;
}

/** The conversation as Gemini contents: `user` and `model` alternating, none empty. */
export function toGeminiContents(messages: readonly Message[]): Content[] {
  const contents: Content[] = [];
  let calls: readonly PendingCall[] = [];
  const push = (role: 'user' | 'model', parts: Part[]): void => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    if (message.role === 'assistant') {
      calls = message.content.flatMap((part) => (part.type === 'tool_call' ? [{ id: part.id, name: part.name }] : []));
      push('model', toModelParts(message.content));
    } else {
      push('user', toUserParts(message.content, calls));
      calls = [];
    }
  }
  return contents;
}

/** Whether `data` is an opaque part of ours, and which kind. */
function readOpaque(data: unknown): GeminiOpaqueData | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const fields = data as Record<string, unknown>;
  if (typeof fields['thoughtSignature'] === 'string') return { thoughtSignature: fields['thoughtSignature'] };
  if (fields['part'] !== null && typeof fields['part'] === 'object') return { part: fields['part'] as Part };
  return undefined;
}

/** A model content's parts: text, function calls, and our opaque parts back as they came (a signature joins the part after it). */
function toModelParts(content: readonly AssistantPart[]): Part[] {
  const parts: Part[] = [];
  let signature: string | undefined;
  const add = (part: Part): void => {
    parts.push(signature === undefined ? part : { ...part, thoughtSignature: signature });
    signature = undefined;
  };
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text !== '') add({ text: part.text });
    } else if (part.type === 'tool_call') {
      const call: NonNullable<Part['functionCall']> = { name: part.name, args: part.input };
      if (!part.id.startsWith(GENERATED_CALL_ID_PREFIX)) call.id = part.id;
      add({ functionCall: call });
    } else if (part.provider === GEMINI_OPAQUE) {
      const opaque = readOpaque(part.data);
      if (opaque && 'thoughtSignature' in opaque) signature = opaque.thoughtSignature;
      else if (opaque) parts.push({ ...opaque.part });
    }
    // Another provider's opaque parts (an Anthropic thinking block) have no place in Gemini's format.
  }
  return parts;
}

/**
 * A user content's parts: the function responses first, in the order of `calls` (results of no
 * call last), then their images, then the user's own text and images.
 */
function toUserParts(content: readonly UserPart[], calls: readonly PendingCall[]): Part[] {
  const position = (result: ToolResultMessagePart): number => {
    const at = calls.findIndex((call) => call.id === result.toolCallId);
    return at === -1 ? calls.length : at;
  };
  const results = content.filter((part): part is ToolResultMessagePart => part.type === 'tool_result').sort((a, b) => position(a) - position(b));
  const parts: Part[] = results.map((result) => ({ functionResponse: toFunctionResponse(result, calls.find((call) => call.id === result.toolCallId)) }));
  for (const result of results) {
    const images = result.content.filter((part) => part.type === 'image');
    if (images.length === 0) continue;
    const name = calls.find((call) => call.id === result.toolCallId)?.name ?? 'a tool';
    parts.push({ text: `The result of the ${name} call has ${images.length === 1 ? 'this image' : `these ${images.length} images`}:` });
    for (const image of images) parts.push(toGeminiPart(image)!);
  }
  for (const part of content) {
    if (part.type === 'tool_result') continue;
    const wire = toGeminiPart(part);
    if (wire) parts.push(wire);
  }
  return parts;
}

/** A tool result's text: its text parts, or a note when it holds only images (they follow) or nothing. */
export function toolResultText(result: ToolResultMessagePart): string {
  const text = result.content.flatMap((part) => (part.type === 'text' && part.text !== '' ? [part.text] : [])).join('\n');
  if (text !== '') return text;
  const images = result.content.filter((part) => part.type === 'image').length;
  return images > 0 ? `(the output is ${images === 1 ? 'an image' : `${images} images`}, in the parts after the function responses)` : '(no output)';
}

/** One result as a `functionResponse`: `{ output }` or `{ error }`, named as its call, with the call's id when the API gave one. */
function toFunctionResponse(result: ToolResultMessagePart, call: PendingCall | undefined): NonNullable<Part['functionResponse']> {
  const text = toolResultText(result);
  const response: NonNullable<Part['functionResponse']> = { name: call?.name ?? 'unknown_tool', response: result.isError ? { error: text } : { output: text } };
  if (!result.toolCallId.startsWith(GENERATED_CALL_ID_PREFIX)) response.id = result.toolCallId;
  return response;
}

/** Gemini's finish reasons that mean the answer was withheld. */
const REFUSALS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/**
 * A finish reason in neutral words: `STOP` → `end_turn` (`tool_use` when the model called
 * functions: Gemini says `STOP` then too), `MAX_TOKENS` → `max_tokens`, the safety and recitation
 * ones → `refusal`; any other (`MALFORMED_FUNCTION_CALL`, `OTHER`, ...) passes through in lower
 * case, which the loop treats as done. A prompt blocked before any answer is a `refusal`.
 */
export function toStopReason(finishReason: string | undefined, hasToolCalls: boolean, promptBlocked = false): StopReason {
  if (hasToolCalls && (finishReason === undefined || finishReason === 'STOP')) return 'tool_use';
  if (finishReason === undefined || finishReason === 'FINISH_REASON_UNSPECIFIED') return promptBlocked ? 'refusal' : 'end_turn';
  if (finishReason === 'STOP') return 'end_turn';
  if (REFUSALS.has(finishReason)) return 'refusal';
  // MAX_TOKENS among them: its lower case is the neutral max_tokens.
  return finishReason.toLowerCase();
}

/** Token counts in the neutral meaning (see the module's notes). */
export function toTokenUsage(usage: GenerateContentResponseUsageMetadata | undefined): TokenUsage {
  const prompt = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const cached = usage?.cachedContentTokenCount ?? 0;
  return {
    inputTokens: Math.max(0, prompt - cached),
    outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: 0,
  };
}

/** The usage object as the API sent it (a plain copy). */
export function rawUsage(usage: GenerateContentResponseUsageMetadata | undefined): Record<string, unknown> {
  return usage ? (JSON.parse(JSON.stringify(usage)) as Record<string, unknown>) : {};
}

/** The neutral parts of a model content's parts. A call without an id gets `gemini_call_<responseId>_<n>`. */
export function fromGeminiParts(parts: readonly Part[], responseId: string): AssistantPart[] {
  const content: AssistantPart[] = [];
  let calls = 0;
  for (const part of parts) {
    const signature = part.thoughtSignature;
    const reads = !part.thought && (part.functionCall !== undefined || (typeof part.text === 'string' && part.text !== ''));
    if (!reads) {
      // A thought, an empty text carrying a signature, code execution: kept to send back.
      if (signature !== undefined || Object.keys(part).some((key) => key !== 'text')) content.push({ type: 'opaque', provider: GEMINI_OPAQUE, data: { part: { ...part } } });
      continue;
    }
    if (signature !== undefined) content.push({ type: 'opaque', provider: GEMINI_OPAQUE, data: { thoughtSignature: signature } });
    if (part.functionCall) {
      const { id, name, args } = part.functionCall;
      const call: AssistantPart = { type: 'tool_call', id: id || `${GENERATED_CALL_ID_PREFIX}${responseId}_${calls}`, name: name ?? '', input: args ?? {} };
      calls += 1;
      if (!name) call.inputError = 'the function call has no name';
      content.push(call);
    } else {
      content.push({ type: 'text', text: part.text! });
    }
  }
  return content;
}

/** Maps a response (its first candidate) to a neutral turn. */
export function fromGeminiResponse(response: GenerateContentResponse, fallback: { model: string; responseId: string }): ModelTurn {
  const candidate = response.candidates?.[0];
  const responseId = response.responseId ?? fallback.responseId;
  const content = fromGeminiParts(candidate?.content?.parts ?? [], responseId);
  const hasToolCalls = content.some((part) => part.type === 'tool_call');
  const headers = response.sdkHttpResponse?.headers;
  return {
    id: responseId,
    model: response.modelVersion ?? fallback.model,
    content,
    stopReason: toStopReason(candidate?.finishReason, hasToolCalls, response.promptFeedback?.blockReason !== undefined),
    tokens: toTokenUsage(response.usageMetadata),
    usage: rawUsage(response.usageMetadata),
    requestId: headers?.['x-request-id'] ?? undefined,
  };
}
