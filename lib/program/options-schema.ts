/**
 * The options of `new LLMProgram({...})`, as a valibot schema: the same settings tables as a TOML
 * program (`settings-tables.ts`, `parameter-fields.ts`, `RUN_SETTINGS`), laid out as flat
 * camelCase options. Unknown options and unknown keys are refused. An option left out parses to
 * its default (`[]`, `{}`), so the parsed options are the program's settings (`ProgramSettings`
 * derives from them).
 *
 * @module
 */
import * as v from 'valibot';
import {
  DisplayNameSchema,
  LinkedProgramSchema,
  ModelNameSchema,
  PathListSchema,
  PathSchema,
  ProviderSchema,
  SystemPromptSchema,
  ToolEntrySchema,
  namedTable,
  table,
} from './schema-fields.js';
import { parametersSchema } from './parameter-fields.js';
import { HooksSchema, RequireApprovalSchema } from './steering-fields.js';
import { RUN_SETTINGS } from '../process/run-options.js';
import { ENDPOINT_SETTINGS, ENV_INFO_SETTINGS, LOG_SETTINGS, MCP_SETTINGS, READ_FILE_SETTINGS } from './settings-tables.js';
import { OptionsFileDescriptorSchema } from './file-descriptor-fields.js';

/** The options of a program built in code. */
export const ProgramOptionsSchema = table({
  /** The model id sent to the provider, e.g. `claude-3-5-haiku-latest`. Required. */
  model: ModelNameSchema,
  /** The model's provider; default `anthropic`. */
  provider: v.optional(ProviderSchema, 'anthropic'),
  /** The API's base URL (an OpenAI-compatible server, a proxy; default the provider's); Claude on Vertex: the project and region. */
  ...ENDPOINT_SETTINGS,
  /** The name shown to people; default `${provider} ${model}`. */
  displayName: v.optional(DisplayNameSchema),
  /** The system prompt. `systemPromptFile`, when given, wins. */
  systemPrompt: v.optional(SystemPromptSchema),
  /** A file holding the system prompt, resolved against `baseDir` and read by the constructor. */
  systemPromptFile: v.optional(PathSchema),
  /**
   * Sent with every request: sampling parameters, and settings only some providers take (which
   * ones is checked for the program's provider).
   */
  parameters: v.optional(parametersSchema('options')),
  /** Tools: function tools (`Tool` objects) and the names of builtin tools to enable. */
  tools: v.optional(v.array(ToolEntrySchema), () => []),
  /** Files added to the system prompt when the process starts, resolved against `baseDir`. */
  preload: v.optional(PathListSchema, () => []),
  /** Environment facts added to the system prompt; default none. */
  envInfo: v.optional(table(ENV_INFO_SETTINGS), () => ({})),
  /** Name → a TOML program path (resolved against `baseDir`) or an `LLMProgram`, for spawn. */
  linkedPrograms: v.optional(namedTable(LinkedProgramSchema), () => ({})),
  /** The MCP servers' config file (resolved against `baseDir`) and the tools to import per server. */
  mcp: v.optional(table(MCP_SETTINGS)),
  /** The builtin read_file tool's folders (resolved against `baseDir`; default `[baseDir]`) and size cap. */
  readFile: v.optional(table(READ_FILE_SETTINGS), () => ({})),
  /**
   * File descriptors: tool results longer than `maxDirectOutputChars` are kept by the process and
   * shown a page at a time (`read_fd`, `fd_to_file`); on when either tool is enabled.
   */
  fileDescriptor: v.optional(OptionsFileDescriptorSchema),
  /** Defaults for every `run()` of the program's processes (see `RunOptions`). */
  run: v.optional(table(RUN_SETTINGS), () => ({})),
  /** Tools (by name or glob, builtin and MCP tools too) whose calls wait for approval: `["read_file", "codemcp__*"]`. */
  requireApproval: v.optional(RequireApprovalSchema, () => []),
  /** Hooks that steer every run of the program's processes (see `Hooks`); `start()` and `run()` hooks win over them. */
  hooks: v.optional(HooksSchema, () => ({})),
  /** The folder relative paths are resolved against; default `process.cwd()`. */
  baseDir: v.optional(PathSchema),
  /** A run log (resolved against `baseDir`) every run of the program's processes is appended to. */
  log: v.optional(table(LOG_SETTINGS)),
});

/** What `new LLMProgram(options)` accepts. */
export type ProgramOptions = v.InferInput<typeof ProgramOptionsSchema>;

/** Valid program options, defaults applied. */
export type ParsedProgramOptions = v.InferOutput<typeof ProgramOptionsSchema>;
