/**
 * A program's parameters, as validated from TOML (snake_case) or code (camelCase), turned into the
 * neutral {@link ModelParameters} the providers map: only the keys the program sets, the
 * shorthands written out (`tool_choice = "auto"` is `{ type: 'auto' }`).
 *
 * @module
 */
import type { ModelParameters, ResponseFormat, ToolChoice } from '../providers/types.js';
import type { ParsedProgramOptions } from './options-schema.js';
import type { TomlProgram } from './toml-schema.js';

type TomlParameters = NonNullable<TomlProgram['parameters']>;
type OptionParameters = NonNullable<ParsedProgramOptions['parameters']>;

function thinkingOf(type: 'enabled' | 'disabled', budgetTokens: number | undefined): NonNullable<ModelParameters['thinking']> {
  // The schema requires the budget with "enabled".
  return type === 'enabled' ? { type, budgetTokens: budgetTokens! } : { type };
}

function toolChoiceOf(
  choice: 'auto' | 'any' | 'none' | { type: 'auto' | 'any' | 'none' | 'tool'; name?: string | undefined },
  disableParallelToolUse: boolean | undefined,
): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  const written: ToolChoice = choice.type === 'tool' ? { type: 'tool', name: choice.name! } : { type: choice.type };
  if (disableParallelToolUse !== undefined) written.disableParallelToolUse = disableParallelToolUse;
  return written;
}

function responseFormatOf(format: NonNullable<TomlParameters['response_format']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const written: ResponseFormat = { type: 'json_schema', name: format.name!, schema: format.schema! };
  if (format.strict !== undefined) written.strict = format.strict;
  return written;
}

/** Sets `key` of `target` when `value` is defined. */
function put<K extends keyof ModelParameters>(target: ModelParameters, key: K, value: ModelParameters[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** The parameters a TOML program's `[parameters]` sets, camelCase. */
export function parametersFromToml(section: TomlProgram['parameters']): ModelParameters {
  const parameters: ModelParameters = {};
  if (!section) return parameters;
  put(parameters, 'temperature', section.temperature);
  put(parameters, 'maxTokens', section.max_tokens);
  put(parameters, 'topP', section.top_p);
  put(parameters, 'topK', section.top_k);
  put(parameters, 'stopSequences', section.stop_sequences);
  put(parameters, 'frequencyPenalty', section.frequency_penalty);
  put(parameters, 'presencePenalty', section.presence_penalty);
  if (section.thinking) parameters.thinking = thinkingOf(section.thinking.type, section.thinking.budget_tokens);
  const choice = section.tool_choice;
  if (choice !== undefined) parameters.toolChoice = toolChoiceOf(choice, typeof choice === 'string' ? undefined : choice.disable_parallel_tool_use);
  put(parameters, 'metadata', section.metadata);
  put(parameters, 'serviceTier', section.service_tier);
  put(parameters, 'extraHeaders', section.extra_headers);
  put(parameters, 'betas', section.betas);
  put(parameters, 'reasoningEffort', section.reasoning_effort);
  put(parameters, 'seed', section.seed);
  if (section.response_format) parameters.responseFormat = responseFormatOf(section.response_format);
  return parameters;
}

/** The parameters of a program built in code, in the neutral shape. */
export function parametersFromOptions(section: ParsedProgramOptions['parameters']): ModelParameters {
  if (!section) return {};
  const { thinking, toolChoice, responseFormat, ...plain }: OptionParameters = section;
  const parameters: ModelParameters = { ...plain };
  if (thinking) parameters.thinking = thinkingOf(thinking.type, thinking.budgetTokens);
  if (toolChoice !== undefined) parameters.toolChoice = toolChoiceOf(toolChoice, typeof toolChoice === 'string' ? undefined : toolChoice.disableParallelToolUse);
  if (responseFormat) parameters.responseFormat = responseFormatOf(responseFormat);
  return parameters;
}
