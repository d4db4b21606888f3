/**
 * A program's parameters, as validated from TOML or code (camelCase either way), turned into the
 * neutral {@link ModelParameters} the providers map: only the keys the program sets, the
 * shorthands written out (`tool_choice = "auto"` is `{ type: 'auto' }`).
 *
 * @module
 */
import type { ModelParameters, ResponseFormat, ToolChoice } from '../providers/types.js';
import type { ProgramParameters } from './parameter-fields.js';

function thinkingOf(type: 'enabled' | 'disabled', budgetTokens: number | undefined): NonNullable<ModelParameters['thinking']> {
  // The schema requires the budget with "enabled".
  return type === 'enabled' ? { type, budgetTokens: budgetTokens! } : { type };
}

function toolChoiceOf(choice: NonNullable<ProgramParameters['toolChoice']>): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  const written: ToolChoice = choice.type === 'tool' ? { type: 'tool', name: choice.name! } : { type: choice.type };
  if (choice.disableParallelToolUse !== undefined) written.disableParallelToolUse = choice.disableParallelToolUse;
  return written;
}

function responseFormatOf(format: NonNullable<ProgramParameters['responseFormat']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const written: ResponseFormat = { type: 'json_schema', name: format.name!, schema: format.schema! };
  if (format.strict !== undefined) written.strict = format.strict;
  return written;
}

/** The parameters a program sets (only those), in the neutral shape, the shorthands written out. */
export function parametersOf(section: ProgramParameters | undefined): ModelParameters {
  if (!section) return {};
  const { thinking, toolChoice, responseFormat, ...plain } = section;
  const parameters: ModelParameters = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
  if (thinking) parameters.thinking = thinkingOf(thinking.type, thinking.budgetTokens);
  if (toolChoice !== undefined) parameters.toolChoice = toolChoiceOf(toolChoice);
  if (responseFormat) parameters.responseFormat = responseFormatOf(responseFormat);
  return parameters;
}
