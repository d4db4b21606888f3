/**
 * Validates the options of a program built in code and resolves them, with the same rules as a
 * TOML program; problems are named by option (`parameters.maxTokens`, `tools[1]`).
 *
 * @module
 */
import path from 'node:path';
import * as v from 'valibot';
import { ProgramError } from '../errors.js';
import type { Tool } from '../tools/tool.js';
import type { BuiltinToolName } from './builtin-tool-names.js';
import { duplicateToolIssues } from './duplicate-tools.js';
import { fileDescriptorIssues, OPTIONS_FILE_DESCRIPTOR_KEYS } from './file-descriptor-fields.js';
import { formatIssues, type FormattedIssue } from './format-issues.js';
import { parametersOf } from './model-parameters.js';
import { ProgramOptionsSchema, type ParsedProgramOptions } from './options-schema.js';
import { resolveProgram, type ProgramDefinition, type ProgramSettings } from './program-definition.js';
import { providerParameterIssues } from './provider-parameters.js';
import { ENDPOINT_SETTINGS, splitSettings } from './settings-tables.js';

/**
 * The program's settings, camelCase, paths as written: the parsed options as they are, but for the
 * few reshaped ones (see `ProgramSettings`).
 */
function settingsFrom(options: ParsedProgramOptions): ProgramSettings {
  const [endpoint, others] = splitSettings(ENDPOINT_SETTINGS, options);
  const { tools, preload, run, parameters, baseDir: _, ...asGiven } = others;
  return {
    ...asGiven,
    endpoint,
    parameters: parametersOf(parameters),
    builtinTools: tools.filter((entry): entry is BuiltinToolName => typeof entry === 'string'),
    functionTools: tools.filter((entry): entry is Tool => typeof entry !== 'string'),
    preloadFiles: preload,
    runDefaults: run,
  };
}

/** Problems the schema cannot see: parameters the provider does not take (or that do not go together), a tool listed twice. */
function crossCheck(options: ParsedProgramOptions): FormattedIssue[] {
  const issues = providerParameterIssues(options.provider, parametersOf(options.parameters), 'options');
  const tools = options.tools.map((entry, index) => ({ name: typeof entry === 'string' ? entry : entry.name, keyPath: `tools[${index}]` }));
  const builtins = tools.filter((_, index) => typeof options.tools[index] === 'string').map((tool) => tool.name);
  return [...issues, ...duplicateToolIssues(tools), ...fileDescriptorIssues(options.fileDescriptor, builtins, OPTIONS_FILE_DESCRIPTOR_KEYS)];
}

/**
 * Validates `options` (given to `new LLMProgram(...)`) and resolves them against
 * `options.baseDir` (default: the working directory).
 *
 * @throws {ProgramError} listing every invalid option by its path, or naming the system prompt
 * file that cannot be read.
 */
export function loadProgramOptions(options: unknown): ProgramDefinition {
  const result = v.safeParse(ProgramOptionsSchema, options);
  const issues = result.success ? crossCheck(result.output) : formatIssues(result.issues, ProgramOptionsSchema, 'options');
  if (!result.success || issues.length > 0) {
    throw new ProgramError(
      issues.map((issue) => issue.text),
      { keyPath: issues[0]?.keyPath || undefined },
    );
  }
  return resolveProgram(settingsFrom(result.output), {
    file: undefined,
    baseDir: path.resolve(result.output.baseDir ?? process.cwd()),
    systemPromptFileKey: 'systemPromptFile',
  });
}
