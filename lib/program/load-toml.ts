/**
 * Loads a program's text — TOML (the llmproc 0.2.0 format) or YAML with the same structure — from
 * a file or a string: parses it, validates it, checks its MCP servers' config file, and resolves
 * its paths against its folder, synchronously. Every problem carries the line and column of its key.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { ProgramError, type ProgramProblem } from '../errors.js';
import { parseKeyPath } from '../key-path.js';
import { mcpConfigIssue } from './check-mcp-config.js';
import { duplicateToolIssues } from './duplicate-tools.js';
import { describeFileError } from '../file-error.js';
import { fileDescriptorIssues, TOML_FILE_DESCRIPTOR_KEYS } from './file-descriptor-fields.js';
import { formatIssues, type FormattedIssue } from './format-issues.js';
import { parametersOf } from './model-parameters.js';
import { parseTomlProgram } from './parse-toml.js';
import { parseYamlProgram } from './parse-yaml.js';
import type { ProgramDocument } from './program-document.js';
import { resolveProgram, type ProgramDefinition, type ProgramSettings } from './program-definition.js';
import { providerParameterIssues } from './provider-parameters.js';
import { ENDPOINT_SETTINGS, splitSettings } from './settings-tables.js';
import { TomlProgramSchema, type TomlProgram } from './toml-schema.js';

/** The languages a program may be written in. */
export type ProgramFormat = 'toml' | 'yaml';

/** A program's text and where it comes from. */
export interface ProgramText {
  text: string;
  format: ProgramFormat;
  /** The file as errors name it: the path as given, or a pseudo-file such as `<string>`. */
  shownFile: string;
  /** The program's `file` (the path as given), or `undefined` for a program from a string. */
  file: string | undefined;
  /** The absolute folder relative paths resolve against. */
  baseDir: string;
}

/** Reads the file, refusing a missing or unreadable one by its path. */
function readProgramFile(file: string, absolute: string): string {
  try {
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ProgramError(`cannot read the program file (${absolute}): ${describeFileError(error)}`, { file, cause: error });
  }
}

/**
 * Problems the schema cannot see: parameters the provider does not take (or that do not go
 * together), a tool enabled twice, MCP tools without a config file.
 */
function crossCheck(config: TomlProgram): FormattedIssue[] {
  const enabled = config.tools.enabled;
  const issues = providerParameterIssues(config.model.provider, parametersOf(config.parameters), 'toml');
  issues.push(...duplicateToolIssues(enabled.map((name, index) => ({ name, keyPath: `tools.enabled[${index}]` }))));
  issues.push(...fileDescriptorIssues(config.fileDescriptor, enabled, TOML_FILE_DESCRIPTOR_KEYS));
  const servers = Object.keys(config.mcp?.tools ?? {});
  if (config.mcp && config.mcp.configPath === undefined && servers.length > 0) {
    issues.push({
      keyPath: 'mcp.config_path',
      text: `mcp.config_path: missing; [mcp.tools] names servers (${servers.join(', ')}), so the MCP servers' config file is needed`,
    });
  }
  return issues;
}

/**
 * The program's settings, paths as written: the parsed program is camelCase already, with the
 * sections code has too (`[env_info]`, `[linked_programs]`, `[file_descriptor]`, `[log]`, ...)
 * as they are; `[model]`, `[prompt]`, `[tools]`, `[preload]`, `[parameters]`, `[mcp]` and `[run]`
 * are laid out otherwise than code's options.
 */
function settingsFrom(config: TomlProgram): ProgramSettings {
  const { model, prompt, tools, preload, parameters, mcp, run, ...asGiven } = config;
  return {
    ...asGiven,
    model: model.name,
    provider: model.provider,
    displayName: model.displayName,
    endpoint: splitSettings(ENDPOINT_SETTINGS, model)[0],
    ...prompt,
    parameters: parametersOf(parameters),
    builtinTools: tools.enabled,
    functionTools: [],
    readFile: tools.readFile,
    requireApproval: tools.requireApproval,
    preloadFiles: preload.files,
    mcp: mcp?.configPath === undefined ? undefined : { ...mcp, configPath: mcp.configPath },
    runDefaults: run,
    hooks: {},
  };
}

