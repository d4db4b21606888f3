/**
 * Loads a TOML program file (the llmproc 0.2.0 format): reads it, parses it, validates it and
 * resolves its paths against the file's folder, synchronously.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { ProgramError } from '../errors.js';
import { requirePackage } from '../require-package.js';
import type { RunDefaults } from '../process/run-options.js';
import { duplicateToolIssues } from './duplicate-tools.js';
import { describeFileError } from './file-error.js';
import { formatIssues, type FormattedIssue } from './format-issues.js';
import { parametersFromToml } from './model-parameters.js';
import { resolveProgram, type ProgramDefinition, type ProgramSettings } from './program-definition.js';
import { providerParameterIssues } from './provider-parameters.js';
import { TomlProgramSchema, type TomlProgram } from './toml-schema.js';

/** Reads the file, refusing a missing or unreadable one by its path. */
function readProgramFile(file: string, absolute: string): string {
  try {
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ProgramError(`cannot read the program file (${absolute}): ${describeFileError(error)}`, { file, cause: error });
  }
}

/** Parses TOML, turning a syntax error into a {@link ProgramError} with its line and column. */
function parseToml(file: string, text: string): unknown {
  // Loaded with the first TOML program, not with llmproc: a program built in code never needs it.
  const { parse, TomlError } = requirePackage('smol-toml') as typeof import('smol-toml');
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    const excerpt = error.codeblock.trimEnd();
    throw new ProgramError(`invalid TOML: ${reason}${excerpt ? `\n${excerpt}` : ''}`, {
      file,
      line: error.line,
      column: error.column,
      cause: error,
    });
  }
}

/** The `[run]` section, camelCase, only the keys the file sets. */
function runDefaultsFrom(section: TomlProgram['run']): RunDefaults {
  if (!section) return {};
  const defaults: RunDefaults = {};
  if (section.stream !== undefined) defaults.stream = section.stream;
  if (section.tool_concurrency !== undefined) defaults.toolConcurrency = section.tool_concurrency;
  if (section.max_iterations !== undefined) defaults.maxIterations = section.max_iterations;
  if (section.max_tokens !== undefined) defaults.maxTokens = section.max_tokens;
  if (section.max_cost_usd !== undefined) defaults.maxCostUsd = section.max_cost_usd;
  if (section.timeout_ms !== undefined) defaults.timeoutMs = section.timeout_ms;
  return defaults;
}

/**
 * Problems the schema cannot see: parameters the provider does not take (or that do not go
 * together), a tool enabled twice, MCP tools without a config file.
 */
function crossCheck(config: TomlProgram): FormattedIssue[] {
  const enabled = config.tools?.enabled ?? [];
  const issues = providerParameterIssues(config.model.provider, parametersFromToml(config.parameters), 'toml');
  issues.push(...duplicateToolIssues(enabled.map((name, index) => ({ name, keyPath: `tools.enabled[${index}]` }))));
  const servers = Object.keys(config.mcp?.tools ?? {});
  if (config.mcp && config.mcp.config_path === undefined && servers.length > 0) {
    issues.push({
      keyPath: 'mcp.config_path',
      text: `mcp.config_path: missing; [mcp.tools] names servers (${servers.join(', ')}), so the MCP servers' config file is needed`,
    });
  }
  return issues;
}

/** The program's settings, camelCase, paths as written. */
function settingsFrom(config: TomlProgram): ProgramSettings {
  const mcpPath = config.mcp?.config_path;
  return {
    model: config.model.name,
    provider: config.model.provider,
    displayName: config.model.display_name,
    endpoint: { baseUrl: config.model.base_url, projectId: config.model.project_id, region: config.model.region },
    systemPrompt: config.prompt?.system_prompt,
    systemPromptFile: config.prompt?.system_prompt_file,
    parameters: parametersFromToml(config.parameters),
    builtinTools: config.tools?.enabled ?? [],
    functionTools: [],
    preloadFiles: config.preload?.files ?? [],
    envInfo: { variables: config.env_info?.variables ?? [] },
    linkedPrograms: config.linked_programs ?? {},
    mcp: mcpPath === undefined ? undefined : { configPath: mcpPath, tools: config.mcp?.tools ?? {} },
    runDefaults: runDefaultsFrom(config.run),
    readFile: { allowedRoots: config.tools?.read_file?.allowed_roots, maxBytes: config.tools?.read_file?.max_bytes },
    requireApproval: config.tools?.require_approval ?? [],
    hooks: {},
    log: config.log && { file: config.log.file },
  };
}

/**
 * Loads the TOML program at `file` (relative to the working directory, or absolute).
 *
 * @throws {ProgramError} when the file cannot be read, is not valid TOML (with `line` and
 * `column`), or does not follow the program format (every problem listed by key path), or when
 * its system prompt file cannot be read.
 */
export function loadTomlProgram(file: string): ProgramDefinition {
  const absolute = path.resolve(file);
  const data = parseToml(file, readProgramFile(file, absolute));
  const result = v.safeParse(TomlProgramSchema, data);
  const issues = result.success ? crossCheck(result.output) : formatIssues(result.issues, TomlProgramSchema, 'toml');
  if (!result.success || issues.length > 0) {
    throw new ProgramError(
      issues.map((issue) => issue.text),
      { file, keyPath: issues[0]?.keyPath || undefined },
    );
  }
  return resolveProgram(settingsFrom(result.output), {
    file,
    baseDir: path.dirname(absolute),
    systemPromptFileKey: 'prompt.system_prompt_file',
  });
}
