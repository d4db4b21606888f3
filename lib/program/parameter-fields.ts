/**
 * The value schemas of a program's `[parameters]` (TOML) and `parameters` (code): sampling ranges
 * that hold for every provider, and the shapes of the provider-specific settings (`thinking`,
 * `tool_choice`, `metadata`, `service_tier`, `extra_headers`, `betas`, `reasoning_effort`,
 * `seed`, `response_format`). The keys inside `thinking` and `tool_choice` are snake_case in TOML
 * and camelCase in code, so each has a schema of each spelling, with the same rules.
 * Which provider takes what, and rules across parameters, are `provider-parameters.ts`'s.
 *
 * @module
 */
import * as v from 'valibot';
import { TOOL_NAME_PATTERN } from '../tools/tool.js';
import { namedTable, table } from './schema-fields.js';

/** `temperature`: 0 to 2 (OpenAI's range; Anthropic's, 0 to 1, is checked for its programs). */
export const TemperatureSchema = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(2), v.description('a number from 0 to 2'));

/** `top_p`: 0 to 1. */
export const TopPSchema = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1), v.description('a number from 0 to 1'));

/** `frequency_penalty`, `presence_penalty` (OpenAI): -2 to 2. */
export const PenaltySchema = v.pipe(v.number(), v.finite(), v.minValue(-2), v.maxValue(2), v.description('a number from -2 to 2'));

/** `stop_sequences`: no empty one (the API refuses it). */
export const StopSequencesSchema = v.pipe(
  v.array(v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty string'))),
  v.description('an array of non-empty strings'),
);

/** `seed` (OpenAI): an integer. */
export const SeedSchema = v.pipe(v.number(), v.safeInteger(), v.description('an integer'));

/** `reasoning_effort` (OpenAI reasoning models). */
export const ReasoningEffortSchema = v.picklist(['minimal', 'low', 'medium', 'high']);

/** `service_tier`: a tier name (which names a provider takes is checked per provider). */
export const ServiceTierSchema = v.pipe(v.string(), v.nonEmpty(), v.description('a service tier name'));

/** `metadata`: name → string. */
export const MetadataSchema = v.pipe(namedTable(v.string()), v.description('a table of strings'));

/** `betas` (Anthropic): beta names, sent as the `anthropic-beta` header. */
export const BetasSchema = v.pipe(
  v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]+$/), v.description('a beta name such as "interleaved-thinking-2025-05-14"'))),
  v.description('an array of beta names'),
);

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers that carry credentials: a program file is no place for them (R19); `start()` takes them. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'proxy-authorization']);

/** `extra_headers`: header name → value, sent with every request. */
export const ExtraHeadersSchema = v.pipe(
  namedTable(v.pipe(v.string(), v.regex(/^[^\r\n\0]*$/), v.description('a header value (one line)'))),
  v.rawCheck<Record<string, string>>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const headers = dataset.value;
    for (const name of Object.keys(headers)) {
      const path = [{ type: 'object', origin: 'value', input: headers, key: name, value: headers[name] }] as [v.ObjectPathItem];
      if (!HEADER_NAME.test(name)) addIssue({ expected: 'a header name (letters, digits and !#$%&\'*+.^_`|~-)', input: name, path });
      else if (CREDENTIAL_HEADERS.has(name.toLowerCase())) addIssue({ expected: 'no credentials in a program (pass apiKey to program.start())', input: name, path });
    }
  }),
  v.description('a table of header names to values'),
);

/** An issue at `key` of `object`, for a rawCheck. */
function issueAt(addIssue: (issue: { expected: string; input: unknown; path: [v.ObjectPathItem] }) => void, object: Record<string, unknown>, key: string, expected: string): void {
  addIssue({ expected, input: object[key], path: [{ type: 'object', origin: 'value', input: object, key, value: object[key] }] });
}

const ThinkingTypeSchema = v.picklist(['enabled', 'disabled']);
const BudgetSchema = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1024), v.description('an integer of at least 1024')));

/** `table` with the rules across its keys: a budget with `enabled`, none with `disabled`. */
function checkedThinking<const TSchema extends v.GenericSchema<unknown, Record<string, unknown>>>(schema: TSchema, budget: string) {
  return v.pipe(
    schema,
    v.rawCheck<v.InferOutput<TSchema>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const thinking = dataset.value;
      if (thinking['type'] === 'enabled' && thinking[budget] === undefined) issueAt(addIssue, thinking, budget, 'an integer of at least 1024');
      if (thinking['type'] === 'disabled' && thinking[budget] !== undefined) issueAt(addIssue, thinking, budget, 'no budget when type is "disabled"');
    }),
  );
}

