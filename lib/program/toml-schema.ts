/**
 * The TOML program format of llmproc 0.2.0, as a valibot schema: how its sections lay out the
 * settings tables (`settings-tables.ts`, `parameter-fields.ts`, `RUN_SETTINGS`), written snake_case
 * in the file. Unknown sections and keys are refused.
 *
 * @module
 */
import * as v from 'valibot';
import {
  BuiltinToolNamesSchema,
  DisplayNameSchema,
  ModelNameSchema,
  PathListSchema,
  PathSchema,
  ProviderSchema,
  SystemPromptSchema,
  namedTable,
} from './schema-fields.js';
import { parametersSchema } from './parameter-fields.js';
import { RequireApprovalSchema } from './steering-fields.js';
import { RUN_SETTINGS } from '../process/run-options.js';
import { tomlTable } from './key-case.js';
import { ENDPOINT_SETTINGS, ENV_INFO_SETTINGS, LOG_SETTINGS, MCP_SETTINGS, READ_FILE_SETTINGS } from './settings-tables.js';
import { TomlFileDescriptorSchema } from './file-descriptor-fields.js';

/**
 * A TOML program file, after parsing and before paths are resolved. Its keys are snake_case in the
 * file; the parsed value is camelCase (`tomlTable`), as a program built in code, and a section
 * left out parses to its default (`{}`, `[]`), as an option left out in code does.
 */
export const TomlProgramSchema = tomlTable({
  /** `[model]`: which model runs the program. Required. */
  model: tomlTable({
    name: ModelNameSchema,
    provider: ProviderSchema,
    displayName: v.optional(DisplayNameSchema),
    ...ENDPOINT_SETTINGS,
  }),
  /**
   * `[parameters]`: sent with every request. Sampling parameters, and settings only some providers
   * take (which ones is checked for the program's provider when it loads).
   */
  parameters: v.optional(parametersSchema('toml')),
  /** `[prompt]`: the system prompt, inline or from a file (the file wins). */
  prompt: v.optional(tomlTable({ systemPrompt: v.optional(SystemPromptSchema), systemPromptFile: v.optional(PathSchema) }), () => ({})),
  /** `[preload]`: files added to the system prompt when the process starts. */
  preload: v.optional(tomlTable({ files: v.optional(PathListSchema, () => []) }), () => ({})),
  /** `[env_info]`: environment facts added to the system prompt. */
  envInfo: v.optional(tomlTable(ENV_INFO_SETTINGS), () => ({})),
  /** `[tools]`: builtin tools to enable. */
  tools: v.optional(
    tomlTable({
      enabled: v.optional(BuiltinToolNamesSchema, () => []),
      /** `[tools.read_file]` (llmproc-ts): the folders read_file may read and its size cap. */
      readFile: v.optional(tomlTable(READ_FILE_SETTINGS), () => ({})),
      /** (llmproc-ts) Tools whose calls wait for approval, by name or glob: `["read_file", "codemcp__*"]`. */
      requireApproval: v.optional(RequireApprovalSchema, () => []),
    }),
    () => ({}),
  ),
  /**
   * `[file_descriptor]` (Python llmproc's keys): tool results longer than `max_direct_output_chars`
   * are kept by the process and shown a page at a time (`read_fd`, `fd_to_file`).
   */
  fileDescriptor: v.optional(TomlFileDescriptorSchema),
  /** `[linked_programs]`: name → path of another TOML program, for the spawn tool. */
  linkedPrograms: v.optional(namedTable(PathSchema), () => ({})),
  /**
   * `[run]` (llmproc-ts): defaults for every `run()` of the program's processes. `max_tokens` here
   * is the run's token budget, not `[parameters] max_tokens` (the per-response limit).
   */
  run: v.optional(tomlTable(RUN_SETTINGS), () => ({})),
  /** `[mcp]`: the MCP servers' config file and `[mcp.tools]`, the tools to import from each (an `[mcp]` without a config file is allowed, as in 0.2.0). */
  mcp: v.optional(tomlTable({ ...MCP_SETTINGS, configPath: v.optional(MCP_SETTINGS.configPath) })),
  /** `[log]` (llmproc-ts): append every run of the program's processes to a run log (JSON lines; `llmproc report` reads it). */
  log: v.optional(tomlTable(LOG_SETTINGS)),
});

/** A valid TOML program, as parsed (camelCase keys, paths as written). */
export type TomlProgram = v.InferOutput<typeof TomlProgramSchema>;
