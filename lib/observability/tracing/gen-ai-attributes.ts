/**
 * The OpenTelemetry GenAI semantic conventions' attributes of llmproc's spans, built from event
 * payloads by pure functions (no OpenTelemetry import): `invoke_agent` for a run, `chat` for a
 * model API call, `execute_tool` for a tool call. What llmproc knows beyond the conventions goes
 * under `llmproc.*`. Content (prompts, answers, tool arguments and results) is not here: see
 * `gen-ai-content.ts`, used only when the user opts in.
 *
 * @module
 */
import type { ApiCallEvent, ToolEndEvent, ToolStartEvent } from '../../process/events.js';
import type { LLMProcess } from '../../process/llm-process.js';
import type { TokenUsage } from '../../providers/types.js';
import type { ProviderName } from '../../program/provider-names.js';
import type { RunResult } from '../../results/run-result.js';

/** Span attributes, as OpenTelemetry takes them. */
export type SpanAttributes = Record<string, string | number | boolean | string[]>;

/** `gen_ai.provider.name` of each provider a program may name (the compiler asks for one per name of `PROVIDERS`). */
const GEN_AI_PROVIDERS: Readonly<Record<ProviderName, string>> = {
  anthropic: 'anthropic',
  openai: 'openai',
  anthropic_vertex: 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  gemini_vertex: 'gcp.vertex_ai',
};

/** The conventions' name of a program's provider (`anthropic_vertex` → `gcp.vertex_ai`); others as they are. */
export function genAiProviderName(provider: string): string {
  return Object.hasOwn(GEN_AI_PROVIDERS, provider) ? GEN_AI_PROVIDERS[provider as ProviderName] : provider;
}

/**
 * `gen_ai.usage.input_tokens`: every prompt token, cached or not, as the conventions ask (for
 * Anthropic, whose `input_tokens` leave out cache reads and writes, the sum of the three).
 */
export function genAiInputTokens(tokens: TokenUsage): number {
  return tokens.inputTokens + tokens.cacheReadInputTokens + tokens.cacheCreationInputTokens;
}

/** The four `gen_ai.usage.*` attributes of a call, or of a run's totals. */
export function usageAttributes(tokens: TokenUsage): SpanAttributes {
  return {
    'gen_ai.usage.input_tokens': genAiInputTokens(tokens),
    'gen_ai.usage.output_tokens': tokens.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': tokens.cacheReadInputTokens,
    'gen_ai.usage.cache_creation.input_tokens': tokens.cacheCreationInputTokens,
  };
}

/** The `invoke_agent` span's name: `invoke_agent {program}`. */
export function agentSpanName(process: LLMProcess): string {
  return `invoke_agent ${process.program.displayName}`;
}

/** The attributes an `invoke_agent` span starts with. */
export function agentAttributes(process: LLMProcess, runId: string): SpanAttributes {
  return {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': process.program.displayName,
    'gen_ai.provider.name': genAiProviderName(process.program.provider),
    'gen_ai.request.model': process.model,
    'llmproc.process.id': process.id,
    'llmproc.run.id': runId,
  };
}

/** What an `invoke_agent` span learns when its run ends: the run's totals and how it stopped. */
export function runEndAttributes(result: RunResult): SpanAttributes {
  return {
    ...usageAttributes(result.usage),
    'llmproc.run.api_calls': result.apiCalls,
    'llmproc.run.tool_calls': result.toolCalls.length,
    ...(result.stopReason === undefined ? {} : { 'llmproc.run.stop_reason': result.stopReason }),
    ...(result.costUsd === null ? {} : { 'llmproc.run.cost_usd': result.costUsd }),
  };
}

/** The `chat` span's name: `chat {model}`. */
export function chatSpanName(model: string): string {
  return `chat ${model}`;
}

/** The attributes a `chat` span starts with: the request's model and the parameters the program sets. */
export function chatRequestAttributes(process: LLMProcess, model: string, iteration: number): SpanAttributes {
  const { maxTokens, temperature, topP, topK, stopSequences } = process.program.parameters;
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': genAiProviderName(process.program.provider),
    'gen_ai.request.model': model,
    ...(maxTokens === undefined ? {} : { 'gen_ai.request.max_tokens': maxTokens }),
    ...(temperature === undefined ? {} : { 'gen_ai.request.temperature': temperature }),
    ...(topP === undefined ? {} : { 'gen_ai.request.top_p': topP }),
    ...(topK === undefined ? {} : { 'gen_ai.request.top_k': topK }),
    ...(stopSequences === undefined ? {} : { 'gen_ai.request.stop_sequences': [...stopSequences] }),
    'llmproc.iteration': iteration,
  };
}

/** What a `chat` span learns from the response. */
export function chatResponseAttributes(event: ApiCallEvent): SpanAttributes {
  return {
    'gen_ai.response.id': event.id,
    'gen_ai.response.model': event.model,
    'gen_ai.response.finish_reasons': [event.stopReason],
    ...usageAttributes(event.tokens),
    ...(event.requestId === undefined ? {} : { 'llmproc.request_id': event.requestId }),
    ...(event.costUsd === null ? {} : { 'llmproc.cost_usd': event.costUsd }),
    ...(event.timeToFirstTokenMs === undefined ? {} : { 'llmproc.time_to_first_token_ms': event.timeToFirstTokenMs }),
  };
}

/** The `execute_tool` span's name: `execute_tool {tool}`. */
export function toolSpanName(toolName: string): string {
  return `execute_tool ${toolName}`;
}

/**
 * The attributes an `execute_tool` span starts with. `gen_ai.tool.type` is `extension` for an MCP
 * server's tool (it runs elsewhere), `function` for the others (they run in this process).
 */
export function toolAttributes(event: ToolStartEvent): SpanAttributes {
  return {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': event.toolName,
    'gen_ai.tool.call.id': event.toolUseId,
    'gen_ai.tool.type': event.source === 'mcp' ? 'extension' : 'function',
    'llmproc.tool.source': event.source,
    ...(event.server === undefined ? {} : { 'llmproc.mcp.server': event.server }),
  };
}

/** `error.type` of a failed tool call: `unknown_tool` for a tool the program does not have, else `tool_error`. */
export function toolErrorType(event: ToolEndEvent): string {
  return event.source === 'unknown' ? 'unknown_tool' : 'tool_error';
}

/** `error.type` of a failed run or call: the error's class name (`ApiCallError`, `RunAbortedError`). */
export function errorType(error: Error): string {
  return error.name || 'Error';
}
