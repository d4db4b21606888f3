/**
 * Function tools: TypeScript functions the model can call, with a valibot schema for their input.
 *
 * ```ts
 * const weather = defineTool({
 *   name: 'get_weather',
 *   description: 'The weather in a city.',
 *   input: v.object({ city: v.pipe(v.string(), v.description('City name')) }),
 *   run: async ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 * ```
 *
 * @module
 */
import { toJsonSchema, type ConversionConfig } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { ToolDefinitionError } from '../errors.js';
import { describeInputIssues } from './input-issues.js';
import { errorResult, TOOL_NAME_PATTERN, type Tool, type ToolContext, type ToolResult } from './tool.js';
import { toToolResult } from './tool-output.js';

export { toToolResult } from './tool-output.js';

/** A valibot schema of an object (`v.object`, `v.strictObject`, `v.looseObject`, possibly piped), as a function tool's input. */
export type ToolInputSchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>>;

/** The input a function tool's `run` receives for the schema `TSchema` (after validation and transforms). */
export type ToolInput<TSchema extends ToolInputSchema> = v.InferOutput<TSchema>;

/** What {@link defineTool} takes. */
export interface FunctionToolDefinition<TSchema extends ToolInputSchema> {
  /** The name the model calls, matching `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** What the tool does, for the model. */
  description: string;
  /** The input's schema; the JSON Schema sent to the API is generated from it. */
  input: TSchema;
  /**
   * Does the work. Return a string, an object (sent as JSON), content parts, or a
   * `{ content, isError }` result; a throw becomes an `is_error` result.
   */
  run: (input: ToolInput<TSchema>, context: ToolContext) => unknown;
  /** Run this tool alone, never at the same time as another tool of the same response. */
  exclusive?: boolean | undefined;
  /** Each call waits for approval (`process.approve()`), unless a `beforeToolCall` hook decides it. */
  requireApproval?: boolean | undefined;
}

/**
 * How input schemas are converted. `typeMode: 'input'` describes what the model must send (a pipe
 * stops before its first transform). An action JSON Schema cannot express (`v.check`, `v.trim`)
 * only loosens the JSON Schema: it is left out there and still enforced when the input is validated.
 */
const CONVERSION: ConversionConfig = {
  typeMode: 'input',
  errorMode: 'throw',
  overrideAction: ({ jsonSchema, errors }) => (errors ? jsonSchema : undefined),
};

/** The parts of a valibot schema object walked to find what cannot be converted. */
interface SchemaNode {
  kind?: unknown;
  entries?: Record<string, unknown>;
  wrapped?: unknown;
  item?: unknown;
  value?: unknown;
  options?: unknown;
}

/** Whether `value` is a valibot schema object. */
function isSchema(value: unknown): value is SchemaNode & v.GenericSchema {
  return typeof value === 'object' && value !== null && (value as SchemaNode).kind === 'schema';
}

