/**
 * A tool input given as plain JSON Schema, with an optional validator of your own:
 *
 * ```ts
 * defineTool({ name: 'echo', description: 'Echoes.', input: { type: 'object', properties: { text: { type: 'string' } } }, run });
 * defineTool({ name: 'echo', description: 'Echoes.', input: jsonSchema<{ text: string }>(schema, { validate }), run });
 * ```
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import type { StandardJSONSchemaV1, StandardSchemaV1 } from './standard-schema.js';

/**
 * A JSON Schema of an object, as the API takes it for a tool's input (`type: 'object'`, its
 * `properties`, `required`, and any other JSON Schema keyword).
 */
export interface JsonObjectSchema {
  /** Tool inputs are objects. */
  type: 'object';
  /** The JSON Schema of each key. */
  properties?: Record<string, unknown> | undefined;
  /** The keys that must be present. */
  required?: readonly string[] | undefined;
  /** Any other JSON Schema keyword (`additionalProperties`, `description`, `$defs`, ...). */
  [keyword: string]: unknown;
}

/**
 * Checks the input the model sent against a {@link JsonObjectSchema}: return `{ value }` (what
 * `run` gets) or `{ issues: [{ message, path? }] }` (sent back to the model, by key path). It may
 * be async. A throw is an `is_error` result too.
 */
export type JsonSchemaValidator<Output> = (
  input: Record<string, unknown>,
) => StandardSchemaV1.Result<Output> | Promise<StandardSchemaV1.Result<Output>>;

/** Options of {@link jsonSchema}. */
export interface JsonSchemaOptions<Output> {
  /** Validates (and may transform) the input before `run`; without it the input is passed as sent. */
  validate?: JsonSchemaValidator<Output> | undefined;
}

/** A JSON Schema made a Standard Schema by {@link jsonSchema}: it validates and describes itself. */
export interface JsonSchemaInput<Output = Record<string, unknown>>
  extends StandardSchemaV1<Record<string, unknown>, Output>, StandardJSONSchemaV1<Record<string, unknown>, Output> {
  /** The Standard Schema and Standard JSON Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Record<string, unknown>, Output> & StandardJSONSchemaV1.Props<Record<string, unknown>, Output>;
}

/** The vendor name of {@link jsonSchema}'s schemas. */
export const JSON_SCHEMA_VENDOR = 'llmproc';

/**
 * A tool input from a plain JSON Schema: the schema is sent to the API as it is, and `validate`
 * (when given) checks the input before `run`. The type parameter is the input type `run` gets
 * (default `Record<string, unknown>`); it is yours to keep true, through `validate`.
 *
 * @throws {InvalidArgumentError} when `schema` is not JSON data (a cycle, a BigInt) or `validate` is not a function.
 */
export function jsonSchema<Output = Record<string, unknown>>(schema: JsonObjectSchema, options: JsonSchemaOptions<Output> = {}): JsonSchemaInput<Output> {
  let copy: Record<string, unknown>;
  try {
    copy = copyOfJson(schema);
  } catch (error) {
    throw new InvalidArgumentError('schema', `a JSON Schema must be JSON data: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { validate } = options;
  if (validate !== undefined && typeof validate !== 'function') throw new InvalidArgumentError('options.validate', `expected a function, received ${typeof validate}`);
  return {
    '~standard': {
      version: 1,
      vendor: JSON_SCHEMA_VENDOR,
      validate: (value) => (validate ? validate(value as Record<string, unknown>) : { value: value as Output }),
      jsonSchema: { input: () => copyOfJson(copy), output: () => copyOfJson(copy) },
    },
  };
}

/** Whether `value` is an object that is not a Standard Schema: taken as a plain JSON Schema. */
export function isPlainJsonSchema(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('~standard' in value);
}

/**
 * A deep copy of JSON data (a JSON Schema), so that changing the object afterwards changes
 * nothing. Throws the `TypeError` of `JSON.stringify` for what JSON cannot hold (a cycle, a BigInt).
 */
export function copyOfJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
