/**
 * The value schemas a program's settings share, whether they come from a TOML file (snake_case
 * keys, see `toml-schema.ts`) or from code (camelCase options, see `options-schema.ts`). Each
 * rule is written here once; both shapes reuse it, so a TOML file and the constructor accept the
 * same values and refuse the same ones.
 *
 * Schemas whose expectation is not obvious from their type carry a `v.description`, which the
 * issue formatter shows as the expected value (`expected a positive integer, received -1`).
 *
 * @module
 */
import * as v from 'valibot';
import { MAX_TIMEOUT_MS } from '../timer-limit.js';
import { TOOL_NAME_PATTERN, type Tool } from '../tools/tool.js';
import { BUILTIN_TOOL_NAMES } from './builtin-tool-names.js';
import { ENV_INFO_VARIABLES } from './env-info-variables.js';
import type { LLMProgram } from './llm-program.js';
import { isLLMProgram } from './program-brand.js';
import { PROVIDER_NAMES } from './provider-names.js';

/**
 * Whether `value` is a table: an object that is not an array or a date. valibot's object and
 * record schemas take any object, so `[[model]]` (an array of tables), `parameters = []` or
 * `model = 1979-05-27` would otherwise pass as (empty) tables.
 */
function isTable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * A table (a TOML section, or an object of options) with exactly these keys: unknown keys are
 * refused, and so are arrays and dates where the table should be.
 */
export function table<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  const object = v.strictObject(entries);
  return v.pipe(v.custom<v.InferInput<typeof object>>(isTable), object);
}

/** The names valibot's `record` drops silently (they would reach `Object.prototype`). */
const RESERVED_NAMES = ['__proto__', 'constructor', 'prototype'];

/**
 * A table of names chosen by the user (linked programs, MCP servers) → `value`. A name valibot's
 * `record` would drop silently (`__proto__`, `constructor`, `prototype`) is refused by name instead.
 */
export function namedTable<const TValue extends v.GenericSchema>(value: TValue) {
  const record = v.record(v.string(), value);
  return v.pipe(
    v.custom<v.InferInput<typeof record>>(isTable),
    v.rawCheck<v.InferInput<typeof record>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const input = dataset.value as Record<string, unknown>;
      for (const key of Object.keys(input).filter((name) => RESERVED_NAMES.includes(name))) {
        addIssue({
          expected: `a name other than ${RESERVED_NAMES.join(', ')}`,
          input: key,
          path: [{ type: 'object', origin: 'value', input, key, value: input[key] }],
        });
      }
    }),
    record,
  );
}

/** `[model] name`: the model id sent to the provider. */
export const ModelNameSchema = v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty string'));

/** `[model] provider`: one of the providers a program may name. */
export const ProviderSchema = v.picklist(PROVIDER_NAMES);

/** A string that may not be empty (a project id, a region). */
export const NonEmptyStringSchema = v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty string'));

/** `[model] base_url`: an http(s) URL. */
export const BaseUrlSchema = v.pipe(
  v.string(),
  v.check((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'expected an http:// or https:// URL'),
  v.description('an http:// or https:// URL'),
);

/** `[model] display_name`: the name shown to people. */
export const DisplayNameSchema = v.string();

/** A count: a sampling parameter (max_tokens, top_k), a limit, a concurrency. */
export const PositiveIntegerSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.description('a positive integer'));

/** A path to a file, relative to the program's folder or absolute. */
export const PathSchema = v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty path'));

/** A list of paths (`[preload] files`). */
export const PathListSchema = v.pipe(v.array(PathSchema), v.description('an array of paths'));

/** `[prompt] system_prompt`. */
export const SystemPromptSchema = v.string();

/** `[env_info] variables`: `"all"` or a list of known variable names. */
export const EnvInfoVariablesSchema = v.pipe(
  v.union([v.literal('all'), v.array(v.picklist(ENV_INFO_VARIABLES))]),
  v.description(`"all" or an array of variable names (${ENV_INFO_VARIABLES.join(', ')})`),
);

/** One builtin tool name. */
export const BuiltinToolNameSchema = v.picklist(BUILTIN_TOOL_NAMES);