/** The message of converting `schema` to JSON Schema, or `undefined` when it converts. */
function conversionError(schema: v.GenericSchema): string | undefined {
  try {
    toJsonSchema(schema, CONVERSION);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The schemas inside `node`, each with the key-path segment that leads to it. */
function childrenOf(node: SchemaNode): Array<[segment: string, child: v.GenericSchema]> {
  const candidates: Array<[string, unknown]> = [
    ...Object.entries(node.entries ?? {}).map(([key, entry]): [string, unknown] => [`.${key}`, entry]),
    ['', node.wrapped],
    ['[]', node.item],
    ['.*', node.value],
    ...(Array.isArray(node.options) ? node.options.map((option): [string, unknown] => ['', option]) : []),
  ];
  return candidates.filter((candidate): candidate is [string, v.GenericSchema & SchemaNode] => isSchema(candidate[1]));
}

/** The key path of the innermost part of `schema` that cannot be converted: `location.when`, `tags[]`. */
function unconvertiblePart(schema: v.GenericSchema, at = ''): string {
  for (const [segment, child] of childrenOf(schema as SchemaNode)) {
    if (conversionError(child) !== undefined) return unconvertiblePart(child, at + segment);
  }
  return at.replace(/^\./, '') || '(the input itself)';
}

/** The JSON Schema of `schema` (an object schema), or a {@link ToolDefinitionError} saying what is wrong. */
function jsonSchemaOf(name: string, schema: v.GenericSchema): Record<string, unknown> {
  let json: Record<string, unknown>;
  try {
    json = { ...toJsonSchema(schema, CONVERSION) };
  } catch (error) {
    throw new ToolDefinitionError(
      name,
      `its input schema cannot be converted to the JSON Schema the model needs, at ${unconvertiblePart(schema)}: ` +
        `${error instanceof Error ? error.message : String(error)} Use schemas JSON can carry (strings, numbers, booleans, objects, arrays, picklists).`,
    );
  }
  delete json['$schema'];
  if (json['type'] !== 'object') {
    throw new ToolDefinitionError(name, `its input must be an object schema (v.object, v.strictObject, v.looseObject); got a schema of type ${JSON.stringify(json['type'] ?? schema.type)}`);
  }
  return json;
}

/** Throws a {@link ToolDefinitionError} for the first thing wrong in `definition`'s name, description, run or input. */
function checkDefinition(definition: FunctionToolDefinition<ToolInputSchema>): void {
  const { name, description, input, run } = definition;
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      String(name),
      `invalid tool name ${JSON.stringify(name)}: names must match ${TOOL_NAME_PATTERN} (letters, digits, _ and -, 1 to 64 characters)`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '') throw new ToolDefinitionError(name, 'needs a non-empty description, which the model reads');
  if (typeof run !== 'function') throw new ToolDefinitionError(name, '"run" must be a function');
  if (!isSchema(input)) throw new ToolDefinitionError(name, '"input" must be a valibot object schema, such as v.object({ ... })');
  if ((input as { async?: unknown }).async === true) {
    throw new ToolDefinitionError(name, '"input" is an async valibot schema (v.objectAsync, v.pipeAsync, ...); use the sync schemas and do async work in "run"');
  }
}

/** The message of anything thrown, Error or not; never throws itself. */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/**
 * Validates `raw` against `schema`, then calls `run` and converts what it returns. Never throws:
 * invalid input lists every issue by key path; a throw is an `Error in tool` result.
 */
async function validateAndRun<TSchema extends ToolInputSchema>(
  definition: FunctionToolDefinition<TSchema>,
  raw: Record<string, unknown>,
  context: ToolContext,
): Promise<ToolResult> {
  const { name, input, run } = definition;
  try {
    const parsed = v.safeParse(input, raw);
    if (!parsed.success) {
      const lines = describeInputIssues(parsed.issues).map((line) => `- ${line}`);
      return errorResult(`Invalid input for tool "${name}":\n${lines.join('\n')}`);
    }
    return toToolResult(await run(parsed.output, context));
  } catch (error) {
    return errorResult(`Error in tool "${name}": ${describeThrown(error)}`);
  }
}

/**
 * Defines a function tool. The name, the description and the schema are checked now; the input is
 * validated before every call, and invalid input goes back to the model as an `is_error` result that
 * lists the issues by key path. What `run` returns is converted by {@link toToolResult}.
 *
 * @throws {ToolDefinitionError} naming the tool and what is wrong with its definition (a bad name,
 *   an empty description, `run` not a function, an input that is not an object schema or has a part
 *   JSON Schema cannot express, named by key path).
 */
export function defineTool<TSchema extends ToolInputSchema>(definition: FunctionToolDefinition<TSchema>): Tool {
  if (typeof definition !== 'object' || definition === null) throw new ToolDefinitionError('(unnamed)', 'defineTool takes { name, description, input, run }');
  checkDefinition(definition as unknown as FunctionToolDefinition<ToolInputSchema>);
  const own = { ...definition };
  return {
    name: own.name,
    description: own.description,
    inputSchema: jsonSchemaOf(own.name, own.input),
    source: { kind: 'function' },
    exclusive: own.exclusive,
    ...(own.requireApproval ? { requireApproval: true } : {}),
    run: (raw, context) => validateAndRun(own, raw, context),
  };
}
