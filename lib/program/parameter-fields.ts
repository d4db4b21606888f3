/**
 * The value schemas of a program's `[parameters]` (TOML) and `parameters` (code): sampling ranges
 * that hold for every provider, and the shapes of the provider-specific settings (`thinking`,
 * `tool_choice`, `metadata`, `service_tier`, `extra_headers`, `betas`, `reasoning_effort`,
 * `seed`, `response_format`). The keys inside `thinking` and `tool_choice` are snake_case in TOML
 * and camelCase in code: each is written once, for a dialect (see `key-case.ts`).
 * Which provider takes what, and rules across parameters, are `provider-parameters.ts`'s.
 *
 * @module
 */
import * as v from 'valibot';
import { TOOL_NAME_PATTERN } from '../tools/tool.js';
import type { IssueDialect } from './format-issues.js';
import { snakeCase, tableIn } from './key-case.js';
import { namedTable, PositiveIntegerSchema, table } from './schema-fields.js';

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

/** An issue at `key` of `object` (the key as the program spells it; `value` what it holds), for a rawCheck. */
function issueAt(
  addIssue: (issue: { expected: string; input: unknown; path: [v.ObjectPathItem] }) => void,
  object: Record<string, unknown>,
  key: string,
  value: unknown,
  expected: string,
): void {
  addIssue({ expected, input: value, path: [{ type: 'object', origin: 'value', input: object, key, value }] });
}

/** A key as `dialect` spells it. */
const spell = (dialect: IssueDialect, key: string): string => (dialect === 'toml' ? snakeCase(key) : key);

const ThinkingTypeSchema = v.picklist(['enabled', 'disabled']);
const BudgetSchema = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1024), v.description('an integer of at least 1024')));

/**
 * `thinking` (Anthropic): `{ type = "enabled", budget_tokens = N }` (N ≥ 1024) or
 * `{ type = "disabled" }` in TOML, `{ type: 'enabled', budgetTokens }` in code.
 */
export function thinkingSchema<const D extends IssueDialect>(dialect: D) {
  const budget = spell(dialect, 'budgetTokens');
  return v.pipe(
    tableIn(dialect, { type: ThinkingTypeSchema, budgetTokens: BudgetSchema }),
    v.rawCheck<{ type: 'enabled' | 'disabled'; budgetTokens?: number | undefined }>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const thinking = dataset.value;
      if (thinking.type === 'enabled' && thinking.budgetTokens === undefined) issueAt(addIssue, thinking, budget, undefined, 'an integer of at least 1024');
      if (thinking.type === 'disabled' && thinking.budgetTokens !== undefined) issueAt(addIssue, thinking, budget, thinking.budgetTokens, 'no budget when type is "disabled"');
    }),
  );
}

const ToolChoiceTypeSchema = v.picklist(['auto', 'any', 'none', 'tool']);
const ToolChoiceNameSchema = v.optional(v.pipe(v.string(), v.regex(TOOL_NAME_PATTERN), v.description(`a tool name matching ${TOOL_NAME_PATTERN}`)));

/**
 * `tool_choice`: `"auto"`, `"any"`, `"none"`, or `{ type, name, disable_parallel_tool_use }` in
 * TOML (`{ type, name, disableParallelToolUse }` in code), `name` with `type = "tool"`.
 */
export function toolChoiceSchema<const D extends IssueDialect>(dialect: D) {
  const parallel = spell(dialect, 'disableParallelToolUse');
  const detailed = v.pipe(
    tableIn(dialect, { type: ToolChoiceTypeSchema, name: ToolChoiceNameSchema, disableParallelToolUse: v.optional(v.boolean()) }),
    v.rawCheck<{ type: 'auto' | 'any' | 'none' | 'tool'; name?: string | undefined; disableParallelToolUse?: boolean | undefined }>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const choice = dataset.value;
      if (choice.type === 'tool' && choice.name === undefined) issueAt(addIssue, choice, 'name', undefined, 'the name of the tool to call');
      if (choice.type !== 'tool' && choice.name !== undefined) issueAt(addIssue, choice, 'name', choice.name, 'no name unless type is "tool"');
      if (choice.type === 'none' && choice.disableParallelToolUse !== undefined) {
        issueAt(addIssue, choice, parallel, choice.disableParallelToolUse, `no ${parallel} when type is "none"`);
      }
    }),
  );
  return v.pipe(
    v.union([v.picklist(['auto', 'any', 'none']), detailed]),
    v.description(`"auto", "any", "none", or a table with type ("auto", "any", "none" or "tool"), name and ${parallel}`),
  );
}

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
      if (format['name'] === undefined) issueAt(addIssue, format, 'name', undefined, 'the name of the schema');
      if (format['schema'] === undefined) issueAt(addIssue, format, 'schema', undefined, 'a JSON Schema (a table)');
    } else {
      for (const key of schemaKeys.filter((name) => format[name] !== undefined)) issueAt(addIssue, format, key, format[key], 'nothing unless type is "json_schema"');
    }
  }),
);

/**
 * Every parameter a program may set (`[parameters]` in TOML, `parameters` in code), each declared
 * once, camelCase; TOML spells the keys snake_case. Which provider takes which is
 * `provider-parameters.ts`'s business. Adding a parameter is one entry here (and its mapping in
 * the providers that take it).
 */
export function parametersSchema<const D extends IssueDialect>(dialect: D) {
  return tableIn(dialect, {
    temperature: v.optional(TemperatureSchema),
    maxTokens: v.optional(PositiveIntegerSchema),
    topP: v.optional(TopPSchema),
    topK: v.optional(PositiveIntegerSchema),
    stopSequences: v.optional(StopSequencesSchema),
    frequencyPenalty: v.optional(PenaltySchema),
    presencePenalty: v.optional(PenaltySchema),
    /** Anthropic: extended thinking. */
    thinking: v.optional(thinkingSchema(dialect)),
    toolChoice: v.optional(toolChoiceSchema(dialect)),
    metadata: v.optional(MetadataSchema),
    serviceTier: v.optional(ServiceTierSchema),
    extraHeaders: v.optional(ExtraHeadersSchema),
    /** Anthropic: beta flags (the `anthropic-beta` header). */
    betas: v.optional(BetasSchema),
    /** OpenAI reasoning models. */
    reasoningEffort: v.optional(ReasoningEffortSchema),
    /** OpenAI. */
    seed: v.optional(SeedSchema),
    /** OpenAI. */
    responseFormat: v.optional(ResponseFormatSchema),
  });
}

/** A program's parameters, validated (camelCase, whichever the spelling of the program). */
export type ProgramParameters = v.InferOutput<ReturnType<typeof parametersSchema<'options'>>>;