/** `[tools] enabled`: builtin tool names. */
export const BuiltinToolNamesSchema = v.pipe(
  v.array(BuiltinToolNameSchema),
  v.description(`an array of builtin tool names (${BUILTIN_TOOL_NAMES.join(', ')})`),
);

/** `[mcp.tools] <server>`: `"all"` or the names of the server's tools to import. */
export const McpToolSelectionSchema = v.pipe(
  v.union([v.literal('all'), v.array(v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty tool name')))]),
  v.description('"all" or an array of tool names'),
);

/** `[mcp.tools]`: server name → tool selection. */
export const McpToolsSchema = namedTable(McpToolSelectionSchema);

/** Whether `value` is an object (a candidate tool; its fields are checked one by one after). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields every {@link Tool} has: key, what it must be, and the test. */
const TOOL_FIELDS: ReadonlyArray<readonly [key: string, expected: string, test: (value: unknown) => boolean]> = [
  ['name', 'string', (value) => typeof value === 'string'],
  ['description', 'string', (value) => typeof value === 'string'],
  ['inputSchema', 'a JSON Schema object', (value) => isObject(value)],
  ['source', 'an object with a kind (builtin, function or mcp)', (value) => isObject(value) && typeof (value as { kind?: unknown }).kind === 'string'],
  ['run', 'a function', (value) => typeof value === 'function'],
];

/**
 * A function tool given in code. The tool object itself is kept (not copied), so class-based
 * tools keep their prototype; each field is checked by name (`tools[0].run: missing; expected a
 * function`), its name must be one the API accepts and its input schema must be an object schema.
 */
export const FunctionToolSchema = v.pipe(
  v.custom<Tool>((value) => isObject(value)),
  v.rawCheck<Tool>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const tool = dataset.value as unknown as Record<string, unknown>;
    const at = (key: string) => [{ type: 'object', origin: 'value', input: tool, key, value: tool[key] }] as [v.ObjectPathItem];
    const wrong = TOOL_FIELDS.filter(([key, , test]) => !test(tool[key]));
    for (const [key, expected] of wrong) addIssue({ expected, input: tool[key], path: at(key) });
    if (typeof tool['name'] === 'string' && !TOOL_NAME_PATTERN.test(tool['name'])) {
      addIssue({ expected: `a tool name matching ${TOOL_NAME_PATTERN}`, input: tool['name'], path: at('name') });
    }
    const inputSchema = tool['inputSchema'];
    if (isObject(inputSchema) && inputSchema['type'] !== 'object') {
      addIssue({ expected: 'a JSON Schema of type "object"', input: inputSchema['type'], path: at('inputSchema') });
    }
  }),
  v.description('a Tool (an object with name, description, inputSchema, source and run)'),
);

/** An entry of `tools` in code: a function tool or the name of a builtin tool. */
export const ToolEntrySchema = v.pipe(
  v.union([FunctionToolSchema, BuiltinToolNameSchema]),
  v.description(`a Tool or a builtin tool name (${BUILTIN_TOOL_NAMES.join(', ')})`),
);

/** A linked program given in code: a path to a TOML program, or a program built in code. */
export const LinkedProgramSchema = v.pipe(
  v.union([PathSchema, v.custom<LLMProgram>(isLLMProgram)]),
  v.description('a path to a TOML program or an LLMProgram'),
);

/** A positive number of dollars (`maxCostUsd`). */
export const PositiveNumberSchema = v.pipe(v.number(), v.finite(), v.gtValue(0), v.description('a positive number'));

/** `timeoutMs` in the run settings: positive, and at most what a Node timer can hold (a longer one fires at once). */
export const TimeoutMsSchema = v.pipe(
  v.number(),
  v.finite(),
  v.gtValue(0),
  v.maxValue(MAX_TIMEOUT_MS),
  v.description(`a positive number of ms up to ${MAX_TIMEOUT_MS} (2^31 - 1, the longest a Node timer can wait)`),
);

/** `stream` in the run settings. */
export const BooleanSchema = v.boolean();

/** `[run] prompt_cache_ttl`: the lifetime of the prompt cache entries automatic caching writes. */
export const PromptCacheTtlSchema = v.pipe(v.picklist(['5m', '1h']), v.description('"5m" or "1h"'));