/** Checks the MCP servers' config file the program names; warns when `[mcp.tools]` names no server. */
function mcpIssues(config: TomlProgram, baseDir: string, warn: (keyPath: string, text: string) => void): FormattedIssue[] {
  const written = config.mcp?.configPath;
  if (written === undefined) return [];
  if (Object.keys(config.mcp?.tools ?? {}).length === 0) {
    warn('mcp.config_path', '[mcp] config_path is set but no [mcp.tools] names a server of it, so no MCP server starts; add [mcp.tools] <server> = "all" (or a list of tool names)');
  }
  const issue = mcpConfigIssue(written, path.resolve(baseDir, written), 'mcp.config_path');
  return issue ? [issue] : [];
}

/** The issues with their place in the text, in the order of the text (those without a place first). */
function placed(issues: readonly FormattedIssue[], document: ProgramDocument): ProgramProblem[] {
  return issues
    .map((issue) => {
      const place = issue.keyPath ? document.locate(parseKeyPath(issue.keyPath)) : undefined;
      return { text: issue.text, keyPath: issue.keyPath || undefined, line: place?.line, column: place?.column };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * Loads a program from its text.
 *
 * @throws {ProgramError} when the text is not valid TOML/YAML (with `line` and `column`), does not
 * follow the program format (every problem listed with its line, in the order of the text), names
 * an MCP servers' config file that is missing or invalid, or a system prompt file that cannot be read.
 */
export function loadProgramText(source: ProgramText): ProgramDefinition {
  const { shownFile, baseDir } = source;
  const document = source.format === 'yaml' ? parseYamlProgram(source.text, shownFile) : parseTomlProgram(source.text, shownFile);
  const result = v.safeParse(TomlProgramSchema, document.data);
  const warnings: FormattedIssue[] = [];
  const warn = (keyPath: string, text: string) => warnings.push({ keyPath, text });
  const issues = result.success
    ? [...crossCheck(result.output), ...mcpIssues(result.output, baseDir, warn)]
    : formatIssues(result.issues, TomlProgramSchema, 'toml');
  if (!result.success || issues.length > 0) {
    throw new ProgramError(placed(issues, document), { file: shownFile, cause: issues.find((issue) => issue.cause !== undefined)?.cause });
  }
  for (const warning of placed(warnings, document)) {
    const where = warning.line === undefined ? '' : `line ${warning.line}, column ${warning.column}: `;
    process.emitWarning(`${shownFile}: ${where}${warning.text}`, { type: 'LLMProcProgramWarning' });
  }
  return resolveProgram(settingsFrom(result.output), {
    file: source.file,
    shownFile,
    baseDir,
    systemPromptFileKey: 'prompt.system_prompt_file',
    locate: (keyPath) => document.locate(parseKeyPath(keyPath)),
  });
}

/** The format of a program file, by its extension: `.yaml` and `.yml` are YAML, anything else TOML. */
export function formatOfFile(file: string): ProgramFormat {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'toml';
}

/**
 * Loads the program file `file` (relative to the working directory, or absolute), as `format`
 * (by default by its extension, see {@link formatOfFile}).
 *
 * @throws {ProgramError} when the file cannot be read, and as {@link loadProgramText}.
 */
export function loadProgramFile(file: string, format: ProgramFormat = formatOfFile(file)): ProgramDefinition {
  const absolute = path.resolve(file);
  const text = readProgramFile(file, absolute);
  return loadProgramText({ text, format, shownFile: file, file, baseDir: path.dirname(absolute) });
}

/** Loads the TOML program file `file` (whatever its extension). */
export function loadTomlProgram(file: string): ProgramDefinition {
  return loadProgramFile(file, 'toml');
}
