/**
 * A program's settings on their way to an {@link LLMProgram}: first as given (camelCase, paths as
 * written), then resolved (paths absolute, the system prompt file read, defaults applied).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProgramError } from '../errors.js';
import type { ModelParameters } from '../providers/types.js';
import type { ProviderEndpoint } from '../providers/provider-definition.js';
import type { Tool } from '../tools/tool.js';
import type { BuiltinToolName } from './builtin-tool-names.js';
import type { EnvInfoVariable } from './env-info-variables.js';
import { describeFileError } from '../file-error.js';
import type { LLMProgram } from './llm-program.js';
import type { ProviderName } from './provider-names.js';
import type { TextPosition } from './program-document.js';
import type { LogSettings, ReadFileSettings } from './settings-tables.js';
import type { RunDefaults } from '../process/run-options.js';
import type { Hooks } from '../process/hooks.js';
import type { FileDescriptorConfig } from '../tools/file-descriptors/settings.js';

/** Which environment facts go into the system prompt: a list, or `'all'`. Empty: none. */
export interface EnvInfoConfig {
  variables: EnvInfoVariable[] | 'all';
}

/** The MCP servers a program uses. */
export interface McpConfig {
  /** The MCP servers' JSON config file (absolute once resolved). Not read when the program loads. */
  configPath: string;
  /** Server name → the names of the tools to import from it, or `'all'`. */
  tools: Record<string, string[] | 'all'>;
}

/** A program's settings, normalized to camelCase, with paths as written. */
export interface ProgramSettings {
  model: string;
  provider: ProviderName;
  displayName: string | undefined;
  /** Where the provider's API is (base URL; Vertex project and region), when the program says. */
  endpoint: ProviderEndpoint;
  systemPrompt: string | undefined;
  systemPromptFile: string | undefined;
  parameters: ModelParameters;
  builtinTools: BuiltinToolName[];
  functionTools: Tool[];
  preloadFiles: string[];
  envInfo: EnvInfoConfig;
  linkedPrograms: Record<string, string | LLMProgram>;
  mcp: McpConfig | undefined;
  /** Defaults for every `run()`. */
  runDefaults: RunDefaults;
  /** The builtin read_file tool's settings. */
  readFile: ReadFileSettings;
  /** Tool names or globs whose calls wait for approval. */
  requireApproval: string[];
  /** The file descriptor settings (`[file_descriptor]`), as written. */
  fileDescriptor?: FileDescriptorConfig | undefined;
  /** Hooks of a program built in code (TOML programs have none). */
  hooks: Hooks;
  /** The run log every run is appended to (`[log]`), if any. */
  log?: LogSettings | undefined;
}

export type { LogSettings, ReadFileSettings } from './settings-tables.js';

/** Where settings come from: how to resolve their paths and how to name them in errors. */
export interface ProgramSource {
  /** The TOML file as given, or `undefined` for a program built in code. */
  file: string | undefined;
  /** The absolute folder relative paths are resolved against. */
  baseDir: string;
  /** The key path of the system prompt file in this source, for errors. */
  systemPromptFileKey: string;
  /** The file as errors name it, when it is not `file` (`<string>` for a program from a string). */
  shownFile?: string | undefined;
  /** Where a key path is written in the program's text, for errors. */
  locate?: ((keyPath: string) => TextPosition | undefined) | undefined;
}

/** A program's settings, resolved: what an {@link LLMProgram} holds. */
export interface ProgramDefinition extends ProgramSettings {
  file: string | undefined;
  baseDir: string;
  displayName: string;
  /** The system prompt: the file's text when there is a file, else the inline prompt, else `''`. */
  systemPrompt: string;
  /** The system prompt file, absolute. */
  systemPromptFile: string | undefined;
}

/** Reads the system prompt file, refusing a missing one by its path as written and as resolved. */
function readSystemPrompt(written: string, resolved: string, source: ProgramSource): string {
  try {
    return readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new ProgramError(
      `${source.systemPromptFileKey}: cannot read "${written}" (resolved to ${resolved}): ${describeFileError(error)}`,
      { file: source.shownFile ?? source.file, keyPath: source.systemPromptFileKey, ...source.locate?.(source.systemPromptFileKey), cause: error },
    );
  }
}

/**
 * Resolves `settings` against `source`: makes every path absolute, reads the system prompt file
 * (it wins over an inline prompt, as in llmproc 0.2.0) and applies the default display name.
 * Preload files, linked programs and the MCP config are not read here.
 *
 * @throws {ProgramError} when the system prompt file cannot be read.
 */
export function resolveProgram(settings: ProgramSettings, source: ProgramSource): ProgramDefinition {
  const resolve = (written: string) => path.resolve(source.baseDir, written);
  const systemPromptFile = settings.systemPromptFile === undefined ? undefined : resolve(settings.systemPromptFile);
  const systemPrompt =
    systemPromptFile === undefined
      ? (settings.systemPrompt ?? '')
      : readSystemPrompt(settings.systemPromptFile!, systemPromptFile, source);
  return {
    ...settings,
    file: source.file,
    baseDir: source.baseDir,
    displayName: settings.displayName ?? `${settings.provider} ${settings.model}`,
    systemPrompt,
    systemPromptFile,
    preloadFiles: settings.preloadFiles.map(resolve),
    linkedPrograms: Object.fromEntries(
      Object.entries(settings.linkedPrograms).map(([name, program]) => [name, typeof program === 'string' ? resolve(program) : program]),
    ),
    mcp: settings.mcp && { configPath: resolve(settings.mcp.configPath), tools: settings.mcp.tools },
    readFile: { ...settings.readFile, allowedRoots: settings.readFile.allowedRoots?.map(resolve) },
    log: settings.log && { file: resolve(settings.log.file) },
  };
}
