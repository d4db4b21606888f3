/**
 * The JSON Schema the API gets for a function tool's input, from whatever `input` is: a Standard
 * Schema with the Standard JSON Schema hook (`~standard.jsonSchema`: zod 4, arktype 2), a valibot
 * schema (through `@valibot/to-json-schema`), a schema with a `toJSONSchema()` / `toJsonSchema()`
 * method (older zod 4 and arktype 2 releases), or a plain JSON Schema object.
 *
 * @module
 */
import { ToolDefinitionError } from '../../errors.js';
import { copyOfJson, isPlainJsonSchema } from './json-schema-input.js';
import type { StandardJSONSchemaV1, StandardSchemaV1 } from './standard-schema.js';
import { valibotJsonSchema } from './valibot-json-schema.js';

/** The JSON Schema version asked of a library: the one the Messages API reads. */
const TARGET = 'draft-2020-12';

/** What the input schemas are, said in errors. */
const ACCEPTED =
  'a Standard Schema of an object (zod 4 z.object, valibot v.object, arktype type({ ... }), ...) or a JSON Schema object ({ type: "object", properties: { ... } })';

/** A schema object of some library, with the methods this module may find on it. */
type SchemaLike = Partial<StandardSchemaV1 & StandardJSONSchemaV1> & {
  toJSONSchema?: unknown;
  toJsonSchema?: unknown;
};

/** Whether `value` has the Standard Schema properties, with a `validate` function. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as SchemaLike)['~standard'];
  return typeof standard === 'object' && standard !== null && typeof standard.validate === 'function';
}

/** The library's JSON Schema of `schema`, the hook first; `undefined` when it offers none. */
function libraryJsonSchema(toolName: string, schema: SchemaLike): Record<string, unknown> | undefined {
  const standard = schema['~standard']!;
  // Ours first for valibot: it names the part that cannot be converted and skips checks JSON Schema cannot hold.
  if (standard.vendor === 'valibot') return valibotJsonSchema(toolName, schema);
  const convert: (() => unknown) | undefined =
    typeof standard.jsonSchema?.input === 'function'
      ? () => standard.jsonSchema!.input({ target: TARGET })
      : typeof schema.toJSONSchema === 'function'
        ? () => (schema.toJSONSchema as (options: object) => unknown).call(schema, { target: TARGET, io: 'input' })
        : typeof schema.toJsonSchema === 'function'
          ? () => (schema.toJsonSchema as () => unknown).call(schema)
          : undefined;
  if (!convert) return undefined;
  try {
    return copyOfJson(convert());
  } catch (error) {
    throw new ToolDefinitionError(
      toolName,
      `its input schema (${standard.vendor}) cannot be converted to the JSON Schema the model needs: ${error instanceof Error ? error.message : String(error)}. ` +
        'Use types JSON can carry (strings, numbers, booleans, objects, arrays, enums).',
      { cause: error },
    );
  }
}

/**
 * The JSON Schema of a tool's `input`, without `$schema`.
 * @throws {ToolDefinitionError} naming the tool when `input` is not a schema, offers no JSON
 *   Schema, cannot be converted, or is not of an object.
 */
export function inputJsonSchema(toolName: string, input: unknown): Record<string, unknown> {
  let json: Record<string, unknown> | undefined;
  if (isStandardSchema(input)) {
    json = libraryJsonSchema(toolName, input as SchemaLike);
    if (json === undefined) {
      throw new ToolDefinitionError(
        toolName,
        `its input schema (vendor "${input['~standard'].vendor}") has no JSON Schema hook (~standard.jsonSchema), so the JSON Schema the model needs cannot be made from it. ` +
          'Use a library that implements Standard JSON Schema (zod 4, arktype 2) or valibot, or give the JSON Schema yourself: input: jsonSchema({ type: "object", ... }, { validate }).',
      );
    }
  } else if (isPlainJsonSchema(input)) {
    try {
      json = copyOfJson(input);
    } catch (error) {
      throw new ToolDefinitionError(toolName, `its JSON Schema input must be JSON data: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } else {
    throw new ToolDefinitionError(toolName, `"input" must be ${ACCEPTED}; got ${input === null ? 'null' : typeof input}`);
  }
  delete json['$schema'];
  if (json['type'] !== 'object') {
    throw new ToolDefinitionError(toolName, `its input must be an object schema (${ACCEPTED}); got a schema of type ${JSON.stringify(json['type'] ?? '(none)')}`);
  }
  return json;
}
