/**
 * Function tools: TypeScript functions the model can call, with a schema for their input from any
 * Standard Schema library (zod 4, valibot, arktype, ...) or plain JSON Schema.
 *
 * ```ts
 * const weather = defineTool({
 *   name: 'get_weather',
 *   description: 'The weather in a city.',
 *   input: z.object({ city: z.string().describe('City name') }),
 *   run: async ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 * ```
 *
 * @module
 */
import { ToolDefinitionError } from '../errors.js';
import { inputJsonSchema } from './schema/input-json-schema.js';
import type { JsonObjectSchema } from './schema/json-schema-input.js';
import type { StandardSchemaV1 } from './schema/standard-schema.js';
import { type InputCheck, validateInput } from './schema/validate-input.js';
import { isThenable, type MaybePromise } from '../maybe-promise.js';
import { errorResult, TOOL_NAME_PATTERN, type Tool, type ToolContext, type ToolResult } from './tool.js';
import { toToolResult } from './tool-output.js';

export { toToolResult } from './tool-output.js';

/**
 * A function tool's input schema: a Standard Schema of an object (zod 4 `z.object`, valibot
 * `v.object`, arktype `type({ ... })`, {@link jsonSchema}`(...)`), or a plain JSON Schema object.
 */
export type ToolInputSchema = StandardSchemaV1<Record<string, unknown>, unknown> | JsonObjectSchema;

/**
 * The input a function tool's `run` receives for the schema `TSchema`: the schema's output type
 * (after validation and transforms); `Record<string, unknown>` for a plain JSON Schema.
 */
export type ToolInput<TSchema extends ToolInputSchema> = TSchema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<TSchema> : Record<string, unknown>;

/** What {@link defineTool} takes. */
export interface FunctionToolDefinition<TSchema extends ToolInputSchema> {
  /** The name the model calls, matching `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** What the tool does, for the model. */
  description: string;
  /** The input's schema; the JSON Schema sent to the API comes from it, and the input is validated with it. */
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

/** Throws a {@link ToolDefinitionError} for the first thing wrong in `definition`'s name, description or run. */
function checkDefinition(definition: FunctionToolDefinition<ToolInputSchema>): void {
  const { name, description, run } = definition;
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      String(name),
      `invalid tool name ${JSON.stringify(name)}: names must match ${TOOL_NAME_PATTERN} (letters, digits, _ and -, 1 to 64 characters)`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '') throw new ToolDefinitionError(name, 'needs a non-empty description, which the model reads');
  if (typeof run !== 'function') throw new ToolDefinitionError(name, '"run" must be a function');
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
 * Validates `raw` with the definition's schema, then calls `run` and converts what it returns: at
 * once when both are synchronous, else a promise. Never throws or rejects: invalid input lists
 * every issue by key path; a throw or a rejection is an `Error in tool` result.
 */
function validateAndRun(definition: FunctionToolDefinition<ToolInputSchema>, raw: Record<string, unknown>, context: ToolContext): MaybePromise<ToolResult> {
  const failed = (error: unknown): ToolResult => errorResult(`Error in tool "${definition.name}": ${describeThrown(error)}`);
  try {
    const checked = validateInput(definition.input, raw);
    if (checked instanceof Promise) return checked.then((settled) => runChecked(definition, settled, context, failed)).catch(failed);
    return runChecked(definition, checked, context, failed);
  } catch (error) {
    return failed(error);
  }
}

/** Calls `run` with validated input (or refuses invalid input); a promise only when `run` returns one. */
function runChecked(definition: FunctionToolDefinition<ToolInputSchema>, checked: InputCheck, context: ToolContext, failed: (error: unknown) => ToolResult): MaybePromise<ToolResult> {
  if (!checked.valid) return errorResult(`Invalid input for tool "${definition.name}":\n${checked.issues.map((line) => `- ${line}`).join('\n')}`);
  const returned: unknown = definition.run(checked.value, context);
  return isThenable(returned) ? Promise.resolve(returned).then(toToolResult, failed) : toToolResult(returned);
}

/**
 * Defines a function tool. The name, the description and the schema are checked now, and the
 * schema's JSON Schema is made now: from the Standard JSON Schema hook (`~standard.jsonSchema`, as
 * zod 4 and arktype 2 have), from `@valibot/to-json-schema` for valibot, or as given for plain JSON
 * Schema. The input is validated (`~standard.validate`, possibly async) before every call, and
 * invalid input goes back to the model as an `is_error` result that lists the issues by key path.
 * What `run` returns is converted by {@link toToolResult}.
 *
 * @throws {ToolDefinitionError} naming the tool and what is wrong with its definition (a bad name,
 *   an empty description, `run` not a function, an input that is not a schema of an object, a
 *   schema without a JSON Schema hook, a part JSON Schema cannot express).
 */
export function defineTool<TSchema extends ToolInputSchema>(definition: FunctionToolDefinition<TSchema>): Tool {
  if (typeof definition !== 'object' || definition === null) throw new ToolDefinitionError('(unnamed)', 'defineTool takes { name, description, input, run }');
  const own = { ...(definition as unknown as FunctionToolDefinition<ToolInputSchema>) };
  checkDefinition(own);
  return {
    name: own.name,
    description: own.description,
    inputSchema: inputJsonSchema(own.name, own.input),
    source: { kind: 'function' },
    exclusive: own.exclusive,
    ...(own.requireApproval ? { requireApproval: true } : {}),
    run: (raw, context) => validateAndRun(own, raw, context),
  };
}
