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
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { ToolDefinitionError } from '../errors.js';
import { errorResult, TOOL_NAME_PATTERN, type Tool, type ToolContext, type ToolResult } from './tool.js';
import { toToolResult } from './tool-output.js';

/** A valibot schema of an object (possibly piped), as a function tool's input. */
export type ToolInputSchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>>;

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
  run: (input: v.InferOutput<TSchema>, context: ToolContext) => unknown;
  /** Run this tool alone, never at the same time as another tool of the same response. */
  exclusive?: boolean | undefined;
}

/** `city: expected string, received number` per issue, by key path. */
export function describeInputIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const keyPath = v.getDotPath(issue) ?? '(input)';
    const lastPath = issue.path?.at(-1);
    if (issue.input === undefined && lastPath && issue.kind === 'schema') return `${keyPath}: missing`;
    return `${keyPath}: expected ${issue.expected ?? 'a valid value'}, received ${issue.received}`;
  });
}

/** The JSON Schema of `schema`, or a {@link ToolDefinitionError} saying what cannot be converted. */
function jsonSchemaOf(name: string, schema: ToolInputSchema): Record<string, unknown> {
  let json: Record<string, unknown>;
  try {
    json = { ...(toJsonSchema(schema, { errorMode: 'throw' }) as Record<string, unknown>) };
  } catch (error) {
    throw new ToolDefinitionError(name, `its input schema cannot be expressed as JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
  }
  delete json['$schema'];
  if (json['type'] !== 'object') {
    throw new ToolDefinitionError(name, `its input must be an object schema (v.object, v.strictObject, ...); got a schema of type ${JSON.stringify(json['type'])}`);
  }
  return json;
}

/**
 * Defines a function tool. The name, the description and the schema are checked now; the input is
 * validated before every call, and invalid input goes back to the model as an `is_error` result that
 * lists the issues by key path.
 *
 * @throws {ToolDefinitionError} naming the tool and what is wrong with its definition.
 */
export function defineTool<TSchema extends ToolInputSchema>(definition: FunctionToolDefinition<TSchema>): Tool {
  const { name, description, input, run } = definition;
  const shownName = typeof name === 'string' ? name : String(name);
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(shownName, `invalid tool name ${JSON.stringify(name)}: names must match ${TOOL_NAME_PATTERN} (letters, digits, _ and -, 1 to 64 characters)`);
  }
  if (typeof description !== 'string' || description.trim() === '') throw new ToolDefinitionError(name, 'needs a non-empty description, which the model reads');
  if (typeof run !== 'function') throw new ToolDefinitionError(name, '"run" must be a function');
  if (typeof input !== 'object' || input === null || (input as { kind?: unknown }).kind !== 'schema') {
    throw new ToolDefinitionError(name, '"input" must be a valibot object schema, such as v.object({ ... })');
  }
  const inputSchema = jsonSchemaOf(name, input);

  return {
    name,
    description,
    inputSchema,
    source: { kind: 'function' },
    exclusive: definition.exclusive,
    async run(raw: Record<string, unknown>, context: ToolContext): Promise<ToolResult> {
      const parsed = v.safeParse(input, raw);
      if (!parsed.success) {
        return errorResult(`Invalid input for tool "${name}":\n${describeInputIssues(parsed.issues).map((line) => `- ${line}`).join('\n')}`);
      }
      try {
        return toToolResult(await run(parsed.output, context));
      } catch (error) {
        return errorResult(`Error in tool "${name}": ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
