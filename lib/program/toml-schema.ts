/**
 * The TOML program format of llmproc 0.2.0, as a valibot schema: the sections, their keys
 * (snake_case, as written in the file) and their values. Unknown sections and keys are refused.
 *
 * @module
 */
import * as v from 'valibot';
import {
  BuiltinToolNamesSchema,
  DisplayNameSchema,
  EnvInfoVariablesSchema,
  McpToolsSchema,
  ModelNameSchema,
  PathListSchema,
  PathSchema,
  PositiveIntegerSchema,
  BaseUrlSchema,
  NonEmptyStringSchema,
  ProviderSchema,
  SystemPromptSchema,
  namedTable,
  table,
} from './schema-fields.js';
import {
  BetasSchema,
  ExtraHeadersSchema,
  MetadataSchema,
  PenaltySchema,
  ReasoningEffortSchema,
  ResponseFormatSchema,
  SeedSchema,
  ServiceTierSchema,
  StopSequencesSchema,
  TemperatureSchema,
  TomlThinkingSchema,
  TomlToolChoiceSchema,
  TopPSchema,
} from './parameter-fields.js';
import { RequireApprovalSchema } from './steering-fields.js';
import { RUN_SETTINGS } from '../process/run-options.js';
import { tomlTable } from './key-case.js';

/** A TOML program file, after parsing and before paths are resolved. */
export const TomlProgramSchema = table({
  /** `[model]`: which model runs the program. Required. */
  model: table({
    name: ModelNameSchema,
    provider: ProviderSchema,
    display_name: v.optional(DisplayNameSchema),
    /** (llmproc-ts) The API's base URL: an OpenAI-compatible server (vLLM, Ollama, ...) or a proxy. */
    base_url: v.optional(BaseUrlSchema),
    /** Claude on Vertex: the Google Cloud project (else `ANTHROPIC_VERTEX_PROJECT_ID`). */
    project_id: v.optional(NonEmptyStringSchema),
    /** Claude on Vertex: the region (else `CLOUD_ML_REGION`). */
    region: v.optional(NonEmptyStringSchema),
  }),
  /**
   * `[parameters]`: sent with every request. Sampling parameters, and settings only some providers
   * take (which ones is checked for the program's provider when it loads).
   */
  parameters: v.optional(
    table({
      temperature: v.optional(TemperatureSchema),
      max_tokens: v.optional(PositiveIntegerSchema),
      top_p: v.optional(TopPSchema),
      top_k: v.optional(PositiveIntegerSchema),
      stop_sequences: v.optional(StopSequencesSchema),
      frequency_penalty: v.optional(PenaltySchema),
      presence_penalty: v.optional(PenaltySchema),
      /** Anthropic: extended thinking. */
      thinking: v.optional(TomlThinkingSchema),
      tool_choice: v.optional(TomlToolChoiceSchema),
      metadata: v.optional(MetadataSchema),
      service_tier: v.optional(ServiceTierSchema),
      extra_headers: v.optional(ExtraHeadersSchema),
      /** Anthropic: beta flags (the `anthropic-beta` header). */
      betas: v.optional(BetasSchema),
      /** OpenAI reasoning models. */
      reasoning_effort: v.optional(ReasoningEffortSchema),
      /** OpenAI. */
      seed: v.optional(SeedSchema),
      /** OpenAI. */
      response_format: v.optional(ResponseFormatSchema),
    }),
  ),
  /** `[prompt]`: the system prompt, inline or from a file (the file wins). */
  prompt: v.optional(
    table({
      system_prompt: v.optional(SystemPromptSchema),
      system_prompt_file: v.optional(PathSchema),
    }),
  ),
  /** `[preload]`: files added to the system prompt when the process starts. */
  preload: v.optional(table({ files: v.optional(PathListSchema) })),
  /** `[env_info]`: environment facts added to the system prompt. */
  env_info: v.optional(table({ variables: v.optional(EnvInfoVariablesSchema) })),
  /** `[tools]`: builtin tools to enable. */
  tools: v.optional(
    table({
      enabled: v.optional(BuiltinToolNamesSchema),
      /** `[tools.read_file]` (llmproc-ts): the folders read_file may read and its size cap. */
      read_file: v.optional(table({ allowed_roots: v.optional(PathListSchema), max_bytes: v.optional(PositiveIntegerSchema) })),
      /** (llmproc-ts) Tools whose calls wait for approval, by name or glob: `["read_file", "codemcp__*"]`. */
      require_approval: v.optional(RequireApprovalSchema),
    }),
  ),
  /** `[linked_programs]`: name → path of another TOML program, for the spawn tool. */
  linked_programs: v.optional(namedTable(PathSchema)),
  /**
   * `[run]` (llmproc-ts): defaults for every `run()` of the program's processes. `max_tokens` here
   * is the run's token budget, not `[parameters] max_tokens` (the per-response limit).
   */
  run: v.optional(tomlTable(RUN_SETTINGS)),
  /** `[mcp]`: the MCP servers' config file and `[mcp.tools]`, the tools to import from each. */
  mcp: v.optional(
    table({
      config_path: v.optional(PathSchema),
      tools: v.optional(McpToolsSchema),
    }),
  ),
  /** `[log]` (llmproc-ts): append every run of the program's processes to a run log (JSON lines; `llmproc report` reads it). */
  log: v.optional(table({ file: PathSchema })),
});

/** A valid TOML program, as parsed (snake_case keys, paths as written). */
export type TomlProgram = v.InferOutput<typeof TomlProgramSchema>;
