/**
 * The tables a program's settings share, whether it is written in TOML (or YAML) or built in code,
 * each declared once, camelCase: `toml-schema.ts` takes them with snake_case keys (`tomlTable`),
 * `options-schema.ts` as they are (`table`). The two files only lay them out (TOML's sections,
 * code's flat options). Adding a setting to one of these tables is one entry here.
 *
 * @module
 */
import * as v from 'valibot';
import { EnvInfoVariablesSchema, McpToolsSchema, NonEmptyStringSchema, BaseUrlSchema, PathListSchema, PathSchema, PositiveIntegerSchema, table } from './schema-fields.js';

/** Where the provider's API is (`[model]` in TOML, top-level options in code). */
export const ENDPOINT_SETTINGS = {
  /** (llmproc-ts) The API's base URL: an OpenAI-compatible server (vLLM, Ollama, ...) or a proxy. */
  baseUrl: v.optional(BaseUrlSchema),
  /** Claude on Vertex: the Google Cloud project (else `ANTHROPIC_VERTEX_PROJECT_ID`). */
  projectId: v.optional(NonEmptyStringSchema),
  /** Claude on Vertex: the region (else `CLOUD_ML_REGION`). */
  region: v.optional(NonEmptyStringSchema),
};

/** The builtin read_file tool (`[tools.read_file]`, `readFile`): the folders it may read (default the program's folder) and its size cap. */
export const READ_FILE_SETTINGS = {
  allowedRoots: v.optional(PathListSchema),
  maxBytes: v.optional(PositiveIntegerSchema),
};

/** Environment facts added to the system prompt (`[env_info]`, `envInfo`); default none. */
export const ENV_INFO_SETTINGS = {
  variables: v.optional(EnvInfoVariablesSchema, () => []),
};

/** The MCP servers' config file and the tools to import from each server (`[mcp]`, `mcp`); default no tools. */
export const MCP_SETTINGS = {
  configPath: PathSchema,
  tools: v.optional(McpToolsSchema, () => ({})),
};

/** The run log every run of the program's processes is appended to (`[log]`, `log`). */
export const LOG_SETTINGS = {
  file: PathSchema,
};

/** The output of `table(entries)`: what a table of settings parses to. */
export type TableOutput<TEntries extends v.ObjectEntries> = v.InferOutput<ReturnType<typeof table<TEntries>>>;

/** Where the provider's API is, when the program says (`[model] base_url`, `project_id`, `region`). */
export type EndpointSettings = TableOutput<typeof ENDPOINT_SETTINGS>;

/** Which environment facts go into the system prompt: a list, or `'all'`. Empty: none. */
export type EnvInfoConfig = TableOutput<typeof ENV_INFO_SETTINGS>;

/** The MCP servers a program uses: their JSON config file (absolute once resolved; read when the program loads) and, per server name, the tools to import (`'all'` or names). */
export type McpConfig = TableOutput<typeof MCP_SETTINGS>;

/** The builtin read_file tool's settings (paths absolute once resolved). */
export type ReadFileSettings = TableOutput<typeof READ_FILE_SETTINGS>;

/** A program's run log (the file absolute once resolved). */
export type LogSettings = TableOutput<typeof LOG_SETTINGS>;

/**
 * `source` split in two: the settings of `entries`, as one object with every key present
 * (`undefined` when unset), and the rest of `source`. How the endpoint settings, flat among code's
 * options and `[model]`'s keys, become one setting.
 */
export function splitSettings<TEntries extends v.ObjectEntries, TSource extends Partial<TableOutput<TEntries>>>(
  entries: TEntries,
  source: TSource,
): [settings: TableOutput<TEntries>, rest: Omit<TSource, keyof TEntries>] {
  const settings = Object.fromEntries(Object.keys(entries).map((key) => [key, (source as Record<string, unknown>)[key]]));
  const rest = Object.fromEntries(Object.entries(source).filter(([key]) => !Object.hasOwn(entries, key)));
  return [settings as TableOutput<TEntries>, rest as Omit<TSource, keyof TEntries>];
}