/** `[parameters] thinking` (Anthropic): `{ type = "enabled", budget_tokens = N }` (N ≥ 1024) or `{ type = "disabled" }`. */
export const TomlThinkingSchema = checkedThinking(table({ type: ThinkingTypeSchema, budget_tokens: BudgetSchema }), 'budget_tokens');

/** `parameters.thinking` in code: `{ type: 'enabled', budgetTokens }` or `{ type: 'disabled' }`. */
export const OptionsThinkingSchema = checkedThinking(table({ type: ThinkingTypeSchema, budgetTokens: BudgetSchema }), 'budgetTokens');

const ToolChoiceTypeSchema = v.picklist(['auto', 'any', 'none', 'tool']);
const ToolChoiceNameSchema = v.optional(v.pipe(v.string(), v.regex(TOOL_NAME_PATTERN), v.description(`a tool name matching ${TOOL_NAME_PATTERN}`)));

/** A tool choice given as a string or as a table, with the rules across the table's keys. */
function checkedToolChoice<const TSchema extends v.GenericSchema<unknown, Record<string, unknown>>>(schema: TSchema, parallel: string) {
  const detailed = v.pipe(
    schema,
    v.rawCheck<v.InferOutput<TSchema>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const choice = dataset.value;
      if (choice['type'] === 'tool' && choice['name'] === undefined) issueAt(addIssue, choice, 'name', 'the name of the tool to call');
      if (choice['type'] !== 'tool' && choice['name'] !== undefined) issueAt(addIssue, choice, 'name', 'no name unless type is "tool"');
      if (choice['type'] === 'none' && choice[parallel] !== undefined) issueAt(addIssue, choice, parallel, `no ${parallel} when type is "none"`);
    }),
  );
  return v.pipe(
    v.union([v.picklist(['auto', 'any', 'none']), detailed]),
    v.description(`"auto", "any", "none", or a table with type ("auto", "any", "none" or "tool"), name and ${parallel}`),
  );
}

/** `[parameters] tool_choice`: `"auto"`, `"any"`, `"none"`, or `{ type, name, disable_parallel_tool_use }` (`name` with `type = "tool"`). */
export const TomlToolChoiceSchema = checkedToolChoice(
  table({ type: ToolChoiceTypeSchema, name: ToolChoiceNameSchema, disable_parallel_tool_use: v.optional(v.boolean()) }),
  'disable_parallel_tool_use',
);

/** `parameters.toolChoice` in code: `'auto'`, `'any'`, `'none'`, or `{ type, name, disableParallelToolUse }`. */
export const OptionsToolChoiceSchema = checkedToolChoice(
  table({ type: ToolChoiceTypeSchema, name: ToolChoiceNameSchema, disableParallelToolUse: v.optional(v.boolean()) }),
  'disableParallelToolUse',
);

/**
 * `response_format` (OpenAI): `{ type = "text" }`, `{ type = "json_object" }`, or
 * `{ type = "json_schema", name, schema, strict }`.
 */
export const ResponseFormatSchema = v.pipe(
  table({
    type: v.picklist(['text', 'json_object', 'json_schema']),
    name: v.optional(v.pipe(v.string(), v.regex(/^[a-zA-Z0-9_-]{1,64}$/), v.description('a name of up to 64 letters, digits, _ and -'))),
    schema: v.optional(v.pipe(namedTable(v.unknown()), v.description('a JSON Schema (a table)'))),
    strict: v.optional(v.boolean()),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const format = dataset.value as Record<string, unknown>;
    const schemaKeys = ['name', 'schema', 'strict'];
    if (format['type'] === 'json_schema') {
      if (format['name'] === undefined) issueAt(addIssue, format, 'name', 'the name of the schema');
      if (format['schema'] === undefined) issueAt(addIssue, format, 'schema', 'a JSON Schema (a table)');
    } else {
      for (const key of schemaKeys.filter((name) => format[name] !== undefined)) issueAt(addIssue, format, key, 'nothing unless type is "json_schema"');
    }
  }),
);
