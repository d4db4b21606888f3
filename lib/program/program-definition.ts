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
import type { Tool } from '../tools/tool.js';
import type { BuiltinToolName } from './builtin-tool-names.js';
import { describeFileError } from '../file-error.js';
import type { ParsedProgramOptions } from './options-schema.js';
import type { TextPosition } from './program-document.js';
import type { ENDPOINT_SETTINGS, EndpointSettings } from './settings-tables.js';
import type { RunDefaults } from '../process/run-options.js';

/**
 * The settings whose shape differs from the options that give them: grouped (`endpoint`), split
 * (`tools`), renamed (`preload`, `run`) or mapped (`parameters`). Every other option is a setting
 * as it parses (`ProgramOptionsSchema`, defaults applied).
 */
interface ReshapedSettings {
  /** Where the provider's API is: the options `baseUrl`, `projectId` and `region` (`[model]` in TOML), every key present. */
  endpoint: EndpointSettings;
  /** The parameters in the neutral shape the providers map (`parametersOf`): only those set, the shorthands written out. */
  parameters: ModelParameters;
  /** The builtin tools enabled by name: the names among `tools` (`[tools] enabled` in TOML). */
  builtinTools: BuiltinToolName[];
  /** The function tools: the `Tool`s among `tools` (none in TOML). */
  functionTools: Tool[];
  /** The files added to the system prompt at start (`preload`; `[preload] files` in TOML). */
  preloadFiles: string[];
  /** Defaults for every `run()` (`run`; `[run]` in TOML). */
  runDefaults: RunDefaults;
}

/** The options that become {@link ReshapedSettings} under other names, and `baseDir`, which is where the settings come from ({@link ProgramSource}). */
type ReshapedOption = keyof typeof ENDPOINT_SETTINGS | 'tools' | 'preload' | 'run' | 'baseDir';

/**
 * A program's settings, camelCase, with paths as written: the parsed options of a program built in
 * code (`v.InferOutput<typeof ProgramOptionsSchema>`), reshaped where {@link ReshapedSettings}
 * says. A TOML program's sections map onto the same settings (`load-toml.ts`). A new option flows
 * into this type, and through the loaders' spreads into the program, with no edit here.
 */
export type ProgramSettings = Omit<ParsedProgramOptions, ReshapedOption | keyof ReshapedSettings> & ReshapedSettings;

export type { EnvInfoConfig, LogSettings, McpConfig, ReadFileSettings } from './settings-tables.js';

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
export interface ProgramDefinition extends Omit<ProgramSettings, 'displayName' | 'systemPrompt' | 'systemPromptFile'> {
  /** The TOML file as given, or `undefined` for a program built in code. */
  file: string | undefined;
  /** The folder relative paths are resolved against, absolute. */
  baseDir: string;
  /** The name shown to people: as given, else `${provider} ${model}`. */
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
    mcp: settings.mcp && { ...settings.mcp, configPath: resolve(settings.mcp.configPath) },
    readFile: { ...settings.readFile, allowedRoots: settings.readFile.allowedRoots?.map(resolve) },
    log: settings.log && { ...settings.log, file: resolve(settings.log.file) },
  };
}
